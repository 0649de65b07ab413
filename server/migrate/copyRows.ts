import type pg from 'pg';

/** One table as the migration copies it. */
export interface TableCopy {
  table: string;
  /** The primary key (or unique key) a row is found again by. */
  key: readonly string[];
  /**
   * Rows never change once written (the update log, snapshots): an existing
   * row is left as it is. Others are brought up to date when they differ
   * (a session edited on SQLite between two runs).
   */
  immutable?: boolean;
}

type Row = Record<string, unknown>;

/** The target table's columns (null when the table does not exist). */
export async function targetColumns(db: pg.ClientBase, table: string): Promise<Set<string> | null> {
  const { rows } = await db.query<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
    [table],
  );
  return rows.length > 0 ? new Set(rows.map((r) => r.column_name)) : null;
}

/**
 * Writes `rows` into the target, row for row, and returns how many were
 * inserted or changed (0: already there as they are). Only the columns both
 * sides have are copied, so a target column the source lacks keeps its default.
 */
export async function upsertRows(db: pg.ClientBase, copy: TableCopy, rows: readonly Row[], columnsThere: ReadonlySet<string>): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0]!).filter((c) => columnsThere.has(c));
  for (const k of copy.key) if (!columns.includes(k)) throw new Error(`${copy.table}: key column ${k} missing on one side`);
  const rest = columns.filter((c) => !copy.key.includes(c));
  const q = (c: string) => `"${c}"`;
  const onConflict = copy.immutable || rest.length === 0
    ? 'DO NOTHING'
    : `DO UPDATE SET ${rest.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ')} WHERE (${rest.map((c) => `cur.${q(c)}`).join(', ')}) IS DISTINCT FROM (${rest.map((c) => `EXCLUDED.${q(c)}`).join(', ')})`;
  // Under PostgreSQL's 65,535 parameters, and small enough that a batch of note updates stays a few MB.
  const perStatement = Math.max(1, Math.min(500, Math.floor(30_000 / columns.length)));
  let changed = 0;
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const tuples = batch.map((row) => `(${columns.map((c) => `$${params.push(row[c] ?? null)}`).join(', ')})`);
    const sql = `INSERT INTO ${q(copy.table)} AS cur (${columns.map(q).join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${copy.key.map(q).join(', ')}) ${onConflict}`;
    changed += (await db.query(sql, params)).rowCount ?? 0;
  }
  return changed;
}
