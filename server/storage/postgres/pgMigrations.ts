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
