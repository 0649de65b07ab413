import type pg from 'pg';
import type { EventLanguage } from '../../../shared/schemas.js';
import type { EventRow, EventStore, NewEvent, NewToken, SessionUpdate } from '../ports.js';
import { inTransaction } from './pgDocStore.js';
import { updateSessionFields } from './pgSessionStore.js';

/** Events in PostgreSQL. */
export class PgEventStore implements EventStore {
  constructor(private readonly pool: pg.Pool) {}

  async find(ref: string): Promise<EventRow | undefined> {
    const { rows } = await this.pool.query<EventRow>('SELECT * FROM events WHERE id = $1 OR slug = $1 LIMIT 1', [ref]);
    return rows[0];
  }

  async hasAny(): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM events LIMIT 1');
    return rows.length > 0;
  }

  async isSlugTaken(slug: string): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM events WHERE slug = $1', [slug]);
    return rows.length > 0;
  }

  async create(e: NewEvent, tokens: readonly NewToken[], now: string): Promise<void> {
    await inTransaction(this.pool, 'BEGIN', async (client) => {
      await client.query('INSERT INTO events (id, slug, title, timezone, language, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)', [e.id, e.slug, e.title, e.timezone, e.language, now]);
      for (const t of tokens) await client.query('INSERT INTO tokens (hash, token, event_id, role, created_at) VALUES ($1, $2, $3, $4, $5)', [t.hash, t.token, e.id, t.role, now]);
    });
  }

  async update(id: string, f: { title: string; timezone: string; language: EventLanguage }, sessions: readonly SessionUpdate[], now: string): Promise<void> {
    await inTransaction(this.pool, 'BEGIN', async (client) => {
      await client.query('UPDATE events SET title = $1, timezone = $2, language = $3, updated_at = $4 WHERE id = $5', [f.title, f.timezone, f.language, now, id]);
      for (const s of sessions) await updateSessionFields(client, s.id, s.fields, now);
    });
  }

  async setTemplate(id: string, templateJson: string | null, now: string): Promise<void> {
    await this.pool.query('UPDATE events SET template = $1, updated_at = $2 WHERE id = $3', [templateJson, now, id]);
  }
}
