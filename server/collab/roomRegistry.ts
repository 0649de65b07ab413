import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { LIMITS, TIMINGS } from '../../shared/limits.js';
import type { DocStore } from '../storage/docStore.js';
import type { Logger } from '../logger.js';
import type { CommitQueue } from './commitQueue.js';
import { pruneOverDeep } from './docShape.js';
import { AWARENESS_SWEEP_MS, sweepOutdated } from './awarenessSweep.js';
import { loadDocument } from './loadDocument.js';
import { Room, SERVER_ORIGIN } from './room.js';
import type { RoomExtension, Rooms } from './roomExtension.js';
import { RoomPipeline } from './roomPipeline.js';
import { describeError } from './roomFault.js';

export interface RoomRegistryOptions {
  docStore: DocStore;
  commitQueue: CommitQueue;
  log: Logger;
  /** What every room runs, in this order (see RoomExtension). */
  extensions: readonly RoomExtension[];
  /** How long an empty room stays loaded, so a flaky reconnect finds it warm. */
  unloadDelayMs: number;
  /** Per-room state that lives outside the document (the lock flag), read when the room loads. */
  isLocked(docId: string): boolean | Promise<boolean>;
  /** Faults of one document within `faultWindowMs` after which it is served as damaged. Default 3. */
  faultsBeforeDamaged?: number;
  faultWindowMs?: number;
  now?: () => number;
  /** Updates after the snapshot at which a load compacts right away. Default TIMINGS.compactAtLoadUpdates. */
  compactAtLoadUpdates?: number;
  /** Readers get committed edits at most once per this many ms (RoomOptions). Default 0: every commit at once. */
  readerRelayMs?: number;
}

/** Origin of the changes a repair makes. */
export const REPAIR_ORIGIN = Symbol('roundtable-repair');

export interface RepairResult {
  /** False when the document was not damaged (nothing was changed). */
  repaired: boolean;
  /** What was wrong, as loading found it. */
  damage: string | null;
  /** Shared types removed because they nested deeper than the limit. */
  removedNodes: number;
  /** Stored parts that could not be read and are not part of the repaired notes. */
  skippedParts: number;
}

/**
 * Loads each document once (one load in flight per document) and unloads it
 * only after the last client has left and its final write has settled. A
 * client that arrives while that write runs gets the same live room.
 *
 * It is also where one room's failure stops: `fault` closes that room's
 * sockets (4500, they reconnect to a fresh load), drops it and logs why; the
 * rest of the server goes on. A document that keeps failing is served as
 * damaged (read-only) until a moderator repairs it.
 */
export class RoomRegistry implements Rooms {
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  /**
   * Lock changes made while a room loads. The load reads the flag from
   * storage once; a moderator who locks after that read and before the room
   * is registered would otherwise leave it unlocked (a client answered from
   * storage can already be typing then).
   */
  private readonly lockedWhileLoading = new Map<string, boolean>();
  private readonly unloading = new Map<Room, Promise<void>>();
  /** Rooms dropped whose `unloaded` step still runs; shutdown waits for them. */
  private readonly dropping = new Set<Promise<void>>();
  private readonly pipeline: RoomPipeline;
  private readonly faultTimes = new Map<string, number[]>();
  private readonly faultDamage = new Map<string, string>();
  private readonly now: () => number;
  private closed = false;
  /** One presence sweep for every room (see awarenessSweep.ts), not two timers per room. */
  private readonly sweep = setInterval(() => this.rooms.forEach((r) => (sweepOutdated(r.awareness), sweepOutdated(r.readerAwareness))), AWARENESS_SWEEP_MS).unref();

  constructor(private readonly opts: RoomRegistryOptions) {
    this.now = opts.now ?? Date.now;
    this.pipeline = new RoomPipeline(opts.extensions, opts.log);
  }

  get(docId: string): Room | undefined {
    return this.rooms.get(docId);
  }

  /** Locks or unlocks a document's room, loaded or still loading; an unloaded one reads the flag when it loads. */
  setLocked(docId: string, locked: boolean): void {
    const room = this.rooms.get(docId);
    if (room) room.locked = locked;
    if (this.loading.has(docId)) this.lockedWhileLoading.set(docId, locked);
  }

