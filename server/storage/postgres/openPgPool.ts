import pg from 'pg';
import { hidePassword } from '../hidePassword.js';
import type { Logger } from '../../logger.js';
import { migratePostgres } from './pgMigrations.js';

export interface PgPoolOptions {
  url: string;
  log: Logger;
  max?: number;
  /** How long start-up waits for the database before giving up. */
  connectTimeoutMs?: number;
}

/** Connects (a pool), migrates, and rejects with a clear reason when PostgreSQL cannot be reached. */
export async function openPgPool(opts: PgPoolOptions): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.max ?? 10, connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000 });
  // An idle client losing its connection must not end the process; the next query reconnects.
  pool.on('error', (err) => opts.log.warn('postgres connection lost', { error: err.message }));
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`PostgreSQL at ${hidePassword(opts.url)} is unusable: ${err instanceof Error ? err.message : String(err)}`);
  }
  return pool;
}
