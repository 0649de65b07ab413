import type Database from 'better-sqlite3';

/**
 * Ordered schema migrations; `PRAGMA user_version` records how many ran.
 * Append only: never edit a migration that has shipped. A migration is SQL,
 * or a function for data changes SQL cannot express; each runs in its own
 * transaction.
 */
const MIGRATIONS: (string | ((db: Database.Database) => void))[] = [
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
  // The event's language (default template, minutes headings); events made before it existed are English.
  `
  ALTER TABLE events ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
  `,
  // A session takes place in any number of rooms: `room TEXT` becomes `rooms` (a JSON array). Before,
  // "Room A;Room B" in a CSV was stored as one room; it becomes two. The split is written out here,
  // not imported, so this migration never changes after it shipped.
  (db) => {
    db.exec("ALTER TABLE sessions ADD COLUMN rooms TEXT NOT NULL DEFAULT '[]'");
    const rows = db.prepare<[], { id: string; room: string }>("SELECT id, room FROM sessions WHERE room IS NOT NULL AND trim(room) <> ''").all();
    const set = db.prepare<[string, string]>('UPDATE sessions SET rooms = ? WHERE id = ?');
    for (const { id, room } of rows) {
      const rooms = [...new Set(room.split(/[;；]/).map((r) => r.trim()).filter(Boolean))];
      set.run(JSON.stringify(rooms), id);
    }
    db.exec('ALTER TABLE sessions DROP COLUMN room');
  },
  // Search (server/search): one row per text block of the notes, a trigram full-text index over its
  // normalised text, and how far each session's index has read its document. Derived data: the server
  // rebuilds it from the documents when it is missing or stale. author_clients says which display name
  // wrote with which Yjs client id (from presence, not derivable): characters per author for the
  // contributors report. Self-contained (it depends on no other migration's tables) and idempotent (IF NOT
  // EXISTS), so it is safe wherever it ends up in the list and when user_version was set back by hand.
  `
  CREATE TABLE IF NOT EXISTS search_blocks (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    block_id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    heading TEXT NOT NULL DEFAULT '',
    action_item_id TEXT,
    text TEXT NOT NULL,
    norm TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '{}',
    UNIQUE (session_id, block_id)
  );
  CREATE INDEX IF NOT EXISTS search_blocks_by_event ON search_blocks(event_id, session_id, ord);
  CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(norm, content='search_blocks', content_rowid='id', tokenize='trigram case_sensitive 1');
  CREATE TRIGGER IF NOT EXISTS search_blocks_ai AFTER INSERT ON search_blocks BEGIN
    INSERT INTO search_fts(rowid, norm) VALUES (new.id, new.norm);
  END;
  CREATE TRIGGER IF NOT EXISTS search_blocks_ad AFTER DELETE ON search_blocks BEGIN
    INSERT INTO search_fts(search_fts, rowid, norm) VALUES ('delete', old.id, old.norm);
  END;
  CREATE TRIGGER IF NOT EXISTS search_blocks_au AFTER UPDATE OF norm ON search_blocks BEGIN
    INSERT INTO search_fts(search_fts, rowid, norm) VALUES ('delete', old.id, old.norm);
    INSERT INTO search_fts(rowid, norm) VALUES (new.id, new.norm);
  END;
  CREATE TABLE IF NOT EXISTS search_sessions (
    session_id TEXT PRIMARY KEY,
    doc_seq INTEGER NOT NULL,
    indexed_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS author_clients (
    session_id TEXT NOT NULL,
    client_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (session_id, client_id)
  );
  `,
];

/** The schema version this code reads and writes (`PRAGMA user_version` once every migration ran). */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Runs the migrations not yet run (tests may stop at `upTo`, to build a database as an older version left it). */
export function migrate(db: Database.Database, upTo = MIGRATIONS.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < Math.min(upTo, MIGRATIONS.length); version++) {
    const step = MIGRATIONS[version];
    if (step === undefined) break;
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
