import * as Y from 'yjs';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { Connection } from '../collab/connection.js';
import type { Room } from '../collab/room.js';
import type { RoomExtension } from '../collab/roomExtension.js';
import type { Logger } from '../logger.js';
import type { StoredDoc } from '../storage/docStore.js';
import { applyToKnown, diffBlocks } from './blockDiff.js';
import { TEXT_BLOCKS } from './noteBlocks.js';
import type { IndexedBlock, SearchIndexStore, SessionWrites } from '../storage/searchRepo.js';
import { presenceName } from '../collab/presenceName.js';

/** Bump when what the index stores changes (normalisation, block rules): the next start rebuilds it. */
export const SEARCH_INDEX_VERSION = '1';

export interface SearchIndexerOptions {
  repo: SearchIndexStore;
  log: Logger;
  /** The event of a session that exists (null when unknown or deleted). */
  eventOf(sessionId: string): Promise<string | null>;
  /** Stored state of a document (for sessions nobody has open). */
  load(sessionId: string): Promise<StoredDoc>;
  /** Quiet time after the last commit before indexing, and the longest wait while commits keep coming. */
  debounceMs?: number;
  maxWaitMs?: number;
}

interface RoomIndex {
  room: Room;
  eventId: string | null;
  /** The index rows of this session, loaded on first use. */
  known: Map<string, IndexedBlock> | null;
  dirty: Set<Y.XmlElement>;
  structure: boolean;
  full: boolean;
  /** The document sequence number search_sessions says the index covers. */
  seqWritten: number | undefined;
  /** Client ids that wrote, with the connection that brought their edits, until that connection has a name. */
  unnamed: Map<number, Connection>;
  named: Map<number, string>;
  listener: (tr: Y.Transaction) => void;
}

const MAX_UNNAMED = 64;

/**
 * Keeps the search index in step with the notes, per block and per room.
 * It plugs into a room's life in three places: `loaded` (start watching the
 * document), `batchCommitted` (something durable changed: index it soon) and
 * `unloaded` (index what is left, stop watching). Between a commit and the
 * next pass it only remembers which blocks changed; a pass reads those
 * blocks, and all rooms due share one SQLite transaction, outside the
 * durable commit path. A pass runs `debounceMs` after the last commit and at
 * most `maxWaitMs` after the first, so the index follows within ~2 s.
 */
export class SearchIndexer implements RoomExtension {
  readonly name = 'search indexer';
  private readonly rooms = new Map<Room, RoomIndex>();
  /** Sessions whose live room this indexer watches: they keep their own index current, and the catch-up leaves them alone. */
  private readonly watched = new Set<string>();
  private readonly due = new Set<Room>();
  private timer: NodeJS.Timeout | null = null;
  private firstDueAt = 0;
  private lastDueAt = 0;
  private closed = false;
  /**
   * Time spent in the indexer, for the bench: watching transactions (wall
   * clock, sub-microsecond work), and indexing passes (wall clock, and the
   * process CPU time during them, which leaves out waiting for fsync).
   */
  readonly cost = { observeMs: 0, indexMs: 0, indexCpuMs: 0, passes: 0 };
  /** The index checked against this code's version (and emptied when older). */
  private readonly ready: Promise<void>;
  /** Passes run one at a time: a pass reads and updates each room's known blocks across its write. */
  private passes: Promise<void> = Promise.resolve();

  constructor(private readonly opts: SearchIndexerOptions) {
    this.ready = (async () => {
      if ((await opts.repo.meta('version')) !== SEARCH_INDEX_VERSION) {
        // Missing (a new or emptied index) or older than this code: start over; the catch-up refills it.
        await opts.repo.reset(SEARCH_INDEX_VERSION);
      }
    })().catch((err: unknown) => opts.log.error('search: could not check the index version', { error: err instanceof Error ? err.message : String(err) }));
  }

  async loaded(room: Room): Promise<void> {
    if (this.closed || this.rooms.has(room)) return;
    await this.ready;
    // Before anything is watched, so the watching starts in the same turn as the room's first reads.
    const eventId = await this.opts.eventOf(room.docId);
    const seq = await this.opts.repo.indexedSeq(room.docId);
    if (this.closed || this.rooms.has(room)) return;
    const fragment = room.doc.getXmlFragment(NOTES_FRAGMENT);
    const state: RoomIndex = {
      room,
      eventId,
      known: null,
      dirty: new Set(),
      structure: false,
      // The index covers another state of this document (or none): re-read it all once.
      full: seq !== room.lastSeq,
      seqWritten: seq,
      unnamed: new Map(),
      named: new Map(),
      listener: (tr) => this.observe(state, fragment, tr),
    };
    room.doc.on('afterTransaction', state.listener);
    this.rooms.set(room, state);
    this.watched.add(room.docId);
    if (state.full) this.markDue(room);
  }

