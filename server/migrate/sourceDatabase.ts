import Database from 'better-sqlite3';
import fs from 'node:fs';
import { migrate } from '../storage/migrations.js';
import { MigrateError } from './migrateError.js';

/**
 * Opens the SQLite file to copy from, holding SQLite's exclusive lock for the
 * whole run (as restore does, server/backup/exclusiveAccess.ts): a server that
 * has the file open holds a shared lock, so a live database being written is
 * refused instead of copied half-way, and no server can open it while the copy
 * runs. The schema is brought up to date first, as a server start would.
 */
export function openSourceDatabase(file: string): Database.Database {
  if (!fs.existsSync(file)) throw new MigrateError(`${file} does not exist: --from must be a Roundtable data directory (the one holding roundtable.sqlite)`);
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    // Every committed change into the main file (the WAL checkpointed and removed), possible only with the lock.
    db.pragma('journal_mode = DELETE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new MigrateError(`${file} is in use by another process (a running Roundtable server, a backup or an export): stop the server first, then migrate`);
    }
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') throw new MigrateError(`${file} cannot be read as a database (${(err as Error).message})`);
    throw err;
  }
}

/** Whether the source has a table (history's tables exist only once a server with history ran on it). */
export function hasTable(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}
