import type Database from 'better-sqlite3';
import { tagKey } from '../../shared/actionItems/normalize.js';
import { ownerKey } from '../../shared/actionItems/owners.js';
import type { ActionItemDto, ActionItemStatus } from '../../shared/schemas.js';
import type { ActionItemFilter, ActionItemRow, ActionItemStore, ActionItemUpsert } from './ports.js';

export type { ActionItemFilter, ActionItemRow, ActionItemUpsert } from './ports.js';

export function actionItemRowToDto(row: ActionItemRow): ActionItemDto {
  return {
    id: row.id,
    sessionId: row.session_id,
    text: row.text,
    owners: JSON.parse(row.owners) as string[],
    due: row.due,
    tags: JSON.parse(row.tags) as string[],
    status: row.status,
  };
}

/** The API's action-item filter, on one row (every implementation filters the same way). */
export function actionItemMatches(r: ActionItemRow, f: ActionItemFilter): boolean {
  if (f.status && r.status !== f.status) return false;
  if (f.sessionId && r.session_id !== f.sessionId) return false;
  const owner = f.owner ? ownerKey(f.owner) : undefined;
  if (owner && !(JSON.parse(r.owners) as string[]).some((o) => ownerKey(o) === owner)) return false;
  const tag = f.tag === undefined ? undefined : tagKey(f.tag);
  if (tag && !(JSON.parse(r.tags) as string[]).includes(tag) && !f.tagSessionIds?.includes(r.session_id)) return false;
  if (f.overdueOn && !(r.status === 'open' && r.due !== null && r.due < f.overdueOn)) return false;
  return true;
}

/** The action-item index in SQLite: derived from the documents, never the source of truth for text. */
export class ActionItemRepo implements ActionItemStore {
  private readonly upsertStmt;
  private readonly removeStmt;
  private readonly byId;
  private readonly bySession;
  private readonly byEvent;
  private readonly setStatusStmt;
  private readonly linkStmt;
  private readonly positionStmt;
  private readonly groupStmt;
  private readonly sessionOfStmt;

  constructor(private readonly db: Database.Database) {
    this.upsertStmt = db.prepare(
      `INSERT INTO action_items (id, event_id, session_id, text, owners, due, tags, status, source, position, first_seen_at, updated_at)
       VALUES (@id, @eventId, @sessionId, @text, @owners, @due, @tags, @status, @source, @position, @now, @now)
       ON CONFLICT(id) DO UPDATE SET text = @text, owners = @owners, due = @due, tags = @tags, status = @status,
         source = @source, position = @position, session_id = @sessionId, updated_at = @now, removed_at = NULL`,
    );
    this.removeStmt = db.prepare<[string, string]>('UPDATE action_items SET removed_at = ? WHERE id = ? AND removed_at IS NULL');
    this.byId = db.prepare<[string], ActionItemRow>('SELECT * FROM action_items WHERE id = ? AND removed_at IS NULL');
    this.bySession = db.prepare<[string], ActionItemRow>(
      'SELECT * FROM action_items WHERE session_id = ? AND removed_at IS NULL ORDER BY position',
    );
    this.byEvent = db.prepare<[string], ActionItemRow>(
      `SELECT a.* FROM action_items a JOIN sessions s ON s.id = a.session_id
       WHERE a.event_id = ? AND a.removed_at IS NULL AND s.deleted_at IS NULL
       ORDER BY s.starts_at IS NULL, s.starts_at, s.rooms, a.position`,
    );
    this.setStatusStmt = db.prepare<[string, string, string]>('UPDATE action_items SET status = ?, updated_at = ? WHERE id = ?');
    this.linkStmt = db.prepare<[string, string]>('UPDATE action_items SET linked_id = ? WHERE id = ?');
    // Position only: moving a block is not an edit of the item, so updated_at stays.
    this.positionStmt = db.prepare<[string, string]>('UPDATE action_items SET position = ? WHERE id = ?');
    this.sessionOfStmt = db.prepare<[string], { session_id: string }>('SELECT session_id FROM action_items WHERE id = ?');
    this.groupStmt = db.prepare<[string, string], ActionItemRow>(
      'SELECT * FROM action_items WHERE (linked_id = ? OR id = ?) AND removed_at IS NULL',
    );
  }

  async apply(
    upserts: readonly ActionItemUpsert[],
    removedIds: readonly string[],
    now: string,
    moved: readonly { id: string; position: string }[] = [],
  ): Promise<void> {
    this.db.transaction(() => {
      for (const u of upserts) {
        this.upsertStmt.run({ ...u, owners: JSON.stringify(u.owners), tags: JSON.stringify(u.tags), now });
      }
      for (const id of removedIds) this.removeStmt.run(now, id);
      for (const m of moved) this.positionStmt.run(m.position, m.id);
    })();
  }

  async find(id: string): Promise<ActionItemRow | undefined> {
    return this.byId.get(id);
  }

  async sessionsOf(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of ids) {
      const session = this.sessionOfStmt.get(id)?.session_id;
      if (session !== undefined) out.set(id, session);
    }
    return out;
  }

  async listBySession(sessionId: string): Promise<ActionItemRow[]> {
    return this.bySession.all(sessionId);
  }

  async listByEvent(eventId: string, f: ActionItemFilter = {}): Promise<ActionItemRow[]> {
    return this.byEvent.all(eventId).filter((r) => actionItemMatches(r, f));
  }

  async setStatus(id: string, status: ActionItemStatus, now: string): Promise<void> {
    this.setStatusStmt.run(status, now, id);
  }

  async link(copyId: string, originalId: string): Promise<void> {
    this.db.transaction(() => {
      const original = this.byId.get(originalId);
      const group = original?.linked_id ?? originalId;
      if (original && !original.linked_id) this.linkStmt.run(group, originalId);
      this.linkStmt.run(group, copyId);
    })();
  }

  async linkedTo(row: ActionItemRow): Promise<ActionItemRow[]> {
    if (!row.linked_id) return [];
    return this.groupStmt.all(row.linked_id, row.linked_id).filter((r) => r.id !== row.id);
  }
}
