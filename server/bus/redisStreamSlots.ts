import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import { MemoryStreamSlots, type StreamSlotKind, type StreamSlots } from '../eventStream/streamSlots.js';
import type { Logger } from '../logger.js';

/**
 * One sorted set per link or address: member `<process>:<stream>`, score its
 * expiry by Redis's own clock (processes' clocks may differ). Drops what
 * expired, then adds only under the cap; all in one step, so two processes
 * admitting at once cannot both take the last slot.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
redis.call('PEXPIRE', KEYS[1], ttl)
return 1`;

/**
 * Pushes the expiry of this process's open streams (KEYS[i], ARGV[i + 1])
 * one TTL ahead. Adds them back when missing (Redis restarted empty): they
 * are open, so they count, even if that puts a key over its cap for a while.
 */
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + ttl, ARGV[i + 1])
  redis.call('PEXPIRE', key, ttl)
end
return #KEYS`;

/** Renewals per script call: bounded so one call never blocks Redis for long. */
const RENEW_CHUNK = 500;

export interface RedisStreamSlotsOptions {
  redis: Redis;
  log: Logger;
  /** A slot not renewed for this long is gone: how soon a killed process's streams stop counting (LEASE_TTL_MS, 10 s by default). */
  ttlMs?: number;
  /** This process's name in the members; random by default. */
  processId?: string;
}

/**
 * Stream caps every process shares: an address behind a load balancer meets
 * one cap, not one per process. This process renews its open streams' slots
 * every TTL/3 in one round trip and releases them on close, so a process
 * killed with its streams open frees their slots within the TTL. While Redis
 * cannot be reached it counts here alone (never refusing every stream).
 */
export class RedisStreamSlots implements StreamSlots {
  /** Every open stream of this process, whichever counter admitted it: the renewals, and the fallback's counts. */
  private readonly local = new MemoryStreamSlots();
  private readonly open = new Map<string, { key: string; member: string }>();
  private readonly ttlMs: number;
  private readonly processId: string;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly opts: RedisStreamSlotsOptions) {
    this.ttlMs = opts.ttlMs ?? 10_000;
    this.processId = opts.processId ?? crypto.randomUUID();
    this.timer = setInterval(() => void this.renew(), Math.max(1, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  async tryTake(kind: StreamSlotKind, key: string, id: string, max: number): Promise<boolean> {
    const redisKey = `rt:streams:${kind}:${key}`;
    const member = `${this.processId}:${id}`;
    let admitted: boolean;
    try {
      admitted = Number(await this.opts.redis.eval(TAKE, 1, redisKey, this.ttlMs, member, max)) === 1;
    } catch (err) {
      this.opts.log.warn('shared stream caps unavailable; counting on this process', { error: err instanceof Error ? err.message : String(err) });
      return this.remember(kind, key, id, redisKey, member, this.local.takeNow(kind, key, id, max));
    }
    if (admitted) this.local.take(kind, key, id);
    return this.remember(kind, key, id, redisKey, member, admitted);
  }

  release(kind: StreamSlotKind, key: string, id: string): void {
    const k = openKey(kind, key, id);
    const slot = this.open.get(k);
    if (!slot) return;
    this.open.delete(k);
    this.local.release(kind, key, id);
    this.opts.redis.zrem(slot.key, slot.member).catch((err: unknown) => {
      // Not renewed any more: it expires within the TTL.
      this.opts.log.debug('stream slot release failed', { error: err instanceof Error ? err.message : String(err) });
    });
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** One round trip for every open stream of this process. */
  async renew(): Promise<void> {
    const slots = [...this.open.values()];
    if (slots.length === 0) return;
    const pipeline = this.opts.redis.pipeline();
    for (let i = 0; i < slots.length; i += RENEW_CHUNK) {
      const chunk = slots.slice(i, i + RENEW_CHUNK);
      pipeline.eval(RENEW, chunk.length, ...chunk.map((s) => s.key), this.ttlMs, ...chunk.map((s) => s.member));
    }
    try {
      const failed = (await pipeline.exec())?.find(([err]) => err)?.[0];
      if (failed) throw failed;
    } catch (err) {
      this.opts.log.warn('stream slots not renewed', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private remember(kind: StreamSlotKind, key: string, id: string, redisKey: string, member: string, admitted: boolean): boolean {
    if (admitted) this.open.set(openKey(kind, key, id), { key: redisKey, member });
    return admitted;
  }
}

function openKey(kind: StreamSlotKind, key: string, id: string): string {
  return `${kind}\u0000${key}\u0000${id}`;
}

/** Stream caps counted in Redis (slots of a dead process lapse within `ttlMs`), or in memory without it. */
export function streamSlots(redis: Redis | null, log: Logger, ttlMs?: number): StreamSlots | undefined {
  if (!redis) return undefined;
  return new RedisStreamSlots({ redis, log, ttlMs });
}
