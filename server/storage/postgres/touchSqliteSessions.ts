import type Database from 'better-sqlite3';

/**
 * While sessions stay in SQLite and notes live in PostgreSQL, the SQLite
 * sessions still learn when their notes were written (schedule import keeps
 * sessions that have notes), as SQLite's own document store does in its append.
 */
export function touchSqliteSessions(db: Database.Database): (docIds: readonly string[], atIso: string) => void {
  const touch = db.prepare<[string, string]>('UPDATE sessions SET notes_updated_at = ? WHERE id = ?');
  const all = db.transaction((docIds: readonly string[], atIso: string) => {
    for (const id of docIds) touch.run(atIso, id);
  });
  return (docIds, atIso) => all(docIds, atIso);
}
