import type Database from 'better-sqlite3';
import type { LiveCounts, SessionDto, SessionState } from '../../shared/schemas.js';
import type { NewSession, SessionControls, SessionStore, SessionUpdate } from './ports.js';
import type { SessionFields } from '../../shared/sessionFields.js';
import type { SessionRow } from './rows.js';

export type { SessionFields } from '../../shared/sessionFields.js';

export type { SessionControls } from './ports.js';

function parseList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function sessionRowToDto(row: SessionRow, live: LiveCounts): SessionDto {
  return {
    id: row.id,
    eventId: row.event_id,
    title: row.title,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    rooms: parseList(row.rooms),
    track: row.track,
    moderators: parseList(row.moderators),
    tags: parseList(row.tags),
    description: row.description,
    locked: row.locked === 1,
    state: row.state as SessionState,
    nowDiscussing: row.now_discussing,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    notesUpdatedAt: row.notes_updated_at,
    live,
  };
}

export function sessionRowToFields(row: SessionRow): SessionFields {
  return {
    title: row.title,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    rooms: parseList(row.rooms),
    track: row.track,
    moderators: parseList(row.moderators),
    tags: parseList(row.tags),
    description: row.description,
    uid: row.uid,
  };
}

/** The session writes a transaction of another repository needs too (an event's zone change moves its sessions). */
export function sessionStatements(db: Database.Database) {
  const insertStmt = db.prepare(
    `INSERT INTO sessions (id, event_id, title, starts_at, ends_at, rooms, track, moderators, tags, description, uid, created_at, updated_at)
     VALUES (@id, @eventId, @title, @startsAt, @endsAt, @rooms, @track, @moderators, @tags, @description, @uid, @now, @now)`,
  );
  const updateStmt = db.prepare(
    `UPDATE sessions SET title = @title, starts_at = @startsAt, ends_at = @endsAt, rooms = @rooms, track = @track,
     moderators = @moderators, tags = @tags, description = @description, uid = @uid, updated_at = @now WHERE id = @id`,
  );
  const lists = (f: SessionFields) => ({ rooms: JSON.stringify(f.rooms), moderators: JSON.stringify(f.moderators), tags: JSON.stringify(f.tags) });
  return {
    insert: (id: string, eventId: string, f: SessionFields, now: string) => insertStmt.run({ id, eventId, ...f, ...lists(f), now }),
    update: (id: string, f: SessionFields, now: string) => updateStmt.run({ id, ...f, ...lists(f), now }),
  };
}

/** Sessions in SQLite (statements run synchronously; results are wrapped in resolved promises). */
export class SessionRepo implements SessionStore {
  private readonly byId;
  private readonly byEvent;
  private readonly deleteStmt;
  private readonly undeleteStmt;
  private readonly deletedById;
  private readonly createTx;
  private readonly updateTx;

  constructor(db: Database.Database) {
    const writes = sessionStatements(db);
    this.byId = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ? AND deleted_at IS NULL');
    this.byEvent = db.prepare<[string], SessionRow>(
      `SELECT * FROM sessions WHERE event_id = ? AND deleted_at IS NULL
       ORDER BY starts_at IS NULL, starts_at, rooms, title`,
    );
    const controlsStmt = db.prepare(
      `UPDATE sessions SET locked = @locked, state = @state, now_discussing = @nowDiscussing, updated_at = @now WHERE id = @id`,
    );
    this.deleteStmt = db.prepare<[string, string]>('UPDATE sessions SET deleted_at = ? WHERE id = ?');
    this.undeleteStmt = db.prepare<[string, string]>('UPDATE sessions SET deleted_at = NULL, updated_at = ? WHERE id = ? AND deleted_at IS NOT NULL');
    this.deletedById = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ? AND deleted_at IS NOT NULL');
    // The seed goes into the document's update log like any update (docStore.ts reads it back), without touching notes_updated_at.
    const insertSeed = db.prepare<[string, Uint8Array, number]>('INSERT INTO doc_updates (doc_id, data, created_at) VALUES (?, ?, ?)');
    this.createTx = db.transaction((eventId: string, creates: readonly NewSession[], updates: readonly SessionUpdate[], now: string) => {
      const at = Date.parse(now);
      for (const c of creates) {
        writes.insert(c.id, eventId, c.fields, now);
        insertSeed.run(c.id, c.seed, at);
      }
      for (const u of updates) writes.update(u.id, u.fields, now);
    });
    this.updateTx = db.transaction((id: string, f: SessionFields, c: SessionControls, now: string) => {
      writes.update(id, f, now);
      controlsStmt.run({ id, locked: c.locked ? 1 : 0, state: c.state, nowDiscussing: c.nowDiscussing, now });
    });
  }

  async find(id: string): Promise<SessionRow | undefined> {
    return this.byId.get(id);
  }

  async findDeleted(id: string): Promise<SessionRow | undefined> {
    return this.deletedById.get(id);
  }

  async listByEvent(eventId: string): Promise<SessionRow[]> {
    return this.byEvent.all(eventId);
  }

  async createWithNotes(eventId: string, creates: readonly NewSession[], updates: readonly SessionUpdate[], now: string): Promise<void> {
    this.createTx(eventId, creates, updates, now);
  }

  async update(id: string, fields: SessionFields, controls: SessionControls, now: string): Promise<void> {
    this.updateTx(id, fields, controls, now);
  }

  async delete(id: string, now: string): Promise<void> {
    this.deleteStmt.run(now, id);
  }

  async undelete(id: string, now: string): Promise<boolean> {
    return this.undeleteStmt.run(now, id).changes === 1;
  }
}
