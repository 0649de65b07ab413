import { encodeStateAsUpdate } from 'yjs';
import type { DocStore, DocWrite } from '../storage/docStore.js';
import type { Logger } from '../logger.js';
import type { Room, RoomBatch } from './room.js';
import { describeError } from './roomFault.js';
import { realTimers, type Timers } from './timers.js';

/** Thrown by a store that must not be written to now (files replaced): retrying cannot help. */
export interface NonRetryableError {
  retryable: false;
}

function isRetryable(err: unknown): boolean {
  return (err as Partial<NonRetryableError> | null)?.retryable !== false;
}

export interface CommitQueueOptions {
  docStore: DocStore;
  log: Logger;
  /** Updates since the last snapshot that trigger a compaction. */
  compactEveryUpdates: number;
  /** Attempts per commit before the affected rooms are failed. */
  maxAttempts?: number;
  /** Told after every group commit (metrics), with the storage write's seconds. */
  observer?: { groupCommitted(batches: readonly RoomBatch[], seconds: number): void };
  /**
   * Minimum spacing (ms) between the starts of two group commits; 0 = off. A commit
   * after a quiet spell starts at once; under load the next one waits out the rest
   * of the spacing, so everything arriving meanwhile shares one fsync.
   */
  paceMs?: number;
  /** Clock (ms) for the pacing; injected by tests. */
  now?: () => number;
  /** Timer for a paced commit; injected by tests. */
  timers?: Timers;
}

/**
 * Group commit: everything that arrives while a commit is in flight (or, with
 * pacing, within `paceMs` of the previous commit's start), across all rooms, is
 * stored in one SQLite transaction, and only then broadcast. With fsync on
 * every commit, batching is what keeps durable writes cheap. There is no fixed
 * timer: when quiet, a commit starts in the next event-loop turn.
 */
export class CommitQueue {
  private readonly dirty = new Set<Room>();
  private scheduled = false;
  private running: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];
  private lastStart = -Infinity;
  /** The timer of a paced commit, while one waits. */
  private paced: unknown = null;
  private readonly paceMs: number;
  private readonly now: () => number;
  private readonly timers: Timers;

  constructor(private readonly opts: CommitQueueOptions) {
    this.paceMs = Math.max(0, opts.paceMs ?? 0);
    this.now = opts.now ?? (() => performance.now());
    this.timers = opts.timers ?? realTimers;
  }

  schedule(room: Room): void {
    this.dirty.add(room);
    if (this.scheduled || this.running) return;
    this.startSoon();
  }

  /** 'paced' while a commit waits out the spacing, 'busy' while one is due or in flight. */
  get state(): 'idle' | 'paced' | 'busy' {
    if (this.paced !== null) return 'paced';
    return this.scheduled || this.running || this.dirty.size > 0 ? 'busy' : 'idle';
  }

  /** Resolves once everything scheduled so far is durable (or has failed). */
  whenIdle(): Promise<void> {
    if (!this.scheduled && !this.running && this.dirty.size === 0) return Promise.resolve();
    // Someone waits for durability (shutdown, an API reading durable notes): do not make them wait out the pacing.
    this.hurry();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private startSoon(): void {
    this.scheduled = true;
    const wait = this.paceMs > 0 ? this.lastStart + this.paceMs - this.now() : 0;
    if (wait <= 0) {
      setImmediate(() => void this.run());
      return;
    }
    this.paced = this.timers.set(() => {
      this.paced = null;
      void this.run();
    }, Math.ceil(wait));
  }

  private hurry(): void {
    if (this.paced === null) return;
    this.timers.clear(this.paced);
    this.paced = null;
    setImmediate(() => void this.run());
  }

  /** Runs `fn` between commits, so compaction never interleaves with an append. */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.running || this.scheduled || this.dirty.size > 0) await this.whenIdle();
    const job = fn();
    this.running = job.then(
      () => undefined,
      () => undefined,
    );
    try {
      return await job;
    } finally {
      this.running = null;
      this.afterRun();
    }
  }

  private async run(): Promise<void> {
    if (!this.scheduled) return; // a hurried paced commit already ran
    this.scheduled = false;
    if (this.running) return;
    this.lastStart = this.now();
    this.running = this.flushOnce().catch((err: unknown) => {
      // flushOnce contains failures per room; this is the last guard that keeps the queue turning.
      this.opts.log.error('commit cycle failed', { error: describeError(err) });
    });
    await this.running;
    this.running = null;
    this.afterRun();
  }

  private afterRun(): void {
    if (this.dirty.size > 0) {
      if (!this.scheduled) this.startSoon();
      return;
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async flushOnce(): Promise<void> {
    const rooms = [...this.dirty].filter((r) => !r.broken);
    this.dirty.clear();
    const batches: RoomBatch[] = [];
    for (const r of rooms) {
      try {
        batches.push(r.takeBatch());
      } catch (err) {
        r.fault('preparing a commit', err);
      }
    }
    const writes = batches.flatMap((b) => (b.update ? [{ docId: b.room.docId, update: b.update, ...b.along }] : []));
    let seqs = new Map<string, number>();
    const writeStarted = performance.now();
    if (writes.length > 0) {
      const stored = await this.appendWithRetry(writes, batches);
      if (!stored) return;
      seqs = stored;
    }
    const writeSeconds = (performance.now() - writeStarted) / 1000;
    for (const b of batches) {
      try {
        b.room.committed(b, seqs.get(b.room.docId));
      } catch (err) {
        b.room.fault('after a commit', err);
      }
    }
    try {
      this.opts.observer?.groupCommitted(batches, writeSeconds);
    } catch (err) {
      this.opts.log.error('commit observer failed', { error: describeError(err) });
    }
    for (const b of batches) {
      if (b.update && !b.room.damaged && b.room.updatesSinceSnapshot >= this.opts.compactEveryUpdates) await this.compact(b.room);
    }
  }

  private async appendWithRetry(
    writes: DocWrite[],
    batches: RoomBatch[],
  ): Promise<Map<string, number> | null> {
    const attempts = this.opts.maxAttempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.opts.docStore.append(writes);
      } catch (err) {
        this.opts.log.error('commit failed', {
          attempt,
          docs: writes.map((w) => w.docId),
          error: err instanceof Error ? err.message : String(err),
        });
        if (!isRetryable(err)) break;
        if (attempt < attempts) await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
    for (const b of batches) b.room.commitFailed();
    return null;
  }

  /**
   * Snapshots the room's state and drops the updates it covers. Call only
   * between commits. Resolves true when a snapshot was written (or none was
   * needed); `force` writes one even when no update arrived since the last.
   */
  async compact(room: Room, opts: { force?: boolean } = {}): Promise<boolean> {
    if (room.broken) return false;
    if (room.updatesSinceSnapshot === 0 && !opts.force) return true;
    try {
      await this.opts.docStore.compact(room.docId, encodeStateAsUpdate(room.doc), room.lastSeq);
      room.updatesSinceSnapshot = 0;
      return true;
    } catch (err) {
      // The update log still holds everything; compaction can wait for the next chance.
      this.opts.log.warn('compaction failed', { docId: room.docId, error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }
}
