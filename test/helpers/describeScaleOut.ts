import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { startChildServer, type ChildServer } from './childServer.js';
import { tempDataDir } from './testServer.js';
import { postgresAvailability, startPostgres, type PrivatePostgres } from './postgres.js';
import { redisAvailability, startRedis, type PrivateRedis } from './redis.js';

export interface ScaleOutSuite {
  /** A fresh database on the private PostgreSQL, and the private Redis: a child server's environment. */
  env(): Promise<{ DATABASE_URL: string; REDIS_URL: string }>;
  /** Child servers the test starts: killed (-9) after each test, after the test's own afterEach hooks. */
  children: ChildServer[];
  /**
   * `count` server processes on one fresh database and the Redis (plus `extraEnv`), each with its
   * own data directory (everything shared is in PostgreSQL), started one after another and in `children`.
   */
  servers(count: number, extraEnv?: Record<string, string>): Promise<ChildServer[]>;
}

/**
 * A describe block for tests of several server processes: one private
 * PostgreSQL and one redis-server for the block, skipped with one line each
 * saying what to install when the binaries are absent.
 */
export function describeScaleOut(name: string, body: (suite: ScaleOutSuite) => void): void {
  const pgOk = postgresAvailability();
  const redisOk = redisAvailability();
  for (const a of [pgOk, redisOk]) if (!a.ok) console.warn(`skipped: ${a.reason}`);
  describe.skipIf(!pgOk.ok || !redisOk.ok)(name, () => {
    let pg: PrivatePostgres | undefined;
    let redis: PrivateRedis | undefined;
    const children: ChildServer[] = [];
    beforeAll(async () => {
      [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    }, 60_000);
    // Registered first, so it runs after the body's own afterEach hooks (clients go before their servers).
    afterEach(async () => {
      await Promise.all(children.splice(0).map((c) => c.kill9()));
    });
    afterAll(async () => {
      await Promise.all([pg?.stop(), redis?.stop()]);
    });
    const env = async () => {
      if (!pg || !redis) throw new Error('the private PostgreSQL and Redis have not started');
      return { DATABASE_URL: await pg.createDatabase(), REDIS_URL: redis.url };
    };
    body({
      env,
      children,
      async servers(count, extraEnv = {}) {
        const shared = { ...(await env()), ...extraEnv };
        const started: ChildServer[] = [];
        for (let i = 0; i < count; i++) {
          const s = await startChildServer(tempDataDir(), { env: shared });
          children.push(s);
          started.push(s);
        }
        return started;
      },
    });
  });
}