  acquire(docId: string): Promise<Room> {
    const live = this.rooms.get(docId);
    if (live && !live.broken) return Promise.resolve(live);
    const inFlight = this.loading.get(docId);
    if (inFlight) return inFlight;
    const load = this.load(docId).finally(() => {
      this.loading.delete(docId);
      this.lockedWhileLoading.delete(docId);
    });
    this.loading.set(docId, load);
    return load;
  }

  private async load(docId: string): Promise<Room> {
    const loaded = await loadDocument(this.opts.docStore, docId, { maxDepth: LIMITS.maxNestingDepth, origin: SERVER_ORIGIN });
    const locked = await this.opts.isLocked(docId);
    const room = new Room(
      docId,
      loaded,
      {
        scheduleCommit: (r) => this.opts.commitQueue.schedule(r),
        fault: (r, where, err) => this.fault(r, where, err),
        updateReceived: (r, incoming) => this.pipeline.updateReceived(r, incoming),
        batchTaken: (r, batch) => this.pipeline.batchTaken(r, batch),
        batchCommitted: (r, batch) => this.pipeline.batchCommitted(r, batch),
        presenceChanged: (r) => this.pipeline.presenceChanged(r),
        idle: (r) => this.pipeline.idle(r),
      },
      this.opts.log,
      { readerRelayMs: this.opts.readerRelayMs ?? 0 },
    );
    room.damaged ??= this.faultDamage.get(docId) ?? null;
    if (room.damaged) this.opts.log.warn('document is damaged: serving it read-only', { docId, damage: room.damaged, skippedParts: room.skippedParts });
    room.locked = locked;
    // Every extension has seen the room before anyone else may: concurrent acquires wait for this load.
    if (!room.damaged) await this.pipeline.loaded(room, this);
    room.locked = this.lockedWhileLoading.get(docId) ?? room.locked;
    this.rooms.set(docId, room);
    if (!room.damaged && loaded.updatesSinceSnapshot >= (this.opts.compactAtLoadUpdates ?? TIMINGS.compactAtLoadUpdates)) this.compactAfterLoad(room);
    return room;
  }

  /**
   * A load that found many updates after the snapshot (left by a crash, or
   * by a process that wrote and never unloaded) stores the document it just built
   * as one snapshot, in the background: the next load, and a client answered
   * from storage while it runs, then read and apply one part instead of
   * hundreds. Only a lease holder compacts (the commit queue's store skips
   * the others'); a failure only leaves the update log as it was.
   */
  private compactAfterLoad(room: Room): void {
    this.opts.commitQueue.exclusive(() => this.opts.commitQueue.compact(room)).then(
      (done) => {
        if (done) this.opts.log.debug('compacted the update log found at load', { docId: room.docId });
      },
      (err: unknown) => this.opts.log.warn('compaction after load failed', { docId: room.docId, error: describeError(err) }),
    );
  }

  /** Call after a connection left; unloads the room once it is empty and settled. */
  release(room: Room): void {
    if (this.closed) return;
    if (room.broken) {
      this.drop(room);
      return;
    }
    if (room.conns.size > 0 || room.pins > 0 || this.unloading.has(room)) return;
    const job = this.unload(room)
      .catch((err: unknown) => this.fault(room, 'unload', err))
      .finally(() => this.unloading.delete(room));
    this.unloading.set(room, job);
  }

  private async unload(room: Room): Promise<void> {
    if (this.opts.unloadDelayMs > 0) await new Promise((r) => setTimeout(r, this.opts.unloadDelayMs).unref());
    if (this.closed || room.conns.size > 0 || room.pins > 0 || room.broken) return;
    // A damaged room ran no hooks and keeps its stored parts exactly as they are, for the repair.
    if (!room.damaged) {
      await this.pipeline.beforeUnload(room);
      await this.opts.commitQueue.whenIdle();
      await this.opts.commitQueue.exclusive(() => this.opts.commitQueue.compact(room));
    }
    // Someone may have joined while the final write ran: they keep the live room.
    if (room.conns.size > 0 || room.pins > 0 || room.hasUncommitted()) return;
    this.drop(room);
  }

