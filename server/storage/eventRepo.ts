import type Database from 'better-sqlite3';
import { EVENT_LANGUAGES, type EventDto, type EventLanguage } from '../../shared/schemas.js';
import type { EventStore, NewEvent, NewToken, SessionUpdate } from './ports.js';
import type { EventRow } from './rows.js';
import { sessionStatements } from './sessionRepo.js';

export type { NewEvent } from './ports.js';

export function eventLanguageOf(row: Pick<EventRow, 'language'>): EventLanguage {
  return (EVENT_LANGUAGES as readonly string[]).includes(row.language) ? (row.language as EventLanguage) : 'en';
}

export function eventRowToDto(row: EventRow): EventDto {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    timezone: row.timezone,
    language: eventLanguageOf(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Events in SQLite (statements run synchronously; results are wrapped in resolved promises). */
export class EventRepo implements EventStore {
  private readonly byRef;
  private readonly slugTaken;
  private readonly anyStmt;
  private readonly setTemplateStmt;
  private readonly createTx;
  private readonly updateTx;

  constructor(db: Database.Database) {
    this.byRef = db.prepare<[string, string], EventRow>('SELECT * FROM events WHERE id = ? OR slug = ? LIMIT 1');
    this.slugTaken = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM events WHERE slug = ?');
    const insertStmt = db.prepare<[string, string, string, string, string, string, string]>(
      'INSERT INTO events (id, slug, title, timezone, language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const insertToken = db.prepare<[string, string, string, string, string]>(
      'INSERT INTO tokens (hash, token, event_id, role, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const updateStmt = db.prepare<[string, string, string, string, string]>(
      'UPDATE events SET title = ?, timezone = ?, language = ?, updated_at = ? WHERE id = ?',
    );
    const sessions = sessionStatements(db);
    this.anyStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events');
    this.setTemplateStmt = db.prepare<[string | null, string, string]>(
      'UPDATE events SET template = ?, updated_at = ? WHERE id = ?',
    );
    this.createTx = db.transaction((e: NewEvent, tokens: readonly NewToken[], now: string) => {
      insertStmt.run(e.id, e.slug, e.title, e.timezone, e.language, now, now);
      for (const t of tokens) insertToken.run(t.hash, t.token, e.id, t.role, now);
    });
    this.updateTx = db.transaction((id: string, f: { title: string; timezone: string; language: EventLanguage }, moves: readonly SessionUpdate[], now: string) => {
      updateStmt.run(f.title, f.timezone, f.language, now, id);
      for (const m of moves) sessions.update(m.id, m.fields, now);
    });
  }

  async find(ref: string): Promise<EventRow | undefined> {
    return this.byRef.get(ref, ref);
  }

  async hasAny(): Promise<boolean> {
    return (this.anyStmt.get()?.n ?? 0) > 0;
  }

  async isSlugTaken(slug: string): Promise<boolean> {
    return (this.slugTaken.get(slug)?.n ?? 0) > 0;
  }

  async create(e: NewEvent, tokens: readonly NewToken[], now: string): Promise<void> {
    this.createTx(e, tokens, now);
  }

  async update(id: string, fields: { title: string; timezone: string; language: EventLanguage }, sessions: readonly SessionUpdate[], now: string): Promise<void> {
    this.updateTx(id, fields, sessions, now);
  }

  async setTemplate(id: string, templateJson: string | null, now: string): Promise<void> {
    this.setTemplateStmt.run(templateJson, now, id);
  }
}
