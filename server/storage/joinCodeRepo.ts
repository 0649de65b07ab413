import type Database from 'better-sqlite3';
import type { JoinCodeStore, JoinTarget, NewJoinCode } from './ports.js';

export type { JoinTarget } from './ports.js';

interface JoinRow {
  slug: string;
  session_id: string;
  role: 'edit' | 'view';
  token: string;
}

/** Join codes in SQLite. A code resolves only while it is unexpired, its token unrevoked and its session not deleted. */
export class JoinCodeRepo implements JoinCodeStore {
  private readonly insertStmt;
  private readonly resolveStmt;
  private readonly reusableStmt;
  private readonly purgeStmt;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare<[string, string, string, string, string, string, string]>(
      'INSERT INTO join_codes (code, event_id, session_id, role, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.resolveStmt = db.prepare<[string, string], JoinRow>(`
      SELECT e.slug, j.session_id, j.role, t.token
      FROM join_codes j
      JOIN tokens t ON t.hash = j.token_hash AND t.revoked_at IS NULL
      JOIN events e ON e.id = j.event_id
      JOIN sessions s ON s.id = j.session_id AND s.deleted_at IS NULL
      WHERE j.code = ? AND j.expires_at > ?`);
    this.reusableStmt = db.prepare<[string, string, string, string], { code: string; expires_at: string }>(
      'SELECT code, expires_at FROM join_codes WHERE session_id = ? AND role = ? AND token_hash = ? AND expires_at > ? ORDER BY expires_at DESC LIMIT 1',
    );
    this.purgeStmt = db.prepare<[string]>('DELETE FROM join_codes WHERE expires_at <= ?');
  }

  async insert(row: NewJoinCode): Promise<void> {
    this.insertStmt.run(row.code, row.eventId, row.sessionId, row.role, row.tokenHash, row.now, row.expiresAt);
  }

  async reusable(sessionId: string, role: 'edit' | 'view', tokenHash: string, validUntil: string): Promise<{ code: string; expiresAt: string } | undefined> {
    const row = this.reusableStmt.get(sessionId, role, tokenHash, validUntil);
    return row ? { code: row.code, expiresAt: row.expires_at } : undefined;
  }

  async resolve(code: string, now: string): Promise<JoinTarget | undefined> {
    const row = this.resolveStmt.get(code, now);
    return row ? { eventSlug: row.slug, sessionId: row.session_id, role: row.role, token: row.token } : undefined;
  }

  async purgeExpired(now: string): Promise<void> {
    this.purgeStmt.run(now);
  }
}
