import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../storage/migrations.js';
import { sanitizeFilename } from '../../shared/minutes/filename.js';
import { scheduleOrder } from '../../shared/minutes/model.js';
import { ActionItemRepo } from '../storage/actionItemRepo.js';
import { ContributorRepo } from '../storage/contributorRepo.js';
import { lazyNotesSchema } from '../notesSchemaLoader.js';
import { MinutesSource } from '../minutes/minutesSource.js';
import { renderEventMinutes, renderSessionMinutes, type EventFormat } from '../minutes/renderMinutes.js';
import { createSqliteDocStore } from '../storage/docStore.js';
import { EventRepo } from '../storage/eventRepo.js';
import { SessionRepo } from '../storage/sessionRepo.js';

export const DB_FILE = 'roundtable.sqlite';

/** A problem the user can fix (bad argument, missing data): printed without a stack trace. */
export class ExportError extends Error {}

export interface ExportOptions {
  dataDir: string;
  /** Event slug or id. */
  event: string;
  format: EventFormat;
  outDir: string;
  /** Called as each session is read and rendered; `total` is the number of steps. */
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface ExportResult {
  eventTitle: string;
  sessions: number;
  files: string[];
}

/**
 * Exports an event's minutes straight from DATA_DIR's SQLite file, without a
 * running server: the event minutes plus one file per session (zip: one
 * archive). The database is opened read-only, so a running server is never
 * disturbed; notes are what the server last stored.
 */
export async function exportEvent(opts: ExportOptions): Promise<ExportResult> {
  const file = path.join(opts.dataDir, DB_FILE);
  if (!fs.existsSync(file)) throw new ExportError(`no Roundtable database at ${file} (set DATA_DIR or --data-dir)`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // Read-only, so it cannot upgrade a database an older Roundtable left; the server does that on start.
    if ((db.pragma('user_version', { simple: true }) as number) < SCHEMA_VERSION) {
      throw new ExportError(`${file} is from an older version of Roundtable: start the server once to upgrade it, then export`);
    }
    const events = new EventRepo(db);
    const sessions = new SessionRepo(db);
    const event = await events.find(opts.event);
    if (!event) {
      const known = db.prepare<[], { slug: string }>('SELECT slug FROM events ORDER BY created_at LIMIT 20').all().map((r) => r.slug);
      throw new ExportError(`no event "${opts.event}" in ${file}${known.length ? ` (events there: ${known.join(', ')})` : ' (it has no events)'}`);
    }
    const source = new MinutesSource({
      sessions,
      contributors: new ContributorRepo(db),
      actionItems: new ActionItemRepo(db),
      registry: { get: () => undefined },
      docStore: createSqliteDocStore(db),
      schema: lazyNotesSchema(),
    });
    const perSession = opts.format !== 'zip';
    const rows = await sessions.listByEvent(event.id);
    const total = rows.length * (perSession ? 2 : 1) + 1;
    const minutes = await source.event(event, (done, _n) => opts.onProgress?.(done, total, rows[done - 1]?.title ?? ''));
    fs.mkdirSync(opts.outDir, { recursive: true });
    const files: string[] = [];
    const write = (name: string, body: string | Uint8Array) => {
      const target = path.join(opts.outDir, sanitizeFilename(name));
      fs.writeFileSync(target, body);
      files.push(target);
    };
    let step = rows.length;
    if (perSession) {
      const width = String(rows.length).length;
      for (const [i, m] of scheduleOrder(minutes.sessions).entries()) {
        write(`${String(i + 1).padStart(Math.max(2, width), '0')} ${m.session.title}.${opts.format}`, await renderSessionMinutes(m, opts.format as Exclude<EventFormat, 'zip'>));
        opts.onProgress?.(++step, total, m.session.title);
      }
    }
    write(`${event.slug} minutes.${opts.format}`, await renderEventMinutes(minutes, opts.format));
    opts.onProgress?.(total, total, 'event minutes');
    return { eventTitle: event.title, sessions: rows.length, files };
  } finally {
    db.close();
  }
}
