import type pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { postgresAvailability, startPostgres, type PrivatePostgres } from '../../../test/helpers/postgres.js';
import { createLogger } from '../../logger.js';
import { describeStoragePorts } from '../ports.contract.js';
import { openPgPool } from './openPgPool.js';
import { openPgPorts } from './openPgPorts.js';

const available = postgresAvailability();
if (!available.ok) console.warn(`skipped: ${available.reason}`);

describe.skipIf(!available.ok)('the storage port contract on a private PostgreSQL 15', () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  describeStoragePorts('PostgreSQL', async () => {
    const pool: pg.Pool = await openPgPool({ url: await server.createDatabase(), log: createLogger('silent') });
    return { ports: openPgPorts(pool), close: () => pool.end() };
  });
});
