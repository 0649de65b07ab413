import type pg from 'pg';

/**
 * PostgreSQL schema, one entry per version, applied in order and recorded in
 * rt_schema_versions. Never edit a released entry: add the next one. A
 * session-level advisory lock keeps two processes starting at once from
 * migrating together.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE doc_updates (
    seq BIGSERIAL PRIMARY KEY,
    doc_id TEXT NOT NULL,
    data BYTEA NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX doc_updates_by_doc ON doc_updates (doc_id, seq);
  CREATE TABLE doc_snapshots (
    id BIGSERIAL PRIMARY KEY,
    doc_id TEXT NOT NULL,
    upto_seq BIGINT NOT NULL,
    data BYTEA NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX doc_snapshots_by_doc ON doc_snapshots (doc_id, id);
  `,
  // Everything else, with SQLite's column names and text timestamps (ISO 8601), so rows read the same on both.
  `
  CREATE TABLE events (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    timezone TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'en',
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
  CREATE INDEX tokens_by_event ON tokens (event_id, role);
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    starts_at TEXT,
    ends_at TEXT,
    rooms TEXT NOT NULL DEFAULT '[]',
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
  CREATE INDEX sessions_by_event ON sessions (event_id, starts_at);
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
  CREATE INDEX action_items_by_event ON action_items (event_id, removed_at);
  CREATE INDEX action_items_by_session ON action_items (session_id, removed_at);
  CREATE TABLE contributors (
    session_id TEXT NOT NULL,
    name TEXT NOT NULL,
    first_at TEXT NOT NULL,
    last_at TEXT NOT NULL,
    PRIMARY KEY (session_id, name)
  );
  CREATE TABLE join_codes (
    code TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('view', 'edit')),
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX join_codes_by_session ON join_codes (session_id, role, token_hash);
  `,
  // History (server/history/pgHistoryStore.ts): the same tables as SQLite's historyMigration.ts.
  `
  CREATE TABLE history_revisions (
    doc_id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    first_seq BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]',
    closed BOOLEAN NOT NULL DEFAULT false,
    base BOOLEAN NOT NULL DEFAULT false,
    data BYTEA NOT NULL,
    PRIMARY KEY (doc_id, rev)
  );
  CREATE TABLE history_checkpoints (
    doc_id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    data BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (doc_id, rev)
  );
  CREATE TABLE history_batch_authors (
    doc_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    authors TEXT NOT NULL,
    PRIMARY KEY (doc_id, seq)
  );
  CREATE TABLE history_versions (
    doc_id TEXT NOT NULL,
    rev INTEGER NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, rev)
  );
  CREATE TABLE author_clients (
    session_id TEXT NOT NULL,
    client_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'person',
    color TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (session_id, client_id)
  );
  `,
  // Search (server/storage/postgres/pgSearchRepo.ts): SQLite's search tables, with pg_trgm's trigram index
  // over the normalised text instead of FTS5 (substrings, also in Japanese without spaces). pg_trgm ships
  // with PostgreSQL (Debian: postgresql-15 contrib) and is a trusted extension: the database owner may create it.
  `
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE TABLE search_blocks (
    id BIGSERIAL PRIMARY KEY,
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
  CREATE INDEX search_blocks_by_event ON search_blocks (event_id, session_id, ord);
  CREATE INDEX search_blocks_trgm ON search_blocks USING gin (norm gin_trgm_ops);
  CREATE TABLE search_sessions (
    session_id TEXT PRIMARY KEY,
    doc_seq BIGINT NOT NULL,
    indexed_at TEXT NOT NULL
  );
  CREATE TABLE search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/** Arbitrary, fixed: the advisory lock every Roundtable process takes to migrate. */
const MIGRATION_LOCK = 0x52540001;

export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS rt_schema_versions (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM rt_schema_versions');
      const current = rows[0]?.v ?? 0;
      if (current > PG_MIGRATIONS.length) {
        throw new Error(`the PostgreSQL schema is version ${current}, newer than this Roundtable (${PG_MIGRATIONS.length}): upgrade Roundtable`);
      }
      for (let version = current + 1; version <= PG_MIGRATIONS.length; version++) {
        await client.query('BEGIN');
        try {
          await client.query(PG_MIGRATIONS[version - 1]!);
          await client.query('INSERT INTO rt_schema_versions (version) VALUES ($1)', [version]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