  private drop(room: Room): void {
    if (this.rooms.get(room.docId) !== room) return;
    this.rooms.delete(room.docId);
    // The document lives until every extension has taken what it needs from it (a last index pass).
    const done = this.pipeline.unloaded(room).finally(() => {
      room.destroy();
      this.dropping.delete(done);
    });
    this.dropping.add(done);
  }

  /**
   * Contains an unexpected failure inside one room: logs it with its place,
   * closes the room's sockets with 4500 (clients keep unsaved edits and
   * resend them to a fresh load from storage) and drops the room. Never throws.
   */
  fault(room: Room, where: string, err: unknown): void {
    try {
      if (room.broken && this.rooms.get(room.docId) !== room) return;
      room.broken = true;
      const docId = room.docId;
      const t = this.now();
      const window = this.opts.faultWindowMs ?? 10 * 60_000;
      const times = (this.faultTimes.get(docId) ?? []).filter((x) => t - x < window);
      times.push(t);
      this.faultTimes.set(docId, times);
      this.opts.log.error('room failed: closing it; other rooms go on', { docId, where, faults: times.length, error: describeError(err) });
      if (times.length >= (this.opts.faultsBeforeDamaged ?? 3) && !this.faultDamage.has(docId)) {
        this.faultDamage.set(docId, `the server failed on this document ${times.length} times in a row`);
        this.opts.log.error('document keeps failing: serving it read-only until a moderator repairs it', { docId });
      }
      for (const conn of [...room.conns]) conn.close(CLOSE_CODES.internalError, 'server error in this session; reconnect');
      this.drop(room);
    } catch (inner) {
      this.opts.log.error('room clean-up after a fault failed', { docId: room.docId, error: describeError(inner) });
    }
  }

  /**
   * Repairs a damaged document as forward changes every client receives:
   * the room is loaded as far as storage allows (unreadable parts left out,
   * the newest readable checkpoint as the base), subtrees nesting deeper than
   * the limit are deleted band by band, and the result is committed and
   * compacted into a fresh snapshot, so the damaged parts are no longer
   * needed to load it. Nothing else of the notes changes.
   */
  async repair(docId: string): Promise<RepairResult> {
    const room = await this.acquire(docId);
    room.pins++;
    try {
      const damage = room.damaged;
      if (!damage) return { repaired: false, damage: null, removedNodes: 0, skippedParts: 0 };
      const removedNodes = await pruneOverDeep(room.doc, LIMITS.maxNestingDepth, {
        origin: REPAIR_ORIGIN,
        between: () => this.opts.commitQueue.whenIdle(),
      });
      await this.opts.commitQueue.whenIdle();
      if (room.broken) throw new Error('the document failed while it was being repaired');
      const compacted = await this.opts.commitQueue.exclusive(() => this.opts.commitQueue.compact(room, { force: true }));
      if (!compacted) throw new Error('the repaired notes could not be stored');
      room.damaged = null;
      this.faultDamage.delete(docId);
      this.faultTimes.delete(docId);
      this.opts.log.warn('document repaired', { docId, damage, removedNodes, skippedParts: room.skippedParts });
      await this.pipeline.loaded(room, this);
      return { repaired: true, damage, removedNodes, skippedParts: room.skippedParts };
    } finally {
      room.pins--;
      this.release(room);
    }
  }

  /** Waits for every pending unload (tests and shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.unloading.values()]);
    await Promise.all([...this.dropping]);
  }

  /** Flushes, compacts and drops every room (graceful shutdown); later releases do nothing. Never throws. */
  async closeAll(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweep);
    for (const room of [...this.rooms.values()]) {
      if (room.damaged || room.broken) continue;
      try {
        await this.pipeline.beforeUnload(room);
      } catch (err) {
        this.opts.log.error('room hook failed', { docId: room.docId, hook: 'beforeUnload', error: describeError(err) });
      }
    }
    await this.opts.commitQueue.whenIdle();
    for (const room of [...this.rooms.values()]) {
      if (!room.damaged && !room.broken) await this.opts.commitQueue.exclusive(() => this.opts.commitQueue.compact(room));
      this.drop(room);
    }
    await Promise.all([...this.dropping]);
  }
}
