import type Database from 'better-sqlite3';
import type { Role } from '../../shared/roles.js';
import type { ResolvedToken, TokenStore } from './ports.js';
import type { TokenRow } from './rows.js';

export type { ResolvedToken } from './ports.js';

/**
 * Capability tokens in SQLite. Lookups go through a SHA-256 hash so the
 * comparison never depends on the secret's bytes; the plain token is kept
 * only so moderators can copy links again later.
 */
export class TokenRepo implements TokenStore {
  private readonly byHash;
  private readonly activeForEvent;
  private readonly rotateTx;

  constructor(db: Database.Database) {
    const insertStmt = db.prepare<[string, string, string, string, string]>(
      'INSERT INTO tokens (hash, token, event_id, role, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.byHash = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL');
    this.activeForEvent = db.prepare<[string], TokenRow>(
      'SELECT * FROM tokens WHERE event_id = ? AND revoked_at IS NULL ORDER BY created_at',
    );
    const revokeRole = db.prepare<[string, string, string]>(
      'UPDATE tokens SET revoked_at = ? WHERE event_id = ? AND role = ? AND revoked_at IS NULL',
    );
    this.rotateTx = db.transaction((eventId: string, role: Role, token: { token: string; hash: string }, now: string) => {
      const hashes = this.activeForEvent
        .all(eventId)
        .filter((r) => r.role === role)
        .map((r) => r.hash);
      revokeRole.run(now, eventId, role);
      insertStmt.run(token.hash, token.token, eventId, role, now);
      return hashes;
    });
  }

  async resolve(hash: string): Promise<ResolvedToken | undefined> {
    const row = this.byHash.get(hash);
    if (!row) return undefined;
    return { eventId: row.event_id, role: row.role as Role, hash: row.hash };
  }

  async activeTokens(eventId: string): Promise<Partial<Record<Role, string>>> {
    const out: Partial<Record<Role, string>> = {};
    for (const row of this.activeForEvent.all(eventId)) out[row.role as Role] = row.token;
    return out;
  }

  async rotate(eventId: string, role: Role, token: { token: string; hash: string }, now: string): Promise<string[]> {
    return this.rotateTx(eventId, role, token, now);
  }
}
