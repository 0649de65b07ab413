import type pg from 'pg';
import type { NewSession, SessionControls, SessionFields, SessionRow, SessionStore, SessionUpdate } from '../ports.js';
import { inTransaction, insertUpdates } from './pgDocStore.js';

const lists = (f: SessionFields) => [JSON.stringify(f.rooms), JSON.stringify(f.moderators), JSON.stringify(f.tags)];

/** Writes a session's fields inside the caller's transaction (an event's zone change moves its sessions too). */
export async function updateSessionFields(client: pg.PoolClient, id: string, f: SessionFields, now: string): Promise<void> {
  const [rooms, moderators, tags] = lists(f);
  await client.query(
    `UPDATE sessions SET title = $2, starts_at = $3, ends_at = $4, rooms = $5, track = $6, moderators = $7, tags = $8,
     description = $9, uid = $10, updated_at = $11 WHERE id = $1`,
    [id, f.title, f.startsAt, f.endsAt, rooms, f.track, moderators, tags, f.description, f.uid, now],
  );
}

// SQLite orders text bytewise; COLLATE "C" does the same whatever the database's locale.
const SCHEDULE_ORDER = 'starts_at IS NULL, starts_at COLLATE "C", rooms COLLATE "C", title COLLATE "C"';

/** Sessions in PostgreSQL; a new session and its seeded notes commit in one transaction. */
export class PgSessionStore implements SessionStore {
  constructor(private readonly pool: pg.Pool) {}

  async find(id: string): Promise<SessionRow | undefined> {
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM sessions WHERE id = $1 AND deleted_at IS NULL', [id]);
    return rows[0];
  }

  async findDeleted(id: string): Promise<SessionRow | undefined> {
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM sessions WHERE id = $1 AND deleted_at IS NOT NULL', [id]);
    return rows[0];
  }

  async listByEvent(eventId: string): Promise<SessionRow[]> {
    const { rows } = await this.pool.query<SessionRow>(`SELECT * FROM sessions WHERE event_id = $1 AND deleted_at IS NULL ORDER BY ${SCHEDULE_ORDER}`, [eventId]);
    return rows;
  }

  async createWithNotes(eventId: string, creates: readonly NewSession[], updates: readonly SessionUpdate[], now: string): Promise<void> {
    await inTransaction(this.pool, 'BEGIN', async (client) => {
      for (const c of creates) {
        const f = c.fields;
        const [rooms, moderators, tags] = lists(f);
        await client.query(
          `INSERT INTO sessions (id, event_id, title, starts_at, ends_at, rooms, track, moderators, tags, description, uid, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
          [c.id, eventId, f.title, f.startsAt, f.endsAt, rooms, f.track, moderators, tags, f.description, f.uid, now],
        );
      }
      // The seeds are each document's first update, committed with their sessions (notes_updated_at stays null).
      await insertUpdates(client, creates.map((c) => ({ docId: c.id, update: c.seed })), Date.parse(now));
      for (const u of updates) await updateSessionFields(client, u.id, u.fields, now);
    });
  }

  async update(id: string, fields: SessionFields, c: SessionControls, now: string): Promise<void> {
    await inTransaction(this.pool, 'BEGIN', async (client) => {
      await updateSessionFields(client, id, fields, now);
      await client.query('UPDATE sessions SET locked = $2, state = $3, now_discussing = $4, updated_at = $5 WHERE id = $1', [id, c.locked ? 1 : 0, c.state, c.nowDiscussing, now]);
    });
  }

  async delete(id: string, now: string): Promise<void> {
    await this.pool.query('UPDATE sessions SET deleted_at = $1 WHERE id = $2', [now, id]);
  }

  async undelete(id: string, now: string): Promise<boolean> {
    const r = await this.pool.query('UPDATE sessions SET deleted_at = NULL, updated_at = $1 WHERE id = $2 AND deleted_at IS NOT NULL', [now, id]);
    return r.rowCount === 1;
  }
}
