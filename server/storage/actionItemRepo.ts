import type Database from 'better-sqlite3';
import { ownerKey } from '../../shared/actionItems/owners.js';
import type { ActionItemDto, ActionItemStatus } from '../../shared/schemas.js';

export interface ActionItemRow {
  id: string;
  event_id: string;
  session_id: string;
  text: string;
  owners: string;
  due: string | null;
  tags: string;
  status: ActionItemStatus;
  source: string;
  position: string;
  linked_id: string | null;
  first_seen_at: string;
  updated_at: string;
  removed_at: string | null;
}

export interface ActionItemUpsert {
  id: string;
  eventId: string;
  sessionId: string;
  text: string;
  owners: string[];
  due: string | null;
  tags: string[];
  status: ActionItemStatus;
  source: string;
  position: string;
}

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

export interface ActionItemFilter {
  status?: ActionItemStatus;
  owner?: string;
  tag?: string;
  sessionId?: string;
  overdueOn?: string;
}

/** The action-item index: derived from the documents, never the source of truth for text. */
export class ActionItemRepo {
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

  apply(
    upserts: readonly ActionItemUpsert[],
    removedIds: readonly string[],
    now: string,
    moved: readonly { id: string; position: string }[] = [],
  ): void {
    this.db.transaction(() => {
      for (const u of upserts) {
        this.upsertStmt.run({ ...u, owners: JSON.stringify(u.owners), tags: JSON.stringify(u.tags), now });
      }
      for (const id of removedIds) this.removeStmt.run(now, id);
      for (const m of moved) this.positionStmt.run(m.position, m.id);
    })();
  }

  find(id: string): ActionItemRow | undefined {
    return this.byId.get(id);
  }

  /** The session an id was ever indexed in, removed or not. */
  sessionOf(id: string): string | undefined {
    return this.sessionOfStmt.get(id)?.session_id;
  }

  listBySession(sessionId: string): ActionItemRow[] {
    return this.bySession.all(sessionId);
  }

  listByEvent(eventId: string, f: ActionItemFilter = {}): ActionItemRow[] {
    const owner = f.owner ? ownerKey(f.owner) : undefined;
    const tag = f.tag?.normalize('NFKC').toLowerCase().replace(/^#+/, '');
    return this.byEvent.all(eventId).filter((r) => {
      if (f.status && r.status !== f.status) return false;
      if (f.sessionId && r.session_id !== f.sessionId) return false;
      if (owner && !(JSON.parse(r.owners) as string[]).some((o) => ownerKey(o) === owner)) return false;
      if (tag && !(JSON.parse(r.tags) as string[]).includes(tag)) return false;
      if (f.overdueOn && !(r.status === 'open' && r.due !== null && r.due < f.overdueOn)) return false;
      return true;
    });
  }

  setStatus(id: string, status: ActionItemStatus, now: string): void {
    this.setStatusStmt.run(status, now, id);
  }

  /**
   * Links a carried-forward copy to its original. Linked items form one group
   * keyed by the first original's id, so carrying an item forward again (A → B
   * → C) keeps all of them in step, not just the last pair.
   */
  link(copyId: string, originalId: string): void {
    this.db.transaction(() => {
      const original = this.byId.get(originalId);
      const group = original?.linked_id ?? originalId;
      if (original && !original.linked_id) this.linkStmt.run(group, originalId);
      this.linkStmt.run(group, copyId);
    })();
  }

  /** The other live items linked to `row` (carried-forward copies and their originals). */
  linkedTo(row: ActionItemRow): ActionItemRow[] {
    if (!row.linked_id) return [];
    return this.groupStmt.all(row.linked_id, row.linked_id).filter((r) => r.id !== row.id);
  }
}
