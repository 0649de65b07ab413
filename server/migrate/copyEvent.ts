import type Database from 'better-sqlite3';
import type pg from 'pg';
import { inTransaction } from '../storage/postgres/pgDocStore.js';
import { targetColumns, upsertRows, type TableCopy } from './copyRows.js';
import { MigrateError } from './migrateError.js';

type Row = Record<string, unknown>;

/**
 * An event's rows, in the order foreign keys need, each with how the source
 * selects them (by event, or by its sessions: contributors and documents carry
 * no event id). Sequence numbers and snapshot ids are kept as they are: history
 * refers to the update log by sequence number, and checkpoints by id.
 */
const EVENT_TABLES: readonly (TableCopy & { where: 'id' | 'event' | 'session' | 'doc' })[] = [
  { table: 'events', key: ['id'], where: 'id' },
  { table: 'tokens', key: ['hash'], where: 'event' },
  { table: 'sessions', key: ['id'], where: 'event' },
  { table: 'contributors', key: ['session_id', 'name'], where: 'session' },
  { table: 'action_items', key: ['id'], where: 'event' },
  { table: 'join_codes', key: ['code'], where: 'event' },
  { table: 'doc_updates', key: ['seq'], where: 'doc', immutable: true },
  { table: 'doc_snapshots', key: ['id'], where: 'doc', immutable: true },
];

export interface EventCopy {
  /** Rows inserted or brought up to date, per table (all zero: already up to date). */
  changed: Record<string, number>;
  /** Rows the source holds, per table. */
  rows: Record<string, number>;
  sessionIds: string[];
}

function readRows(db: Database.Database, table: string, where: 'id' | 'event' | 'session' | 'doc', eventId: string): Row[] {
  const sessionsOf = 'SELECT id FROM sessions WHERE event_id = ?';
  const clause = { id: 'id = ?', event: 'event_id = ?', session: `session_id IN (${sessionsOf})`, doc: `doc_id IN (${sessionsOf})` }[where];
  return db.prepare(`SELECT * FROM ${table} WHERE ${clause}`).all(eventId) as Row[];
}

/** Copies one event with everything stored under it, in one PostgreSQL transaction (all or nothing). */
export async function copyEvent(source: Database.Database, pool: pg.Pool, eventId: string): Promise<EventCopy> {
  const changed: Record<string, number> = {};
  const counts: Record<string, number> = {};
  const sessionIds = (source.prepare('SELECT id FROM sessions WHERE event_id = ?').all(eventId) as { id: string }[]).map((r) => r.id);
  await inTransaction(pool, 'BEGIN', async (client) => {
    const event = source.prepare('SELECT id, slug FROM events WHERE id = ?').get(eventId) as { id: string; slug: string };
    const clash = await client.query<{ id: string }>('SELECT id FROM events WHERE slug = $1 AND id <> $2', [event.slug, event.id]);
    if (clash.rows[0]) throw new MigrateError(`event "${event.slug}": the target already has another event with this address (id ${clash.rows[0].id}); migrate into an empty database, or rename one of them first`);
    for (const copy of EVENT_TABLES) {
      const rows = readRows(source, copy.table, copy.where, eventId);
      const columns = await targetColumns(client, copy.table);
      if (!columns) throw new MigrateError(`the target has no table ${copy.table}: is it a Roundtable database?`);
      counts[copy.table] = rows.length;
      changed[copy.table] = await upsertRows(client, copy, rows, columns);
      if (copy.immutable) await checkSameDocs(client, copy.table, copy.key[0]!, rows);
    }
  });
  return { changed, rows: counts, sessionIds };
}

/**
 * An update or snapshot kept under its number only if the target's row of that
 * number is the same document's: a target written by a server of its own
 * (its demo event, say) may have used the numbers already.
 */
async function checkSameDocs(client: pg.PoolClient, table: string, key: string, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((r) => Number(r[key]));
  const there = await client.query<{ k: string; doc_id: string }>(`SELECT ${key} AS k, doc_id FROM ${table} WHERE ${key} = ANY($1::bigint[])`, [ids]);
  const docOf = new Map(there.rows.map((r) => [Number(r.k), r.doc_id]));
  const wrong = rows.find((r) => docOf.get(Number(r[key])) !== r.doc_id);
  if (wrong) {
    throw new MigrateError(`${table} ${key} ${String(wrong[key])} of session ${String(wrong.doc_id)} is taken in the target by session ${docOf.get(Number(wrong[key])) ?? '(none)'}: the target holds documents that did not come from this source; migrate into an empty database`);
  }
}

/** After copying with the numbers kept, new updates and snapshots in the target must be numbered after them. */
export async function advanceSequences(pool: pg.Pool): Promise<void> {
  for (const [table, column] of [['doc_updates', 'seq'], ['doc_snapshots', 'id']] as const) {
    const seq = (await pool.query<{ s: string }>('SELECT pg_get_serial_sequence($1, $2) AS s', [table, column])).rows[0]!.s;
    const max = Number((await pool.query<{ m: string | null }>(`SELECT max(${column}) AS m FROM ${table}`)).rows[0]?.m ?? 0);
    const last = (await pool.query<{ last_value: string; is_called: boolean }>(`SELECT last_value, is_called FROM ${seq}`)).rows[0]!;
    const used = last.is_called ? Number(last.last_value) : Number(last.last_value) - 1;
    if (max > used) await pool.query('SELECT setval($1::regclass, $2)', [seq, max]);
  }
}
