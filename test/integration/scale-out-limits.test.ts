import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../helpers/childServer.js';
import { postgresAvailability, startPostgres, type PrivatePostgres } from '../helpers/postgres.js';
import { redisAvailability, startRedis, type PrivateRedis } from '../helpers/redis.js';
import { api, createEventWithSession, tempDataDir } from '../helpers/testServer.js';

const pgOk = postgresAvailability();
const redisOk = redisAvailability();
for (const a of [pgOk, redisOk]) if (!a.ok) console.warn(`skipped: ${a.reason}`);

async function status(base: string, path: string): Promise<number> {
  const res = await fetch(base + path, { redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

describe.skipIf(!pgOk.ok || !redisOk.ok)('guess limits shared between two processes', () => {
  let pg: PrivatePostgres;
  let redis: PrivateRedis;
  const children: ChildServer[] = [];
  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.kill9()));
  });
  afterAll(async () => {
    await Promise.all([pg?.stop(), redis?.stop()]);
  });

  it('wrong join codes tried on A and B add up: after 30 in all, both answer 429, right codes included', async () => {
    const env = { DATABASE_URL: await pg.createDatabase(), REDIS_URL: redis.url };
    const a = await startChildServer(tempDataDir(), { env });
    children.push(a);
    const b = await startChildServer(tempDataDir(), { env });
    children.push(b);
    const fx = await createEventWithSession(a.url, 'Shared guess limits');
    const good = await api<{ code: string }>(a.url, 'POST', `/api/sessions/${fx.session.id}/join-code`, { token: fx.event.tokens.edit, body: { role: 'view' } });
    expect(good.status).toBe(201);
    // Half the guesses on each process: neither alone reaches its limit of 30.
    for (let i = 0; i < 15; i++) expect(await status(a.url, `/j/AAAA-AA${String(i).padStart(2, '0')}`)).toBe(404);
    for (let i = 0; i < 14; i++) expect(await status(b.url, `/j/BBBB-BB${String(i).padStart(2, '0')}`)).toBe(404);
    expect(await status(b.url, `/j/${good.body.code}`)).toBe(302);
    expect(await status(b.url, '/j/CCCC-CCCC')).toBe(404);
    expect(await status(a.url, `/j/${good.body.code}`)).toBe(429);
    expect(await status(b.url, `/j/${good.body.code}`)).toBe(429);
  });
});
