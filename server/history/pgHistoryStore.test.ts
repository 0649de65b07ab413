import { afterAll, beforeAll, describe } from 'vitest';
import { postgresAvailability, startPostgres, type PrivatePostgres } from '../../test/helpers/postgres.js';
import { createLogger } from '../logger.js';
import { openPgPool } from '../storage/postgres/openPgPool.js';
import { createPgDocStore } from '../storage/postgres/pgDocStore.js';
import { describeHistoryStore } from './historyStore.contract.js';
import { PgHistoryStore } from './pgHistoryStore.js';

const available = postgresAvailability();
if (!available.ok) console.warn(`skipped: ${available.reason}`);

describe.skipIf(!available.ok)('history on a private PostgreSQL 15', () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  describeHistoryStore('PostgreSQL', async ({ pauseMs, checkpointBytes, now }) => {
    const pool = await openPgPool({ url: await server.createDatabase(), log: createLogger('silent') });
    return {
      store: new PgHistoryStore(pool, { pauseMs, now, policy: { minBytes: checkpointBytes, growth: 0.5, maxRevisions: 1000 } }),
      docs: createPgDocStore(pool, { now }),
      close: () => pool.end(),
    };
  });
});
