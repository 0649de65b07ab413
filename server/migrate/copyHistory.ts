import type Database from 'better-sqlite3';
import type pg from 'pg';
import { inTransaction } from '../storage/postgres/pgDocStore.js';
import { targetColumns, upsertRows, type TableCopy } from './copyRows.js';
import { hasTable } from './sourceDatabase.js';

/**
 * History's tables (server/history/historyMigration.ts) and author_clients
 * (who wrote with which Yjs client id, shared by history and search). Copied
 * as rows under the same names and keys: revisions refer to the update log by
 * sequence number, which copyEvent keeps. A surrogate `id` is left to the target.
 */
const HISTORY_TABLES: readonly (TableCopy & { by: 'doc_id' | 'session_id' })[] = [
  { table: 'history_revisions', key: ['doc_id', 'rev'], by: 'doc_id' },
  { table: 'history_checkpoints', key: ['doc_id', 'rev'], by: 'doc_id', immutable: true },
  { table: 'history_batch_authors', key: ['doc_id', 'seq'], by: 'doc_id' },
  { table: 'history_versions', key: ['doc_id', 'rev'], by: 'doc_id' },
  { table: 'author_clients', key: ['session_id', 'client_id'], by: 'session_id' },
];

/** The history step's outcome: skipped (with why), or rows changed per table. */
export type HistoryCopy = { skipped: string } | { changed: Record<string, number>; rows: Record<string, number> };

/**
 * Whether the target can take history: it has history's tables (PostgreSQL
 * history is its own migration; without it the server answers 501 for history
 * and there is nowhere to copy to). Null when it can, else the reason.
 */
export async function historyTargetMissing(pool: pg.Pool): Promise<string | null> {
  const client = await pool.connect();
  try {
    const missing: string[] = [];
    for (const t of HISTORY_TABLES) if (!(await targetColumns(client, t.table))) missing.push(t.table);
    return missing.length === 0 ? null : `the target has no history store (no ${missing.join(', ')} tables): this Roundtable keeps history on SQLite only`;
  } finally {
    client.release();
  }
}

/** Copies the history of an event's sessions, in one transaction. */
export async function copyHistory(source: Database.Database, pool: pg.Pool, sessionIds: readonly string[]): Promise<HistoryCopy> {
  const changed: Record<string, number> = {};
  const rows: Record<string, number> = {};
  await inTransaction(pool, 'BEGIN', async (client) => {
    for (const t of HISTORY_TABLES) {
      const columns = await targetColumns(client, t.table);
      if (!columns || !hasTable(source, t.table) || sessionIds.length === 0) continue;
      const read = source.prepare(`SELECT * FROM ${t.table} WHERE ${t.by} IN (SELECT value FROM json_each(?))`).all(JSON.stringify(sessionIds)) as Record<string, unknown>[];
      const withoutId = read.map(({ id: _id, ...rest }) => rest);
      rows[t.table] = withoutId.length;
      changed[t.table] = await upsertRows(client, t, withoutId, columns);
    }
  });
  return { changed, rows };
}