  batchCommitted(room: Room): void {
    if (this.rooms.has(room)) this.markDue(room);
  }

  async unloaded(room: Room): Promise<void> {
    const state = this.rooms.get(room);
    if (!state) return;
    this.due.delete(room);
    try {
      await this.pass([state]);
    } finally {
      room.doc.off('afterTransaction', state.listener);
      this.rooms.delete(room);
      this.watched.delete(room.docId);
    }
  }

  /** Indexes now whatever changed in any room, committed or not (before a report reads the index). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const [room, s] of this.rooms) if (s.dirty.size > 0 || s.structure || s.full || s.unnamed.size > 0) this.due.add(room);
    return this.runDue();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.due.clear();
  }

  /**
   * Brings the index of every session nobody has open up to its stored
   * document (after a crash, a version change, or notes written while the
   * server did not watch). Sessions whose index already covers what storage
   * holds cost one query each. Yields between sessions.
   */
  async catchUp(): Promise<number> {
    await this.ready;
    return this.catchUpSessions(await this.opts.repo.liveSessionIds());
  }

  /** The catch-up for some sessions (those of one event, say); returns how many were re-read. */
  async catchUpSessions(sessionIds: readonly string[]): Promise<number> {
    let indexed = 0;
    for (const sessionId of sessionIds) {
      if (this.closed) break;
      if (this.watched.has(sessionId) || (await this.opts.repo.indexedSeq(sessionId)) === (await this.opts.repo.storedSeq(sessionId))) continue;
      const eventId = await this.opts.eventOf(sessionId);
      if (!eventId) continue;
      const stored = await this.opts.load(sessionId);
      // The room may have opened meanwhile; it indexes itself then.
      if (this.closed || this.watched.has(sessionId)) continue;
      const doc = new Y.Doc();
      try {
        const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
        // One transaction, no merge first: merging the parts costs more than applying them (as the room load does).
        doc.transact(() => {
          for (const part of parts) Y.applyUpdate(doc, part);
        });
        const known = await this.opts.repo.blocksOf(sessionId);
        const blocks = diffBlocks(doc.getXmlFragment(NOTES_FRAGMENT), known, { dirty: new Set(), structure: true, full: true }) ?? [];
        await this.opts.repo.write([{ sessionId, eventId, blocks, docSeq: stored.lastSeq }], new Date().toISOString());
        indexed++;
      } catch (err) {
        this.opts.log.warn('search: could not index a session', { docId: sessionId, error: err instanceof Error ? err.message : String(err) });
      } finally {
        doc.destroy();
      }
      await new Promise((r) => setImmediate(r));
    }
    return indexed;
  }

  private observe(state: RoomIndex, fragment: Y.XmlFragment, tr: Y.Transaction): void {
    const started = performance.now();
    for (const [type, keys] of tr.changed) {
      if (type instanceof Y.XmlText) {
        const parent = type.parent;
        if (parent instanceof Y.XmlElement && TEXT_BLOCKS.has(parent.nodeName)) state.dirty.add(parent);
      } else if (type instanceof Y.XmlElement) {
        // Attributes (an action-item id) or children (a hard break) of a text block; blocks in or out of a list or quote.
        if (TEXT_BLOCKS.has(type.nodeName)) state.dirty.add(type);
        else if (keys.has(null)) state.structure = true;
      } else if ((type as unknown) === fragment) {
        state.structure = true;
      }
    }
    const conn = tr.origin;
    if (conn instanceof Connection) this.noteAuthors(state, conn, tr);
    this.cost.observeMs += performance.now() - started;
  }

  /**
   * Who typed with which client id: a connection's own presence ids are its
   * Y.Doc's client id (y-websocket shares one id); client ids new to the
   * document arrive with the edits a device made offline, delivered by that
   * connection. Names are looked up at the next pass (presence may come after
   * the first update).
   */
  private noteAuthors(state: RoomIndex, conn: Connection, tr: Y.Transaction): void {
    for (const id of conn.awarenessIds) {
      // Names are checked again each pass (renames): writing happens only when one changed.
      if ((tr.afterState.get(id) ?? 0) > (tr.beforeState.get(id) ?? 0)) state.unnamed.set(id, conn);
    }
    if (tr.afterState.size !== tr.beforeState.size) {
      for (const client of tr.afterState.keys()) {
        if (!tr.beforeState.has(client) && !state.named.has(client) && state.unnamed.size < MAX_UNNAMED) state.unnamed.set(client, conn);
      }
    }
  }

