import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { AWARENESS_RELAY_MS, REMOTE_ORIGIN, type Room } from '../collab/room.js';
import type { CommittedBatch, RoomExtension } from '../collab/roomExtension.js';
import type { Logger } from '../logger.js';
import type { DocStore } from '../storage/docStore.js';
import { MAX_BATCH_NAMES, type BroadcastBus, type BusMessage } from './broadcastBus.js';
import type { SessionLease } from './sessionLease.js';

export interface RoomFanoutOptions {
  bus: BroadcastBus;
  docStore: DocStore;
  log: Logger;
  /** Another process's batch brought edits by these note-takers (before that process records them in storage). */
  writersSeen?(room: Room, names: readonly string[]): void;
  /** Leases per session: taking one over means its last holder may have stopped, perhaps before publishing its last batch. */
  lease?: Pick<SessionLease, 'onGained'>;
}

interface Link {
  unsubscribe: (() => void) | null;
  /** Per sending process, the number of its last batch of this session we applied. */
  lastBatch: Map<string, number>;
  awarenessListener: (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => void;
  changedAwareness: Set<number>;
  awarenessTimer: ReturnType<typeof setTimeout> | null;
  catchingUp: Promise<void> | null;
  catchUpAgain: boolean;
}

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/**
 * One session open on several server processes: each committed batch is
 * published for the session, and batches other processes published are
 * applied here with REMOTE_ORIGIN (sent to this room's clients, never stored
 * again). Presence crosses the same way. Convergence never depends on the
 * bus delivering everything: when a room starts listening, when the bus
 * reconnects, and when a sender's batch numbers skip, the room reads its
 * document back from storage and merges it (applying a Yjs update twice is
 * harmless), and so does a process that takes over a session's lease. What
 * such a catch-up finds is published in turn, so it reaches every process.
 */
export class RoomFanout implements RoomExtension {
  readonly name = 'fan-out';
  private readonly links = new Map<Room, Link>();
  /** Batches this process published per session, so receivers can tell when they missed one. */
  private readonly batchesSent = new Map<string, number>();

  constructor(private readonly opts: RoomFanoutOptions) {
    opts.bus.onResubscribed(() => {
      for (const room of this.links.keys()) this.catchUp(room);
    });
    // A process killed between its commit and its publish leaves a batch nobody heard of, and no
    // later batch whose number would show the gap: its lease expires, and whoever takes it over reads storage.
    opts.lease?.onGained((docId) => {
      for (const room of this.links.keys()) if (room.docId === docId) void this.catchUp(room);
    });
  }

  async loaded(room: Room): Promise<void> {
    if (this.links.has(room)) return;
    const link: Link = {
      unsubscribe: null,
      lastBatch: new Map(),
      awarenessListener: (change, origin) => this.awarenessChanged(room, link, change, origin),
      changedAwareness: new Set(),
      awarenessTimer: null,
      catchingUp: null,
      catchUpAgain: false,
    };
    this.links.set(room, link);
    room.awareness.on('update', link.awarenessListener);
    const unsubscribe = await this.opts.bus.subscribe({ session: room.docId }, (msg, from) => this.received(room, link, msg, from));
    if (this.links.get(room) !== link) {
      unsubscribe();
      return;
    }
    link.unsubscribe = unsubscribe;
    // Who is already here on other processes: their clients' presence renews only every 15 s.
    this.opts.bus.publish({ session: room.docId }, { kind: 'awarenessQuery', docId: room.docId });
    // What others stored between our load and our subscription reached nobody here: read it back.
    await this.catchUp(room);
  }

  batchCommitted(room: Room, batch: CommittedBatch): void {
    const names = [...new Set(batch.authors.flatMap(({ name }) => (name ? [name] : [])))].slice(0, MAX_BATCH_NAMES);
    this.publishUpdate(room, batch.update, batch.seq, names);
  }

  /** Sends a durable update to the session's other processes, numbered so they can tell when they missed one. */
  private publishUpdate(room: Room, update: Uint8Array, seq: number, names: string[] = []): void {
    const n = (this.batchesSent.get(room.docId) ?? 0) + 1;
    this.batchesSent.set(room.docId, n);
    this.opts.bus.publish({ session: room.docId }, { kind: 'docUpdate', docId: room.docId, update: toBase64(update), seq, n, ...(names.length > 0 ? { names } : {}) });
  }

  unloaded(room: Room): void {
    const link = this.links.get(room);
    if (!link) return;
    this.links.delete(room);
    link.unsubscribe?.();
    room.awareness.off('update', link.awarenessListener);
    if (link.awarenessTimer) clearTimeout(link.awarenessTimer);
  }

