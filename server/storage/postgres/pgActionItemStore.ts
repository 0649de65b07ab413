import type pg from 'pg';
import type { ActionItemStatus } from '../../../shared/schemas.js';
import { actionItemMatches } from '../actionItemRepo.js';
import type { ActionItemFilter, ActionItemRow, ActionItemStore, ActionItemUpsert } from '../ports.js';
import { inTransaction } from './pgDocStore.js';

/** The action-item index in PostgreSQL: derived from the documents, never the source of truth for text. */
export class PgActionItemStore implements ActionItemStore {
  constructor(private readonly pool: pg.Pool) {}

  async apply(upserts: readonly ActionItemUpsert[], removedIds: readonly string[], now: string, moved: readonly { id: string; position: string }[] = []): Promise<void> {
    await inTransaction(this.pool, 'BEGIN', async (client) => {
      for (const u of upserts) {
        await client.query(
          `INSERT INTO action_items (id, event_id, session_id, text, owners, due, tags, status, source, position, first_seen_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
           ON CONFLICT (id) DO UPDATE SET text = excluded.text, owners = excluded.owners, due = excluded.due, tags = excluded.tags,
             status = excluded.status, source = excluded.source, position = excluded.position, session_id = excluded.session_id,
             updated_at = excluded.updated_at, removed_at = NULL`,
          [u.id, u.eventId, u.sessionId, u.text, JSON.stringify(u.owners), u.due, JSON.stringify(u.tags), u.status, u.source, u.position, now],
        );
      }
      if (removedIds.length > 0) await client.query('UPDATE action_items SET removed_at = $1 WHERE id = ANY($2::text[]) AND removed_at IS NULL', [now, [...removedIds]]);
      // Position only: moving a block is not an edit of the item, so updated_at stays.
      for (const m of moved) await client.query('UPDATE action_items SET position = $1 WHERE id = $2', [m.position, m.id]);
    });
  }

  async find(id: string): Promise<ActionItemRow | undefined> {
    const { rows } = await this.pool.query<ActionItemRow>('SELECT * FROM action_items WHERE id = $1 AND removed_at IS NULL', [id]);
    return rows[0];
  }

  async sessionsOf(ids: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ id: string; session_id: string }>('SELECT id, session_id FROM action_items WHERE id = ANY($1::text[])', [[...ids]]);
    return new Map(rows.map((r) => [r.id, r.session_id]));
  }

  async listBySession(sessionId: string): Promise<ActionItemRow[]> {
    const { rows } = await this.pool.query<ActionItemRow>('SELECT * FROM action_items WHERE session_id = $1 AND removed_at IS NULL ORDER BY position COLLATE "C"', [sessionId]);
    return rows;
  }

  async listByEvent(eventId: string, f: ActionItemFilter = {}): Promise<ActionItemRow[]> {
    const { rows } = await this.pool.query<ActionItemRow>(
      `SELECT a.* FROM action_items a JOIN sessions s ON s.id = a.session_id
       WHERE a.event_id = $1 AND a.removed_at IS NULL AND s.deleted_at IS NULL
       ORDER BY s.starts_at IS NULL, s.starts_at COLLATE "C", s.rooms COLLATE "C", a.position COLLATE "C"`,
      [eventId],
    );
    // The one filter every store applies (actionItemRepo.ts), so SQLite and PostgreSQL answer alike.
    return rows.filter((r) => actionItemMatches(r, f));
  }

  async setStatus(id: string, status: ActionItemStatus, now: string): Promise<void> {
    await this.pool.query('UPDATE action_items SET status = $1, updated_at = $2 WHERE id = $3', [status, now, id]);
  }

  async link(copyId: string, originalId: string): Promise<void> {
    await inTransaction(this.pool, 'BEGIN', async (client) => {
      const { rows } = await client.query<{ linked_id: string | null }>('SELECT linked_id FROM action_items WHERE id = $1 AND removed_at IS NULL FOR UPDATE', [originalId]);
      const original = rows[0];
      const group = original?.linked_id ?? originalId;
      if (original && !original.linked_id) await client.query('UPDATE action_items SET linked_id = $1 WHERE id = $2', [group, originalId]);
      await client.query('UPDATE action_items SET linked_id = $1 WHERE id = $2', [group, copyId]);
    });
  }

  async linkedTo(row: ActionItemRow): Promise<ActionItemRow[]> {
    if (!row.linked_id) return [];
    const { rows } = await this.pool.query<ActionItemRow>('SELECT * FROM action_items WHERE (linked_id = $1 OR id = $1) AND removed_at IS NULL', [row.linked_id]);
    return rows.filter((r) => r.id !== row.id);
  }
}
