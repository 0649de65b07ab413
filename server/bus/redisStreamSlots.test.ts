import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/helpers/eventually.js';
import { redisAvailability, startRedis, type PrivateRedis } from '../../test/helpers/redis.js';
import { createLogger } from '../logger.js';
import { connectRedisCommands } from './redisCommands.js';
import { RedisStreamSlots } from './redisStreamSlots.js';

const available = redisAvailability();
if (!available.ok) console.warn(`skipped: ${available.reason}`);
const log = createLogger('silent');

describe.skipIf(!available.ok)('event-stream caps counted in Redis', () => {
  let redis: PrivateRedis;
  const conns: Redis[] = [];
  const made: RedisStreamSlots[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    for (const s of made) s.close();
    for (const c of conns) c.disconnect();
    await redis?.stop();
  });

  async function slots(ttlMs = 30_000, processId?: string): Promise<{ slots: RedisStreamSlots; conn: Redis }> {
    const conn = await connectRedisCommands(redis.url, log);
    conns.push(conn);
    const s = new RedisStreamSlots({ redis: conn, log, ttlMs, processId });
    made.push(s);
    return { slots: s, conn };
  }

  it('two processes share one cap per key; releasing frees a slot; links and addresses are counted apart', async () => {
    const { slots: a } = await slots();
    const { slots: b } = await slots();
    expect(await a.tryTake('address', '10.0.0.1', '1', 3)).toBe(true);
    expect(await b.tryTake('address', '10.0.0.1', '1', 3)).toBe(true);
    expect(await a.tryTake('address', '10.0.0.1', '2', 3)).toBe(true);
    expect(await b.tryTake('address', '10.0.0.1', '2', 3)).toBe(false);
    expect(await a.tryTake('address', '10.0.0.1', '3', 3)).toBe(false);
    // The same key as a link, and another address, have their own counts.
    expect(await b.tryTake('link', '10.0.0.1', '3', 3)).toBe(true);
    expect(await b.tryTake('address', '10.0.0.2', '4', 3)).toBe(true);
    a.release('address', '10.0.0.1', '2');
    // The release is sent before the next command on the same connection; B's take goes on its own, so poll.
    await eventually(() => b.tryTake('address', '10.0.0.1', '5', 3), 5000, 'the released slot is free for B');
    expect(await a.tryTake('address', '10.0.0.1', '6', 3)).toBe(false);
  });

  it('takes the last slot once when two processes race for it', async () => {
    const { slots: a } = await slots();
    const { slots: b } = await slots();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).tryTake('address', 'race', String(i), 5)));
    expect(results.filter(Boolean)).toHaveLength(5);
  });

  it('a process that stops renewing (killed) frees its slots within the TTL; a live one keeps its own', async () => {
    const { slots: dead } = await slots(600);
    const { slots: alive, conn } = await slots(600, 'alive');
    expect(await dead.tryTake('address', 'ttl', '1', 2)).toBe(true);
    expect(await alive.tryTake('address', 'ttl', '1', 2)).toBe(true);
    const firstExpiry = Number(await conn.zscore('rt:streams:address:ttl', 'alive:1'));
    dead.close();
    expect(await alive.tryTake('address', 'ttl', '2', 2)).toBe(false);
    // The dead one's slot lapses; the live one is renewed every TTL/3, so exactly one slot comes free.
    await eventually(() => alive.tryTake('address', 'ttl', '2', 2), 5000, 'the dead process slot expired');
    // Both live slots outlived the first expiry of every slot here: renewals keep them.
    await eventually(async () => {
      const scores = (await conn.zrange('rt:streams:address:ttl', 0, -1, 'WITHSCORES')).filter((_, i) => i % 2 === 1).map(Number);
      return scores.length === 2 && scores.every((x) => x > firstExpiry + 600);
    }, 5000, 'the live slots were renewed past their first expiry');
    expect(await alive.tryTake('address', 'ttl', '3', 2)).toBe(false);
  });

  it('counts on this process while Redis cannot be reached, the streams it opened before included', async () => {
    const { slots: a, conn } = await slots();
    expect(await a.tryTake('address', 'gone', '1', 2)).toBe(true);
    conn.disconnect();
    expect(await a.tryTake('address', 'gone', '2', 2)).toBe(true);
    expect(await a.tryTake('address', 'gone', '3', 2)).toBe(false);
    a.release('address', 'gone', '1');
    expect(await a.tryTake('address', 'gone', '3', 2)).toBe(true);
  });

  it('after Redis restarted empty, the renewal puts the open streams back', async () => {
    const { slots: a } = await slots();
    const { slots: b } = await slots();
    expect(await a.tryTake('address', 'restart', '1', 2)).toBe(true);
    expect(await a.tryTake('address', 'restart', '2', 2)).toBe(true);
    await redis.restart();
    await eventually(() => conns.every((c) => c.status === 'ready' || c.status === 'end'), 10_000, 'reconnected');
    await a.renew();
    expect(await b.tryTake('address', 'restart', '1', 2)).toBe(false);
  });
});
