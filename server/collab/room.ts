import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { withoutOwnTimer } from './awarenessSweep.js';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import type { LiveCounts } from '../../shared/schemas.js';
import type { Connection } from './connection.js';
import type { LoadedDocument } from './loadDocument.js';
import { encodeAwarenessMessage, encodeSavedMessage, updateBroadcast } from './messages.js';
import { mergePending } from './mergePending.js';
import { presenceName } from './presenceName.js';
import { ReaderRelay } from './readerRelay.js';
import { describeError } from './roomFault.js';
import { SharedMessage } from './wsFrame.js';
import type { Logger } from '../logger.js';
import type { DocWrite } from '../storage/docStore.js';

/** What a commit takes from a room: its merged pending update and who to acknowledge. */
export interface RoomBatch {
  room: Room;
  update: Uint8Array | null;
  updateCount: number;
  /** The room's count of applied updates when the batch was taken: all of them are in this batch or earlier ones. */
  upTo: number;
  acks: { conn: Connection; target: number }[];
  /** The connections whose edits are in this batch, with their names and Yjs client ids. */
  authors: BatchAuthor[];
  /** What the extensions asked to store with the update, in its transaction (see RoomExtension.batchTaken). */
  along: StoredAlong;
  /** The one connection every update of the batch came from, or null (several, or the server's own): it has them all already. */
  soleSource: Connection | null;
}

/** Stored in the same transaction as a batch's update (DocWrite's extra fields). */
export type StoredAlong = Pick<DocWrite, 'authors'>;

/** A batch as it is taken for storing: its update, and who is in it. */
export interface TakenBatch {
  update: Uint8Array;
  /** Empty for the server's own writes (the tagger, imports, templates, repairs). */
  authors: BatchAuthor[];
}

/** Who wrote a committed batch: one entry per connection whose updates are in it. */
export interface BatchAuthor {
  /** The connection's id (unique in this process). */
  connectionId: number;
  /** The display name its presence showed when the batch was taken, or null (a reader, a nameless client). */
  name: string | null;
  /** The Yjs client ids whose changes this connection delivered in the batch (its own, and any it relayed from offline edits). */
  clientIds: number[];
}

/** A batch of updates of one room, durable in storage and already sent to the room's clients. */
export interface CommittedBatch {
  /** The batch's updates merged into one. */
  update: Uint8Array;
  /** The storage sequence number the batch was stored under. */
  seq: number;
  /** Empty for the server's own writes (the tagger, imports, templates, repairs). */
  authors: BatchAuthor[];
}

/** An update a client sent, checked against the protocol and the limits, not yet applied. */
export interface IncomingUpdate {
  connection: Connection;
  update: Uint8Array;
  /** Per Yjs client id, the clock just past the update's last change. */
  clients: ReadonlyMap<number, number>;
}

/** Refuses an update: its connection is closed with `code` and nothing of it is applied, stored or sent. */
export interface UpdateRefusal {
  refuse: { code: number; reason: string };
}

/** What a room needs from the server it lives in (the registry provides it, running the extensions). */
export interface RoomHost {
  /** Called whenever the room has something to commit. */
  scheduleCommit(room: Room): void;
  /** Called when something inside the room failed unexpectedly: the registry closes the room. */
  fault(room: Room, where: string, err: unknown): void;
  /** The room's lifecycle steps (RoomExtension). */
  updateReceived(room: Room, incoming: IncomingUpdate): UpdateRefusal | void;
  batchTaken(room: Room, batch: TakenBatch): StoredAlong;
  batchCommitted(room: Room, batch: CommittedBatch): void;
  presenceChanged(room: Room): void;
  idle(room: Room): void;
}

/** Presence (carets, names, typing) is relayed to peers at most once per this many ms. */
export const AWARENESS_RELAY_MS = 50;

export interface RoomOptions {
  /** Readers get committed edits merged, at most one frame per this many ms (ReaderRelay), less with few readers; 0 = every batch at once. */
  readerRelayMs?: number;
}

/**
 * A room's readers get at most one frame per this many ms per reader (up to
 * RoomOptions.readerRelayMs): a frame costs the server a socket write per
 * reader (a few µs each), so this keeps a room's reader fan-out under about a
 * tenth of a core whatever the typing rate. Ten readers wait at most 0.5 ms,
 * a thousand at most 50.
 */
export const READER_RELAY_MS_PER_READER = 0.05;

