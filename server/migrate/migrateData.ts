import path from 'node:path';
import pg from 'pg';
import { createSqliteDocStore } from '../storage/docStore.js';
import { hidePassword } from '../storage/hidePassword.js';
import { createPgDocStore } from '../storage/postgres/pgDocStore.js';
import { migratePostgres } from '../storage/postgres/pgMigrations.js';
import { advanceSequences, copyEvent } from './copyEvent.js';
import { copyHistory, historyTargetMissing, type HistoryCopy } from './copyHistory.js';
import { MigrateError } from './migrateError.js';
import { openSourceDatabase } from './sourceDatabase.js';
import { differingDocs } from './verifyDocs.js';

export interface MigrateOptions {
  /** The data directory (DATA_DIR) holding roundtable.sqlite. */
  from: string;
  /** postgres://… */
  to: string;
  /** After each event. */
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface EventMigration {
  slug: string;
  /** Nothing was written: the target held every row already, as it is. */
  upToDate: boolean;
  changed: Record<string, number>;
  rows: Record<string, number>;
  /** Documents whose state was compared and found identical. */
  verified: number;
  history: HistoryCopy;
}

export interface MigrationReport {
  target: string;
  events: EventMigration[];
  /** Why history was not copied (the target has no history store), or null. */
  historySkipped: string | null;
}

async function connect(url: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: 3, connectionTimeoutMillis: 5000 });
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool);
    return pool;
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new MigrateError(`cannot use PostgreSQL at ${hidePassword(url)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Copies every event of a SQLite data directory into PostgreSQL, one event
 * per transaction, then compares each of its documents on both sides; history
 * is a separate step after it. Running it again writes nothing that is
 * already there, so it doubles as a check.
 */
export async function migrateData(opts: MigrateOptions): Promise<MigrationReport> {
  const source = openSourceDatabase(path.join(opts.from, 'roundtable.sqlite'));
  try {
    const pool = await connect(opts.to);
    try {
      const historySkipped = await historyTargetMissing(pool);
      const sourceDocs = createSqliteDocStore(source);
      const targetDocs = createPgDocStore(pool);
      const events = source.prepare('SELECT id, slug FROM events ORDER BY created_at, id').all() as { id: string; slug: string }[];
      const out: EventMigration[] = [];
      for (const [i, event] of events.entries()) {
        const copy = await copyEvent(source, pool, event.id);
        await advanceSequences(pool);
        const differing = await differingDocs(copy.sessionIds, sourceDocs, targetDocs);
        if (differing.length > 0) {
          throw new MigrateError(`event "${event.slug}": after copying, the notes of ${differing.length} session(s) differ between SQLite and PostgreSQL (${differing.slice(0, 5).join(', ')}): was the target written to by a server? The source is unchanged; migrate into an empty database`);
        }
        const history = historySkipped ? { skipped: historySkipped } : await copyHistory(source, pool, copy.sessionIds);
        const historyChanged = 'changed' in history ? Object.values(history.changed).some((n) => n > 0) : false;
        const upToDate = !historyChanged && Object.values(copy.changed).every((n) => n === 0);
        out.push({ slug: event.slug, upToDate, changed: copy.changed, rows: copy.rows, verified: copy.sessionIds.length, history });
        opts.onProgress?.(i + 1, events.length, `${event.slug}: ${upToDate ? 'already up to date' : 'copied'}`);
      }
      return { target: hidePassword(opts.to), events: out, historySkipped };
    } finally {
      await pool.end();
    }
  } finally {
    source.close();
  }
}