  /** Reads the room's document back from storage and merges it; runs once at a time per room, again if asked meanwhile. */
  catchUp(room: Room): Promise<void> {
    const link = this.links.get(room);
    if (!link) return Promise.resolve();
    if (link.catchingUp) {
      link.catchUpAgain = true;
      return link.catchingUp;
    }
    const run = async (): Promise<void> => {
      do {
        link.catchUpAgain = false;
        try {
          const stored = await this.opts.docStore.load(room.docId);
          if (this.links.get(room) !== link || room.broken) return;
          // What storage held and this room did not (one update for the whole transaction, deletions included).
          let found: Uint8Array | null = null;
          const capture = (update: Uint8Array) => void (found = update);
          room.doc.on('update', capture);
          try {
            Y.transact(
              room.doc,
              () => {
                if (stored.snapshot) Y.applyUpdate(room.doc, stored.snapshot, REMOTE_ORIGIN);
                for (const update of stored.updates) Y.applyUpdate(room.doc, update, REMOTE_ORIGIN);
              },
              REMOTE_ORIGIN,
            );
          } finally {
            room.doc.off('update', capture);
          }
          // Durable, and missed by this process: the others may have missed it too. A process killed after its
          // commit and before its publish leaves a batch only the process that takes its lease over reads back,
          // and a client that resends it there changes nothing, so nothing would bring it to the other processes.
          if (found) this.publishUpdate(room, found, stored.lastSeq);
        } catch (err) {
          this.opts.log.warn('catching up from storage failed', { docId: room.docId, error: err instanceof Error ? err.message : String(err) });
        }
      } while (link.catchUpAgain && this.links.get(room) === link);
    };
    link.catchingUp = run().finally(() => {
      link.catchingUp = null;
    });
    return link.catchingUp;
  }

  private received(room: Room, link: Link, msg: BusMessage, from: string): void {
    if (room.broken) return;
    if (msg.kind === 'awarenessQuery') {
      this.publishOwnPresence(room);
      return;
    }
    if (msg.kind === 'awareness') {
      try {
        awarenessProtocol.applyAwarenessUpdate(room.awareness, fromBase64(msg.update), REMOTE_ORIGIN);
      } catch (err) {
        this.opts.log.warn('ignored a malformed presence update from another process', { docId: room.docId, error: String(err) });
      }
      return;
    }
    if (msg.kind !== 'docUpdate') return;
    const last = link.lastBatch.get(from);
    link.lastBatch.set(from, msg.n);
    if (msg.names) this.opts.writersSeen?.(room, msg.names);
    try {
      Y.applyUpdate(room.doc, fromBase64(msg.update), REMOTE_ORIGIN);
    } catch (err) {
      this.opts.log.warn('ignored a malformed update from another process', { docId: room.docId, error: String(err) });
      void this.catchUp(room);
      return;
    }
    // A skip in a sender's numbering, or changes Yjs holds back for a missing predecessor, mean
    // something never arrived; so may a first batch from a sender (what came before it was not numbered for us).
    const waiting = room.doc.store.pendingStructs !== null || room.doc.store.pendingDs !== null;
    if (last === undefined || msg.n !== last + 1 || waiting) void this.catchUp(room);
  }

  /** The presence of this process's own clients in the room (others' is theirs to send). */
  private publishOwnPresence(room: Room): void {
    const states = room.awareness.getStates();
    const ids: number[] = [];
    for (const conn of room.conns) for (const id of conn.awarenessIds) if (states.has(id)) ids.push(id);
    if (ids.length === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids);
    this.opts.bus.publish({ session: room.docId }, { kind: 'awareness', docId: room.docId, update: toBase64(update) });
  }

  private awarenessChanged(room: Room, link: Link, change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void {
    // Others' presence is theirs to send; a state that timed out here times out on every process by itself.
    if (origin === REMOTE_ORIGIN || origin === 'timeout') return;
    for (const ids of [change.added, change.updated, change.removed]) for (const id of ids) link.changedAwareness.add(id);
    if (link.awarenessTimer) return;
    // Merged per relay window, as the room relays to its own clients.
    link.awarenessTimer = setTimeout(() => {
      link.awarenessTimer = null;
      if (this.links.get(room) !== link || link.changedAwareness.size === 0) return;
      const ids = [...link.changedAwareness];
      link.changedAwareness.clear();
      const update = awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids);
      this.opts.bus.publish({ session: room.docId }, { kind: 'awareness', docId: room.docId, update: toBase64(update) });
    }, AWARENESS_RELAY_MS);
  }
}
