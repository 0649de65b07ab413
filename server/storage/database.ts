import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations.js';

/** The database file is damaged: the server must not start on it. */
export class DatabaseCorrupt extends Error {}

export interface OpenDatabaseOptions {
  /** Run `PRAGMA quick_check` before anything else (default true). */
  integrityCheck?: boolean;
}

/**
 * What every connection to the file sets: WAL, foreign keys, a wait for the
 * other connection's lock. `NORMAL` only where the caller syncs the WAL itself
 * before it counts a write as done (syncedDocWriter.ts).
 */
export function configureConnection(db: Database.Database, synchronous: 'FULL' | 'NORMAL'): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/**
 * Opens (and migrates) the SQLite file. WAL with synchronous=FULL keeps a
 * committed transaction through power loss, not only through a process crash.
 * A quick integrity check runs first: serving a corrupt file would turn one
 * damaged page into sessions that fail one by one, for hours.
 */
export function openDatabase(dataDir: string, fileName = 'roundtable.sqlite', opts: OpenDatabaseOptions = {}): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, fileName);
  let db: Database.Database | null = null;
  try {
    db = new Database(file);
    configureConnection(db, 'FULL');
    if (opts.integrityCheck ?? true) checkIntegrity(db, file);
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof DatabaseCorrupt) throw err;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) {
      throw new DatabaseCorrupt(corruptMessage(file, [(err as Error).message]));
    }
    throw err;
  }
}

function checkIntegrity(db: Database.Database, file: string): void {
  // quick_check: every page and b-tree, without the slower index-content comparison of integrity_check.
  const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length > 0) throw new DatabaseCorrupt(corruptMessage(file, problems));
}

function corruptMessage(file: string, problems: string[]): string {
  return [
    `The database ${file} is corrupt; refusing to start so nothing more is lost.`,
    ...problems.slice(0, 10).map((p) => `  ${p}`),
    'Restore it from a backup (or move it aside to start empty), then start again.',
  ].join('\n');
}
