import type Database from 'better-sqlite3';
import { EVENT_LANGUAGES, type EventDto, type EventLanguage } from '../../shared/schemas.js';
import type { EventRow } from './rows.js';

export interface NewEvent {
  id: string;
  slug: string;
  title: string;
  timezone: string;
  language: EventLanguage;
}

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

export class EventRepo {
  private readonly byRef;
  private readonly slugTaken;
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly setTemplateStmt;
  private readonly anyStmt;

  constructor(private readonly db: Database.Database) {
    this.byRef = db.prepare<[string, string], EventRow>('SELECT * FROM events WHERE id = ? OR slug = ? LIMIT 1');
    this.slugTaken = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM events WHERE slug = ?');
    this.insertStmt = db.prepare<[string, string, string, string, string, string, string]>(
      'INSERT INTO events (id, slug, title, timezone, language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.updateStmt = db.prepare<[string, string, string, string, string]>(
      'UPDATE events SET title = ?, timezone = ?, language = ?, updated_at = ? WHERE id = ?',
    );
    this.anyStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events');
    this.setTemplateStmt = db.prepare<[string | null, string, string]>(
      'UPDATE events SET template = ?, updated_at = ? WHERE id = ?',
    );
  }

  /** Looks an event up by id or slug. */
  find(ref: string): EventRow | undefined {
    return this.byRef.get(ref, ref);
  }

  hasAny(): boolean {
    return (this.anyStmt.get()?.n ?? 0) > 0;
  }

  isSlugTaken(slug: string): boolean {
    return (this.slugTaken.get(slug)?.n ?? 0) > 0;
  }

  insert(e: NewEvent, now: string): void {
    this.insertStmt.run(e.id, e.slug, e.title, e.timezone, e.language, now, now);
  }

  update(id: string, fields: { title: string; timezone: string; language: EventLanguage }, now: string): void {
    this.updateStmt.run(fields.title, fields.timezone, fields.language, now, id);
  }

  setTemplate(id: string, templateJson: string | null, now: string): void {
    this.setTemplateStmt.run(templateJson, now, id);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
