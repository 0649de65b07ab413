import type pg from 'pg';
import { describeWithPostgres } from '../../../test/helpers/describeWithPostgres.js';
import { createLogger } from '../../logger.js';
import { describeStoragePorts } from '../ports.contract.js';
import { openPgPool } from './openPgPool.js';
import { openPgPorts } from './openPgPorts.js';

describeWithPostgres('the storage port contract on a private PostgreSQL 15', (postgres) => {

  describeStoragePorts('PostgreSQL', async () => {
    const pool: pg.Pool = await openPgPool({ url: await postgres().createDatabase(), log: createLogger('silent') });
    return { ports: openPgPorts(pool), close: () => pool.end() };
  });
});
