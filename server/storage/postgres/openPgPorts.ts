import type pg from 'pg';
import type { DocStoreOptions } from '../docStore.js';
import type { StoragePorts } from '../ports.js';
import { PgActionItemStore } from './pgActionItemStore.js';
import { PgContributorStore } from './pgContributorStore.js';
import { createPgDocStore } from './pgDocStore.js';
import { PgEventStore } from './pgEventStore.js';
import { PgJoinCodeStore } from './pgJoinCodeStore.js';
import { PgSessionStore } from './pgSessionStore.js';
import { PgTokenStore } from './pgTokenStore.js';

/** Every storage port on one PostgreSQL pool (migrated by openPgPool). */
export function openPgPorts(pool: pg.Pool, docOptions: DocStoreOptions = {}): StoragePorts {
  return {
    docs: createPgDocStore(pool, docOptions),
    events: new PgEventStore(pool),
    sessions: new PgSessionStore(pool),
    contributors: new PgContributorStore(pool),
    tokens: new PgTokenStore(pool),
    actionItems: new PgActionItemStore(pool),
    joinCodes: new PgJoinCodeStore(pool),
  };
}
