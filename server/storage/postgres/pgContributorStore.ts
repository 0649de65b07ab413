import type pg from 'pg';
import type { ContributorStore } from '../ports.js';

/** Note-takers per session in PostgreSQL. */
export class PgContributorStore implements ContributorStore {
  constructor(private readonly pool: pg.Pool) {}

  async add(sessionId: string, names: readonly string[], now: string): Promise<void> {
    if (names.length === 0) return;
    // One statement is one unit; distinct names, since one INSERT may not touch a row twice.
    await this.pool.query(
      `INSERT INTO contributors (session_id, name, first_at, last_at) SELECT $1, n, $3, $3 FROM unnest($2::text[]) WITH ORDINALITY AS t(n, o)
       ON CONFLICT (session_id, name) DO UPDATE SET last_at = excluded.last_at`,
      [sessionId, [...new Set(names)], now],
    );
  }

  async list(sessionId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>('SELECT name FROM contributors WHERE session_id = $1 ORDER BY first_at COLLATE "C", name COLLATE "C"', [sessionId]);
    return rows.map((r) => r.name);
  }
}