  private namesToWrite(state: RoomIndex): { clientId: number; name: string }[] {
    const out: { clientId: number; name: string }[] = [];
    const states = state.room.awareness.getStates();
    const nameOf = (id: number) => presenceName(states.get(id));
    for (const [client, conn] of state.unnamed) {
      const own = conn.awarenessIds.has(client) ? nameOf(client) : null;
      const name = own ?? [...conn.awarenessIds].map(nameOf).find((n) => n !== null) ?? null;
      if (name) {
        if (state.named.get(client) !== name) out.push({ clientId: client, name });
        state.named.set(client, name);
        state.unnamed.delete(client);
      } else if (conn.closed) {
        state.unnamed.delete(client);
      }
    }
    return out;
  }

  /**
   * Runs per commit: notes the time, and the one timer, when it fires, waits
   * on if commits moved the deadline meanwhile (no clearTimeout and
   * setTimeout per commit).
   */
  private markDue(room: Room): void {
    this.due.add(room);
    if (this.closed) return;
    const now = Date.now();
    this.lastDueAt = now;
    if (this.timer) return;
    this.firstDueAt = now;
    this.arm(Math.min(this.opts.debounceMs ?? 500, this.opts.maxWaitMs ?? 1800));
  }

  private arm(wait: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      const due = Math.min(this.lastDueAt + (this.opts.debounceMs ?? 500), this.firstDueAt + (this.opts.maxWaitMs ?? 1800));
      const now = Date.now();
      if (now < due) return this.arm(due - now);
      void this.runDue();
    }, Math.max(0, wait));
    this.timer.unref();
  }

  private runDue(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const states = [...this.due].map((r) => this.rooms.get(r)).filter((s): s is RoomIndex => s !== undefined);
    this.due.clear();
    return this.pass(states);
  }

  /** Queues a pass after the ones running (never rejects: failures are logged and the rooms re-read next time). */
  private pass(states: RoomIndex[]): Promise<void> {
    const run = this.passes.then(() => this.passNow(states));
    this.passes = run.catch(() => undefined);
    return this.passes;
  }

  /** One indexing pass over some rooms: read what changed, then one transaction for all of them. */
  private async passNow(states: RoomIndex[]): Promise<void> {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const prepared: { state: RoomIndex; writes: SessionWrites }[] = [];
    for (const state of states) {
      try {
        state.known ??= await this.opts.repo.blocksOf(state.room.docId);
      } catch (err) {
        this.opts.log.error('search: could not read the index', { docId: state.room.docId, error: err instanceof Error ? err.message : String(err) });
      }
    }
    for (const state of states) {
      try {
        if (!state.known) continue;
        const writes = this.prepare(state, state.known);
        if (writes) prepared.push({ state, writes });
      } catch (err) {
        state.full = true;
        state.known = null;
        this.opts.log.error('search: indexing failed', { docId: state.room.docId, error: err instanceof Error ? err.stack : String(err) });
      }
    }
    if (prepared.length > 0) {
      try {
        const inserted = await this.opts.repo.write(
          prepared.map((p) => p.writes),
          new Date().toISOString(),
        );
        for (const { state, writes } of prepared) {
          applyToKnown(state.known!, writes.blocks, inserted.get(state.room.docId) ?? new Map());
          if (writes.docSeq !== undefined) state.seqWritten = writes.docSeq;
        }
      } catch (err) {
        // Nothing was written: re-read these documents whole next time.
        for (const { state } of prepared) {
          state.full = true;
          state.known = null;
        }
        this.opts.log.error('search: could not store the index', { error: err instanceof Error ? err.message : String(err) });
      }
    }
    const used = process.cpuUsage(cpu);
    this.cost.indexMs += performance.now() - started;
    this.cost.indexCpuMs += (used.user + used.system) / 1000;
    this.cost.passes++;
  }

  private prepare(state: RoomIndex, known: Map<string, IndexedBlock>): SessionWrites | null {
    const { room } = state;
    if (room.broken) return null;
    if (!state.eventId) return null;
    const fragment = room.doc.getXmlFragment(NOTES_FRAGMENT);
    const changed = { dirty: state.dirty, structure: state.structure, full: state.full };
    const blocks = diffBlocks(fragment, known, changed) ?? diffBlocks(fragment, known, { ...changed, structure: true }) ?? [];
    state.dirty = new Set();
    state.structure = false;
    state.full = false;
    const authors = this.namesToWrite(state);
    const docSeq = room.lastSeq !== state.seqWritten ? room.lastSeq : undefined;
    if (blocks.length === 0 && authors.length === 0 && docSeq === undefined) return null;
    return { sessionId: room.docId, eventId: state.eventId, blocks, docSeq, authors };
  }
}
