import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/helpers/eventually.js';
import { redisAvailability, startRedis, type PrivateRedis } from '../../test/helpers/redis.js';
import { createLogger } from '../logger.js';
import { connectRedisCommands } from './redisCommands.js';
import { RedisGuessLimiter } from './redisGuessLimiter.js';

const available = redisAvailability();
if (!available.ok) console.warn(`skipped: ${available.reason}`);
const log = createLogger('silent');

describe.skipIf(!available.ok)('guess limits counted in Redis', () => {
  let redis: PrivateRedis;
  const conns: Redis[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    for (const c of conns) c.disconnect();
    await redis?.stop();
  });

  async function limiter(name: string, maxFailures: number, windowMs: number): Promise<RedisGuessLimiter> {
    const conn = await connectRedisCommands(redis.url, log);
    conns.push(conn);
    return new RedisGuessLimiter({ redis: conn, log, name, limits: { maxFailures, windowMs } });
  }

  it('failures on one process count on another; other addresses and other limiters are apart; the window slides', async () => {
    const a = await limiter('join', 3, 1000);
    const b = await limiter('join', 3, 1000);
    const slugs = await limiter('slug', 3, 1000);
    await a.fail('10.0.0.1');
    await b.fail('10.0.0.1');
    expect(await a.blocked('10.0.0.1')).toBe(false);
    await a.fail('10.0.0.1');
    expect(await b.blocked('10.0.0.1')).toBe(true);
    expect(await b.blocked('10.0.0.2')).toBe(false);
    expect(await slugs.blocked('10.0.0.1')).toBe(false);
    await eventually(async () => !(await b.blocked('10.0.0.1')), 5000, 'the window slid past the failures');
  });

  it('keeps counting on its own process while Redis is gone, and shares again once it is back', async () => {
    const a = await limiter('offline', 2, 60_000);
    const b = await limiter('offline', 2, 60_000);
    await redis.restart();
    // Whatever the connection's state right after the restart: two failures here block here.
    await a.fail('10.0.0.9');
    await a.fail('10.0.0.9');
    expect(await a.blocked('10.0.0.9')).toBe(true);
    await eventually(() => conns.every((c) => c.status === 'ready'), 10_000, 'reconnected');
    await a.fail('10.0.0.8');
    await a.fail('10.0.0.8');
    expect(await b.blocked('10.0.0.8')).toBe(true);
  });
});
