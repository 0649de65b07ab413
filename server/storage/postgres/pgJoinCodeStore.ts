import type pg from 'pg';
import type { JoinCodeStore, JoinTarget, NewJoinCode } from '../ports.js';

/** Join codes in PostgreSQL. A code resolves only while it is unexpired, its token unrevoked and its session not deleted. */
export class PgJoinCodeStore implements JoinCodeStore {
  constructor(private readonly pool: pg.Pool) {}

  async insert(row: NewJoinCode): Promise<void> {
    await this.pool.query('INSERT INTO join_codes (code, event_id, session_id, role, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      row.code,
      row.eventId,
      row.sessionId,
      row.role,
      row.tokenHash,
      row.now,
      row.expiresAt,
    ]);
  }

  async reusable(sessionId: string, role: 'edit' | 'view', tokenHash: string, validUntil: string): Promise<{ code: string; expiresAt: string } | undefined> {
    const { rows } = await this.pool.query<{ code: string; expires_at: string }>(
      'SELECT code, expires_at FROM join_codes WHERE session_id = $1 AND role = $2 AND token_hash = $3 AND expires_at COLLATE "C" > $4 ORDER BY expires_at COLLATE "C" DESC LIMIT 1',
      [sessionId, role, tokenHash, validUntil],
    );
    return rows[0] ? { code: rows[0].code, expiresAt: rows[0].expires_at } : undefined;
  }

  async resolve(code: string, now: string): Promise<JoinTarget | undefined> {
    const { rows } = await this.pool.query<{ slug: string; session_id: string; role: 'edit' | 'view'; token: string }>(
      `SELECT e.slug, j.session_id, j.role, t.token
       FROM join_codes j
       JOIN tokens t ON t.hash = j.token_hash AND t.revoked_at IS NULL
       JOIN events e ON e.id = j.event_id
       JOIN sessions s ON s.id = j.session_id AND s.deleted_at IS NULL
       WHERE j.code = $1 AND j.expires_at COLLATE "C" > $2`,
      [code, now],
    );
    const row = rows[0];
    return row ? { eventSlug: row.slug, sessionId: row.session_id, role: row.role, token: row.token } : undefined;
  }

  async purgeExpired(now: string): Promise<void> {
    await this.pool.query('DELETE FROM join_codes WHERE expires_at COLLATE "C" <= $1', [now]);
  }
}
