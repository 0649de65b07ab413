import type Database from 'better-sqlite3';
import type { LiveCounts, SessionDto, SessionState } from '../../shared/schemas.js';
import type { SessionFields } from '../../shared/sessionFields.js';
import type { SessionRow } from './rows.js';

export type { SessionFields } from '../../shared/sessionFields.js';

export interface SessionControls {
  locked: boolean;
  state: SessionState;
  nowDiscussing: string | null;
}

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

export class SessionRepo {
  private readonly insertStmt;
  private readonly byId;
  private readonly byEvent;
  private readonly updateStmt;
  private readonly controlsStmt;
  private readonly deleteStmt;
  private readonly undeleteStmt;
  private readonly deletedById;
  private readonly contributorStmt;
  private readonly contributorsStmt;
  private readonly contributorTx;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO sessions (id, event_id, title, starts_at, ends_at, rooms, track, moderators, tags, description, uid, created_at, updated_at)
       VALUES (@id, @eventId, @title, @startsAt, @endsAt, @rooms, @track, @moderators, @tags, @description, @uid, @now, @now)`,
    );
    this.byId = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ? AND deleted_at IS NULL');
    this.byEvent = db.prepare<[string], SessionRow>(
      `SELECT * FROM sessions WHERE event_id = ? AND deleted_at IS NULL
       ORDER BY starts_at IS NULL, starts_at, rooms, title`,
    );
    this.updateStmt = db.prepare(
      `UPDATE sessions SET title = @title, starts_at = @startsAt, ends_at = @endsAt, rooms = @rooms, track = @track,
       moderators = @moderators, tags = @tags, description = @description, uid = @uid, updated_at = @now WHERE id = @id`,
    );
    this.controlsStmt = db.prepare(
      `UPDATE sessions SET locked = @locked, state = @state, now_discussing = @nowDiscussing, updated_at = @now WHERE id = @id`,
    );
    this.deleteStmt = db.prepare<[string, string]>('UPDATE sessions SET deleted_at = ? WHERE id = ?');
    this.undeleteStmt = db.prepare<[string, string]>('UPDATE sessions SET deleted_at = NULL, updated_at = ? WHERE id = ? AND deleted_at IS NOT NULL');
    this.deletedById = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ? AND deleted_at IS NOT NULL');
    this.contributorStmt = db.prepare<[string, string, string, string]>(
      `INSERT INTO contributors (session_id, name, first_at, last_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(session_id, name) DO UPDATE SET last_at = excluded.last_at`,
    );
    this.contributorsStmt = db.prepare<[string], { name: string }>(
      'SELECT name FROM contributors WHERE session_id = ? ORDER BY first_at, name',
    );
    this.contributorTx = db.transaction((sessionId: string, names: readonly string[], now: string) => {
      for (const name of names) this.contributorStmt.run(sessionId, name, now, now);
    });
  }

  /** Records who edited a session's notes (names as they chose them), in one transaction. */
  addContributors(sessionId: string, names: readonly string[], now: string): void {
    this.contributorTx(sessionId, names, now);
  }

  contributors(sessionId: string): string[] {
    return this.contributorsStmt.all(sessionId).map((r) => r.name);
  }

  insert(id: string, eventId: string, f: SessionFields, now: string): void {
    this.insertStmt.run({ id, eventId, ...f, rooms: JSON.stringify(f.rooms), moderators: JSON.stringify(f.moderators), tags: JSON.stringify(f.tags), now });
  }

  find(id: string): SessionRow | undefined {
    return this.byId.get(id);
  }

  listByEvent(eventId: string): SessionRow[] {
    return this.byEvent.all(eventId);
  }

  update(id: string, f: SessionFields, now: string): void {
    this.updateStmt.run({ id, ...f, rooms: JSON.stringify(f.rooms), moderators: JSON.stringify(f.moderators), tags: JSON.stringify(f.tags), now });
  }

  setControls(id: string, c: SessionControls, now: string): void {
    this.controlsStmt.run({ id, locked: c.locked ? 1 : 0, state: c.state, nowDiscussing: c.nowDiscussing, now });
  }

  /** Soft delete: the session and its notes stay in storage, and `undelete` brings them back. */
  delete(id: string, now: string): void {
    this.deleteStmt.run(now, id);
  }

  /** A deleted session, for undelete. */
  findDeleted(id: string): SessionRow | undefined {
    return this.deletedById.get(id);
  }

  undelete(id: string, now: string): boolean {
    return this.undeleteStmt.run(now, id).changes === 1;
  }
}
