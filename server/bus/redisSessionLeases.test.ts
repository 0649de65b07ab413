import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailability, startRedis, type PrivateRedis } from '../../test/helpers/redis.js';
import { eventually } from '../../test/helpers/eventually.js';
import { createLogger } from '../logger.js';
import { connectRedisCommands } from './redisCommands.js';
import { leaseKey, RedisSessionLeases } from './redisSessionLeases.js';

const available = redisAvailability();
if (!available.ok) console.warn(`skipped: ${available.reason}`);
const log = createLogger('silent');

describe.skipIf(!available.ok)('session leases in Redis', () => {
  let redis: PrivateRedis;
  const conns: Redis[] = [];
  const leases: RedisSessionLeases[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterEach(async () => {
    await Promise.all(leases.splice(0).map((l) => l.close()));
    for (const c of conns.splice(0)) c.disconnect();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  async function process(owner: string, ttlMs: number): Promise<{ leases: RedisSessionLeases; gained: string[] }> {
    const conn = await connectRedisCommands(redis.url, log);
    conns.push(conn);
    const l = new RedisSessionLeases({ redis: conn, log, ttlMs, owner });
    leases.push(l);
    const gained: string[] = [];
    l.onGained((id) => gained.push(id));
    return { leases: l, gained };
  }

  it('one holder per session; a release hands it to a process that has the session open', async () => {
    const a = await process('a', 3000);
    const b = await process('b', 3000);
    await a.leases.track('s1');
    await b.leases.track('s1');
    await b.leases.track('s2');
    expect([a.leases.holds('s1'), b.leases.holds('s1')]).toEqual([true, false]);
    expect([a.leases.deferred('s1'), b.leases.deferred('s1'), b.leases.deferred('untracked')]).toEqual([false, true, false]);
    expect(b.leases.holds('s2')).toBe(true);
    expect(a.gained).toEqual(['s1']);
    await a.leases.untrack('s1');
    expect(a.leases.holds('s1')).toBe(false);
    // b tries again every third of the lifetime.
    await eventually(() => b.leases.holds('s1'), 5000, 'b takes s1');
    expect(b.gained).toEqual(['s2', 's1']);
  });

  it('the holder renews past the lifetime; a dead holder’s lease moves once it expires', async () => {
    const observer = await connectRedisCommands(redis.url, log);
    conns.push(observer);
    const a = await process('a', 1000);
    const b = await process('b', 1000);
    await a.leases.track('s');
    await b.leases.track('s');
    // Sampled over three lifetimes: always a's in Redis itself, never b's in b's view.
    const start = Date.now();
    while (Date.now() - start < 3000) {
      expect(await observer.get(leaseKey('s'))).toBe('a');
      expect(b.leases.holds('s')).toBe(false);
      await new Promise((r) => setTimeout(r, 100));
    }
    // a "dies": its connection is cut, so it neither renews nor releases.
    conns[1]!.disconnect();
    expect(await observer.get(leaseKey('s'))).toBe('a');
    expect(b.leases.holds('s')).toBe(false);
    await eventually(() => b.leases.holds('s'), 5000, 'b takes over');
    expect(b.gained).toEqual(['s']);
    expect(await observer.get(leaseKey('s'))).toBe('b');
    expect(a.leases.holds('s')).toBe(false);
  });

  it('a holder that cannot reach Redis stops counting itself the holder', async () => {
    const a = await process('a', 1000);
    await a.leases.track('s');
    expect(a.leases.holds('s')).toBe(true);
    await redis.restart();
    // The restarted Redis is empty, and a's renewals failed meanwhile or re-took the free key: never two holders, and a keeps it only through Redis.
    const conn = await connectRedisCommands(redis.url, log);
    conns.push(conn);
    await eventually(async () => a.leases.holds('s') === ((await conn.get(leaseKey('s'))) === 'a'), 5000, 'a’s view agrees with Redis');
  });
});