/** Marks the server's own writes, so observers can tell them from clients'. */
export const SERVER_ORIGIN = Symbol('roundtable-server');

/** Marks updates another server process stored already (server/bus): relayed to this room's clients, never stored again. */
export const REMOTE_ORIGIN = Symbol('roundtable-remote');

/**
 * One live document: the Y.Doc, its connections and its presence. Updates
 * are applied in memory at once but reach other clients only after the
 * commit queue has made them durable.
 */
export class Room {
  readonly doc: Y.Doc;
  /** Note-takers' presence, relayed to everyone. */
  readonly awareness: awarenessProtocol.Awareness;
  /** Readers' presence: kept for counting and echoed to its owner only, so readers cost O(1) each. */
  readonly readerAwareness: awarenessProtocol.Awareness;
  readonly conns = new Set<Connection>();
  /** The name each presence client id last showed in this room (presenceClaims: who may claim the id again after its holder left). */
  readonly presenceNames = new Map<number, string>();
  locked = false;
  lastSeq: number;
  updatesSinceSnapshot: number;
  /** Failed (a commit, or a fault): the room is being dropped and must not be handed out again. */
  broken = false;
  /**
   * Why the stored document cannot be written (unreadable parts, nesting
   * beyond the limit, repeated faults), or null. A damaged room serves
   * readers only, runs no hooks and never compacts, until it is repaired.
   */
  damaged: string | null;
  /** Stored parts left out when loading. */
  readonly skippedParts: number;
  /** Work in progress that needs the room loaded (a repair); unload waits for it. */
  pins = 0;

  private pending: Uint8Array[] = [];
  /** Where `pending` came from: undefined while empty; a connection while all of it is that connection's; null once mixed or the server's. */
  private pendingSource: Connection | null | undefined = undefined;
  /** Batches taken for a commit whose outcome is not known yet: applied here, not durable yet. */
  private inFlight = 0;
  /** Document updates applied here so far, and how many of them are durable (or were dropped with a failed room). */
  private applied = 0;
  private durable = 0;
  private durableWaiters: { upTo: number; resolve: () => void }[] = [];
  /** Connections whose edits wait in `pending`, with the Yjs client ids they delivered (and their name, once they left). */
  private readonly pendingWriters = new Map<Connection, { ids: Set<number>; nameWhenLeft?: string | null }>();
  private readonly ackConns = new Set<Connection>();
  private readonly changedAwareness = new Set<number>();
  private awarenessFlushScheduled = false;
  private awarenessTimer: ReturnType<typeof setTimeout> | null = null;
  /** Null when readers get every batch as it commits. */
  private readonly readerRelay: ReaderRelay | null;
  private readers = 0;

