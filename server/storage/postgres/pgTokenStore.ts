import type pg from 'pg';
import type { Role } from '../../../shared/roles.js';
import type { ResolvedToken, TokenStore } from '../ports.js';
import { inTransaction } from './pgDocStore.js';

/** Capability tokens in PostgreSQL (looked up by hash, as on SQLite). */
export class PgTokenStore implements TokenStore {
  constructor(private readonly pool: pg.Pool) {}

  async resolve(hash: string): Promise<ResolvedToken | undefined> {
    const { rows } = await this.pool.query<{ event_id: string; role: Role; hash: string }>('SELECT event_id, role, hash FROM tokens WHERE hash = $1 AND revoked_at IS NULL', [hash]);
    const row = rows[0];
    return row ? { eventId: row.event_id, role: row.role, hash: row.hash } : undefined;
  }

  async activeTokens(eventId: string): Promise<Partial<Record<Role, string>>> {
    const { rows } = await this.pool.query<{ role: Role; token: string }>('SELECT role, token FROM tokens WHERE event_id = $1 AND revoked_at IS NULL ORDER BY created_at COLLATE "C"', [eventId]);
    const out: Partial<Record<Role, string>> = {};
    for (const row of rows) out[row.role] = row.token;
    return out;
  }

  async rotate(eventId: string, role: Role, token: { token: string; hash: string }, now: string): Promise<string[]> {
    return inTransaction(this.pool, 'BEGIN', async (client) => {
      const { rows } = await client.query<{ hash: string }>(
        'UPDATE tokens SET revoked_at = $1 WHERE event_id = $2 AND role = $3 AND revoked_at IS NULL RETURNING hash',
        [now, eventId, role],
      );
      await client.query('INSERT INTO tokens (hash, token, event_id, role, created_at) VALUES ($1, $2, $3, $4, $5)', [token.hash, token.token, eventId, role, now]);
      return rows.map((r) => r.hash);
    });
  }
}
