import Database from 'better-sqlite3';

/** Rows per table: what a copy must hold to be the same database. */
export type TableCounts = Record<string, number>;

export interface DatabaseCheck {
  /** Problems found (empty: the file is a sound Roundtable database). */
  problems: string[];
  counts: TableCounts;
  schemaVersion: number;
}

/** Tables a Roundtable database has from its first migration on. */
const REQUIRED_TABLES = ['events', 'sessions', 'tokens', 'doc_updates', 'doc_snapshots'];

/** Row counts of every real table (virtual tables are counted through their shadow tables). */
export function countRows(db: Database.Database): TableCounts {
  const tables = db
    .prepare<[], { name: string; sql: string | null }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .filter((t) => !/^\s*CREATE\s+VIRTUAL\s/i.test(t.sql ?? ''));
  const counts: TableCounts = {};
  for (const { name } of tables) counts[name] = (db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
  return counts;
}

/**
 * Opens `file` read-only and checks it the slow, thorough way: SQLite's full
 * `integrity_check` (every page, every index against its table), the tables
 * Roundtable needs, and the schema version. Never writes to the file.
 */
export function checkDatabase(file: string): DatabaseCheck {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    return { problems: [`cannot open it: ${(err as Error).message}`], counts: {}, schemaVersion: 0 };
  }
  try {
    const integrity = (db.pragma('integrity_check(20)') as { integrity_check: string }[]).map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (integrity.length > 0) return { problems: integrity.map((p) => `integrity: ${p}`), counts: {}, schemaVersion: 0 };
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const counts = countRows(db);
    const missing = REQUIRED_TABLES.filter((t) => !(t in counts));
    const problems = missing.length > 0 ? [`not a Roundtable database: no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}`] : [];
    return { problems, counts, schemaVersion };
  } catch (err) {
    return { problems: [`cannot read it: ${(err as Error).message}`], counts: {}, schemaVersion: 0 };
  } finally {
    db.close();
  }
}

/** The differences between two sets of counts, as sentences ("doc_updates: 120 in the source, 119 in the copy"). */
export function countDifferences(expected: TableCounts, actual: TableCounts, names = { expected: 'the source', actual: 'the copy' }): string[] {
  const out: string[] = [];
  for (const table of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    if (expected[table] !== actual[table]) out.push(`${table}: ${expected[table] ?? 'missing'} in ${names.expected}, ${actual[table] ?? 'missing'} in ${names.actual}`);
  }
  return out;
}
