import type Database from 'better-sqlite3';
import type { Role } from '../../shared/roles.js';
import type { TokenRow } from './rows.js';

export interface ResolvedToken {
  eventId: string;
  role: Role;
  hash: string;
}

/**
 * Capability tokens. Lookups go through a SHA-256 hash so the comparison
 * never depends on the secret's bytes; the plain token is kept only so
 * moderators can copy links again later.
 */
export class TokenRepo {
  private readonly insertStmt;
  private readonly byHash;
  private readonly activeForEvent;
  private readonly revokeRole;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare<[string, string, string, string, string]>(
      'INSERT INTO tokens (hash, token, event_id, role, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.byHash = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL');
    this.activeForEvent = db.prepare<[string], TokenRow>(
      'SELECT * FROM tokens WHERE event_id = ? AND revoked_at IS NULL ORDER BY created_at',
    );
    this.revokeRole = db.prepare<[string, string, string]>(
      'UPDATE tokens SET revoked_at = ? WHERE event_id = ? AND role = ? AND revoked_at IS NULL',
    );
  }

  /** Stores a link's token with its hash (lookups go by the hash; the token is kept so links can be shown again). */
  insert(eventId: string, role: Role, token: { token: string; hash: string }, now: string): void {
    this.insertStmt.run(token.hash, token.token, eventId, role, now);
  }

  resolve(hash: string): ResolvedToken | undefined {
    const row = this.byHash.get(hash);
    if (!row) return undefined;
    return { eventId: row.event_id, role: row.role as Role, hash: row.hash };
  }

  /** The active token per role (the newest if several). */
  activeTokens(eventId: string): Partial<Record<Role, string>> {
    const out: Partial<Record<Role, string>> = {};
    for (const row of this.activeForEvent.all(eventId)) out[row.role as Role] = row.token;
    return out;
  }

  /** Revokes every active token of a role; returns the hashes that were revoked. */
  revoke(eventId: string, role: Role, now: string): string[] {
    const hashes = this.activeForEvent
      .all(eventId)
      .filter((r) => r.role === role)
      .map((r) => r.hash);
    this.revokeRole.run(now, eventId, role);
    return hashes;
  }
}
