import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { SessionLeases } from './sessionLease.js';

/** Takes the lease when free, renews it when ours: one round trip, no window between the read and the write. */
const ACQUIRE_OR_RENEW = `
local current = redis.call('GET', KEYS[1])
if current == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** Deletes the lease only if it is still ours (it may have expired and gone to another process). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface RedisSessionLeasesOptions {
  redis: Redis;
  log: Logger;
  /** How long a lease lives without renewal: how long a dead holder's work waits before another process takes over. */
  ttlMs: number;
  /** Identifies this process as a holder. */
  owner?: string;
  now?: () => number;
}

export const leaseKey = (docId: string) => `rt:lease:${docId}`;

/**
 * Session leases in Redis: `rt:lease:<session>` holds the holder's id with
 * an expiry. Every process with the session loaded tries to take it every
 * third of the lifetime, and the holder renews it then. A holder counts
 * itself as holding only until 90 % of the lifetime after its last
 * successful renewal was sent, so when Redis is unreachable it stops before
 * the key can expire and another process take over: two holders never
 * overlap, whatever the clocks say.
 */
export class RedisSessionLeases implements SessionLeases {
  private readonly owner: string;
  /** Tracked sessions, with until when (local clock) this process holds each; 0: not held. */
  private readonly heldUntil = new Map<string, number>();
  private readonly gained: ((docId: string) => void)[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  private attempting: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: RedisSessionLeasesOptions) {
    this.owner = opts.owner ?? crypto.randomUUID();
    this.now = opts.now ?? Date.now;
    this.timer = setInterval(() => void this.attemptAll(), Math.max(50, Math.floor(opts.ttlMs / 3)));
    this.timer.unref();
  }

  holds(docId: string): boolean {
    return (this.heldUntil.get(docId) ?? 0) > this.now();
  }

  deferred(docId: string): boolean {
    return this.heldUntil.has(docId) && !this.holds(docId);
  }

  onGained(listener: (docId: string) => void): void {
    this.gained.push(listener);
  }

  async track(docId: string): Promise<void> {
    if (this.heldUntil.has(docId)) return;
    this.heldUntil.set(docId, 0);
    await this.attempt([docId]);
  }

  async untrack(docId: string): Promise<void> {
    if (!this.heldUntil.delete(docId)) return;
    // Always asked (compare-and-delete is harmless when not ours): an attempt still in flight may have just won it.
    try {
      await this.opts.redis.eval(RELEASE, 1, leaseKey(docId), this.owner);
    } catch (err) {
      // It expires by itself within one lifetime.
      this.opts.log.warn('releasing a session lease failed', { docId, error: err instanceof Error ? err.message : String(err) });
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.attempting;
    await Promise.all([...this.heldUntil.keys()].map((docId) => this.untrack(docId)));
  }

  private attemptAll(): Promise<void> {
    // One round at a time: a slow Redis must not pile up renewals.
    this.attempting ??= this.attempt([...this.heldUntil.keys()]).finally(() => (this.attempting = null));
    return this.attempting;
  }

  private async attempt(docIds: string[]): Promise<void> {
    if (docIds.length === 0) return;
    const sent = this.now();
    const pipeline = this.opts.redis.pipeline();
    for (const docId of docIds) pipeline.eval(ACQUIRE_OR_RENEW, 1, leaseKey(docId), this.owner, this.opts.ttlMs);
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (err) {
      this.opts.log.warn('session leases could not be renewed', { error: err instanceof Error ? err.message : String(err) });
      return;
    }
    const until = sent + Math.floor(this.opts.ttlMs * 0.9);
    docIds.forEach((docId, i) => {
      if (!this.heldUntil.has(docId)) return;
      const [err, won] = results?.[i] ?? [new Error('no answer'), 0];
      if (err) {
        this.opts.log.warn('session lease attempt failed', { docId, error: err.message });
        return;
      }
      const before = this.holds(docId);
      this.heldUntil.set(docId, won === 1 ? until : 0);
      if (won === 1 && !before) this.tellGained(docId);
    });
  }

  private tellGained(docId: string): void {
    for (const listener of this.gained) {
      try {
        listener(docId);
      } catch (err) {
        this.opts.log.error('a session lease listener failed', { docId, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}
