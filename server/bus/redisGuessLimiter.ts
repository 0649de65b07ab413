import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import { GuessLimiter, type GuessCounter, type GuessLimiterFactory, type GuessLimits } from '../http/guessLimiter.js';
import type { Logger } from '../logger.js';

/**
 * One sorted set per address, scored by Redis's own clock (processes' clocks
 * may differ): drops what left the window, then counts (and adds). Kept to
 * `max` members, so a spray costs bounded memory; expires with the window.
 */
const COUNT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
if ARGV[2] == 'fail' then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[4]) - 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return redis.call('ZCARD', KEYS[1])`;

/**
 * A guess limiter whose failures every process sees: a guesser spread over
 * several processes behind a load balancer meets one limit. While Redis
 * cannot be reached it counts here alone (never refusing everyone, never
 * letting guesses through uncounted).
 */
export class RedisGuessLimiter implements GuessCounter {
  private readonly local: GuessLimiter;

  constructor(
    private readonly opts: { redis: Redis; log: Logger; name: string; limits: GuessLimits },
  ) {
    this.local = new GuessLimiter(opts.limits);
  }

  async blocked(address: string): Promise<boolean> {
    const count = await this.run(address, 'count');
    return count === null ? this.local.blocked(address) : count >= this.opts.limits.maxFailures;
  }

  async fail(address: string): Promise<void> {
    this.local.fail(address);
    await this.run(address, 'fail');
  }

  private async run(address: string, op: 'count' | 'fail'): Promise<number | null> {
    const { limits } = this.opts;
    try {
      const n = await this.opts.redis.eval(COUNT, 1, `rt:guess:${this.opts.name}:${address}`, limits.windowMs, op, crypto.randomUUID(), limits.maxFailures);
      return Number(n);
    } catch (err) {
      this.opts.log.warn('shared guess limit unavailable; counting on this process', { limiter: this.opts.name, error: err instanceof Error ? err.message : String(err) });
      return null;
    }
  }
}

/** Guess limiters counted in Redis, or in memory without it. */
export function guessLimiters(redis: Redis | null, log: Logger): GuessLimiterFactory | undefined {
  if (!redis) return undefined;
  return (name, limits) => new RedisGuessLimiter({ redis, log, name, limits });
}
