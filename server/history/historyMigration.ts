import type Database from 'better-sqlite3';

/**
 * The tables of history (server/history), created when missing: it depends
 * on no table but doc_updates, creates author_clients itself when search's
 * migration has not, and only adds what is missing, so it is safe to run at
 * every start.
 *
 * - history_revisions: the stored changes, folded at compaction into one
 *   compact Yjs update per revision (instead of being deleted);
 * - history_checkpoints: full states (deleted content included) every so
 *   often, so any revision is rebuilt from the nearest one;
 * - history_batch_authors: who is in the stored changes not folded yet, a
 *   row whenever a document's set of authors changes (RecentAuthors);
 * - history_versions: names moderators gave to revisions;
 * - author_clients (shared with search): which author each Yjs client id is
 *   bound to, now with the kind (a person, or the template, a restore, an
 *   import, the server) and the colour the person showed.
 *
 * Run when history opens (createHistory), not from the storage migrations:
 * history's tables are its own, and a server without history never has them.
 */
export function historyMigration(db: Database.Database): void {
  db.exec(`
  CREATE TABLE IF NOT EXISTS history_revisions (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]',
    closed INTEGER NOT NULL DEFAULT 0,
    base INTEGER NOT NULL DEFAULT 0,
    data BLOB NOT NULL,
    UNIQUE (doc_id, rev)
  );
  CREATE TABLE IF NOT EXISTS history_checkpoints (
    doc_id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (doc_id, rev)
  );
  CREATE TABLE IF NOT EXISTS history_batch_authors (
    doc_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    authors TEXT NOT NULL,
    PRIMARY KEY (doc_id, seq)
  );
  CREATE TABLE IF NOT EXISTS history_versions (
    doc_id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, rev)
  );
  CREATE TABLE IF NOT EXISTS author_clients (
    session_id TEXT NOT NULL,
    client_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (session_id, client_id)
  );
  `);
  addColumn(db, 'author_clients', 'kind', "TEXT NOT NULL DEFAULT 'person'");
  addColumn(db, 'author_clients', 'color', 'TEXT');
}

function addColumn(db: Database.Database, table: string, column: string, definition: string): void {
  const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
  if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
}
