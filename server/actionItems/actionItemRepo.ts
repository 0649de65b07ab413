import type Database from 'better-sqlite3';
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
       ORDER BY s.starts_at IS NULL, s.starts_at, s.room, a.position`,
    );
    this.setStatusStmt = db.prepare<[string, string, string]>('UPDATE action_items SET status = ?, updated_at = ? WHERE id = ?');
    this.linkStmt = db.prepare<[string, string]>('UPDATE action_items SET linked_id = ? WHERE id = ?');
  }

  apply(upserts: readonly ActionItemUpsert[], removedIds: readonly string[], now: string): void {
    this.db.transaction(() => {
      for (const u of upserts) {
        this.upsertStmt.run({ ...u, owners: JSON.stringify(u.owners), tags: JSON.stringify(u.tags), now });
      }
      for (const id of removedIds) this.removeStmt.run(now, id);
    })();
  }

  find(id: string): ActionItemRow | undefined {
    return this.byId.get(id);
  }

  listBySession(sessionId: string): ActionItemRow[] {
    return this.bySession.all(sessionId);
  }

  listByEvent(eventId: string, f: ActionItemFilter = {}): ActionItemRow[] {
    const owner = f.owner?.toLowerCase();
    const tag = f.tag?.toLowerCase().replace(/^#+/, '');
    return this.byEvent.all(eventId).filter((r) => {
      if (f.status && r.status !== f.status) return false;
      if (f.sessionId && r.session_id !== f.sessionId) return false;
      if (owner && !(JSON.parse(r.owners) as string[]).some((o) => o.toLowerCase() === owner)) return false;
      if (tag && !(JSON.parse(r.tags) as string[]).includes(tag)) return false;
      if (f.overdueOn && !(r.status === 'open' && r.due !== null && r.due < f.overdueOn)) return false;
      return true;
    });
  }

  setStatus(id: string, status: ActionItemStatus, now: string): void {
    this.setStatusStmt.run(status, now, id);
  }

  link(a: string, b: string): void {
    this.db.transaction(() => {
      this.linkStmt.run(b, a);
      this.linkStmt.run(a, b);
    })();
  }
}
