import type Database from 'better-sqlite3';

/**
 * Ordered schema migrations; `PRAGMA user_version` records how many ran.
 * Append only: never edit a migration that has shipped.
 */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE events (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    timezone TEXT NOT NULL,
    template TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('view', 'edit', 'moderate')),
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE INDEX tokens_by_event ON tokens(event_id, role);
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    starts_at TEXT,
    ends_at TEXT,
    room TEXT,
    track TEXT,
    moderators TEXT NOT NULL DEFAULT '[]',
    tags TEXT NOT NULL DEFAULT '[]',
    description TEXT,
    uid TEXT,
    locked INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'scheduled',
    now_discussing TEXT,
    notes_updated_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
  );
  CREATE INDEX sessions_by_event ON sessions(event_id, starts_at);
  CREATE TABLE doc_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX doc_updates_by_doc ON doc_updates(doc_id, seq);
  CREATE TABLE doc_snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    upto_seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX doc_snapshots_by_doc ON doc_snapshots(doc_id, id);
  `,
  `
  CREATE TABLE action_items (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    text TEXT NOT NULL,
    owners TEXT NOT NULL DEFAULT '[]',
    due TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('open', 'done')),
    source TEXT NOT NULL,
    position TEXT NOT NULL,
    linked_id TEXT,
    first_seen_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT
  );
  CREATE INDEX action_items_by_event ON action_items(event_id, removed_at);
  CREATE INDEX action_items_by_session ON action_items(session_id, removed_at);
  CREATE TABLE contributors (
    session_id TEXT NOT NULL,
    name TEXT NOT NULL,
    first_at TEXT NOT NULL,
    last_at TEXT NOT NULL,
    PRIMARY KEY (session_id, name)
  );
  `,
  `
  CREATE TABLE join_codes (
    code TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('view', 'edit')),
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX join_codes_by_session ON join_codes(session_id, role, token_hash);
  `,
];

/** The schema version a fully migrated database has (`PRAGMA user_version`). */
export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version];
    if (sql === undefined) break;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