  constructor(
    readonly docId: string,
    loaded: LoadedDocument,
    private readonly host: RoomHost,
    private readonly log: Logger,
    opts: RoomOptions = {},
  ) {
    this.doc = loaded.doc;
    this.lastSeq = loaded.lastSeq;
    this.updatesSinceSnapshot = loaded.updatesSinceSnapshot;
    this.damaged = loaded.damage;
    this.skippedParts = loaded.skippedParts;

    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE_ORIGIN) {
        this.broadcastUpdate(update, null);
        return;
      }
      this.applied++;
      this.pending.push(update);
      // Client updates are applied with their connection as the origin (handleMessage).
      const from = this.conns.has(origin as Connection) ? (origin as Connection) : null;
      this.pendingSource = this.pendingSource === undefined || this.pendingSource === from ? from : null;
      this.host.scheduleCommit(this);
    });

    this.awareness = withoutOwnTimer(new awarenessProtocol.Awareness(this.doc));
    this.awareness.setLocalState(null);
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange) => {
      for (const id of added) this.changedAwareness.add(id);
      for (const id of updated) this.changedAwareness.add(id);
      for (const id of removed) this.changedAwareness.add(id);
      if (!this.broken) this.scheduleAwarenessFlush();
    });
    this.readerAwareness = withoutOwnTimer(new awarenessProtocol.Awareness(new Y.Doc()));
    this.readerAwareness.setLocalState(null);
    const relayMs = opts.readerRelayMs ?? 0;
    this.readerRelay =
      relayMs > 0
        ? new ReaderRelay({
            intervalMs: () => Math.min(relayMs, this.readers * READER_RELAY_MS_PER_READER),
            send: (message) => {
              for (const conn of this.conns) if (conn.role === 'view') conn.sendShared(message);
            },
            failed: (err) => this.fault('relaying to readers', err),
          })
        : null;
  }

  liveCounts(): LiveCounts {
    let editors = 0;
    let viewers = 0;
    for (const c of this.conns) {
      if (c.role === 'view') viewers++;
      else editors++;
    }
    return { editors, viewers };
  }

  /** True while anything applied here may not be durable yet (pending, or in a commit still running). */
  hasUncommitted(): boolean {
    return this.pending.length > 0 || this.ackConns.size > 0 || this.inFlight > 0;
  }

  /**
   * Resolves once everything applied to the document so far is durable (or
   * the room failed): what derived data (action items, note-takers, minutes)
   * is read from. Later edits do not hold it up.
   */
  whenDurable(): Promise<void> {
    if (this.durable >= this.applied || this.broken) return Promise.resolve();
    return new Promise((resolve) => this.durableWaiters.push({ upTo: this.applied, resolve }));
  }

  private settleWaiters(all: boolean): void {
    if (this.durableWaiters.length === 0) return;
    const waiting = this.durableWaiters;
    this.durableWaiters = [];
    for (const w of waiting) {
      if (all || w.upTo <= this.durable) w.resolve();
      else this.durableWaiters.push(w);
    }
  }

  /** Marks a document message from `conn` as needing acknowledgement after the next commit. */
  ackAfterCommit(conn: Connection): void {
    // While a dropped update waits for the client's resync, nothing from it onwards may count as saved.
    conn.ackTarget = conn.holdAcksFrom !== null ? conn.holdAcksFrom - 1 : conn.docMessagesReceived;
    if (!conn.wantsAck) return;
    this.ackConns.add(conn);
    this.host.scheduleCommit(this);
  }

  /** Remembers that `conn` changed the document with these Yjs client ids, for the batch's authors. */
  noteWriter(conn: Connection, clientIds: Iterable<number>): void {
    let entry = this.pendingWriters.get(conn);
    if (!entry) this.pendingWriters.set(conn, (entry = { ids: new Set() }));
    for (const id of clientIds) entry.ids.add(id);
  }

  /** The name a connection's presence shows (the first of its awareness ids that has one), or null. */
  nameOf(conn: Connection): string | null {
    for (const id of conn.awarenessIds) {
      const name = presenceName(this.awareness.getStates().get(id));
      if (name !== null) return name;
    }
    return null;
  }

  private takeAuthors(): BatchAuthor[] {
    const authors: BatchAuthor[] = [];
    for (const [conn, entry] of this.pendingWriters) {
      authors.push({ connectionId: conn.id, name: entry.nameWhenLeft !== undefined ? entry.nameWhenLeft : this.nameOf(conn), clientIds: [...entry.ids] });
    }
    this.pendingWriters.clear();
    return authors;
  }

  takeBatch(): RoomBatch {
    const updates = this.pending;
    this.pending = [];
    const soleSource = this.pendingSource ?? null;
    this.pendingSource = undefined;
    const authors = this.takeAuthors();
    const acks = [...this.ackConns].map((conn) => ({ conn, target: conn.ackTarget }));
    this.ackConns.clear();
    const update = updates.length === 0 ? null : mergePending(updates);
    const along = update ? this.host.batchTaken(this, { update, authors }) : {};
    this.inFlight++;
    return { room: this, update, updateCount: updates.length, upTo: this.applied, acks, authors, along, soleSource };
  }

  /** The batch is durable: now, and only now, others may see it. */
  committed(batch: RoomBatch, seq: number | undefined): void {
    this.inFlight--;
    this.durable = Math.max(this.durable, batch.upTo);
    const acks = batch.acks.filter(({ conn, target }) => target > conn.lastAcked);
    if (batch.update) {
      if (seq !== undefined) this.lastSeq = seq;
      this.updatesSinceSnapshot += 1;
      // The extensions first: the fan-out hands the batch to the other server processes (server/bus)
      // before anyone here sees "Saved", so a kill -9 right after the acknowledgement cannot keep
      // from them a batch its writer counts as saved (they would only read it back from storage
      // once something else made them look).
      this.host.batchCommitted(this, { update: batch.update, seq: this.lastSeq, authors: batch.authors });
      // A note-taker gets the batch and its "Saved" in one write; the batch's only source gets "Saved" alone.
      for (const { conn } of acks) conn.cork();
      try {
        this.broadcastUpdate(batch.update, batch.soleSource);
        this.sendAcks(acks);
      } finally {
        for (const { conn } of acks) conn.uncork();
      }
    } else {
      this.sendAcks(acks);
    }
    this.settleWaiters(false);
  }

  private sendAcks(acks: RoomBatch['acks']): void {
    for (const { conn, target } of acks) {
      conn.lastAcked = target;
      conn.send(encodeSavedMessage(target));
    }
  }

  /** The batch could not be stored: drop the in-memory state so nobody sees it, and let clients resend. */
  commitFailed(): void {
    this.inFlight = 0;
    this.broken = true;
    this.settleWaiters(true);
    for (const conn of this.conns) conn.close(CLOSE_CODES.internalError, 'could not store the update; reconnect');
  }

  /** Asks the extensions whether a checked client update may be applied. */
  updateReceived(incoming: IncomingUpdate): UpdateRefusal | void {
    return this.host.updateReceived(this, incoming);
  }

  /** Reports an unexpected failure inside this room to the registry, which closes it. */
  fault(where: string, err: unknown): void {
    this.host.fault(this, where, err);
  }

  addConnection(conn: Connection): void {
    if (this.conns.has(conn)) return;
    this.conns.add(conn);
    if (conn.role === 'view') this.readers++;
    this.host.presenceChanged(this);
  }

  removeConnection(conn: Connection): void {
    if (!this.conns.delete(conn)) return;
    if (conn.role === 'view') this.readers--;
    this.ackConns.delete(conn);
    // Its last edits may still wait for the commit: they keep the name it showed.
    const writing = this.pendingWriters.get(conn);
    if (writing) writing.nameWhenLeft = this.nameOf(conn);
    if (conn.awarenessIds.size > 0) {
      // A reader's presence is private unless it chose to appear (then it is in the relayed one): remove it from both.
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
      if (conn.role === 'view') awarenessProtocol.removeAwarenessStates(this.readerAwareness, [...conn.awarenessIds], null);
    }
    this.host.presenceChanged(this);
    if (this.conns.size === 0) this.host.idle(this);
  }

  /** Which connection owns an awareness client id, if any. */
  awarenessOwner(clientId: number): Connection | undefined {
    for (const c of this.conns) if (c.awarenessIds.has(clientId)) return c;
    return undefined;
  }

  private scheduleAwarenessFlush(): void {
    if (this.awarenessFlushScheduled) return;
    this.awarenessFlushScheduled = true;
    // Presence is relayed at most once per window, merged: a room of N people moving carets costs
    // N × (1000 / window) frames a second, not one frame per caret move per peer.
    this.awarenessTimer = setTimeout(() => {
      this.awarenessTimer = null;
      this.awarenessFlushScheduled = false;
      if (this.changedAwareness.size === 0) return;
      try {
        const ids = [...this.changedAwareness];
        this.changedAwareness.clear();
        this.broadcast(new SharedMessage(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids))));
      } catch (err) {
        this.fault('presence relay', err);
      }
    }, AWARENESS_RELAY_MS);
  }

  /**
   * A durable update to the room: note-takers get it at once (but `except`,
   * which sent all of it); readers through the relay, when there is one.
   */
  private broadcastUpdate(update: Uint8Array, except: Connection | null): void {
    const message = updateBroadcast(update);
    if (!this.readerRelay) {
      this.broadcast(message, except);
      return;
    }
    for (const conn of this.conns) if (conn !== except && conn.role !== 'view') conn.sendShared(message);
    if (this.readers > 0) this.readerRelay.committed(update, message);
  }

  /** One message to every connection (but `except`, which has it already): framed once, the same bytes written to each socket. */
  private broadcast(message: SharedMessage, except: Connection | null = null): void {
    for (const conn of this.conns) if (conn !== except) conn.sendShared(message);
  }

  /** Frees the room; safe to call on a room in any state, and never throws. */
  destroy(): void {
    this.settleWaiters(true);
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    this.readerRelay?.destroy();
    for (const part of [this.awareness, this.readerAwareness, this.doc]) {
      try {
        part.destroy();
      } catch (err) {
        this.log.error('room clean-up failed', { docId: this.docId, error: describeError(err) });
      }
    }
    this.log.debug('room unloaded', { docId: this.docId });
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
