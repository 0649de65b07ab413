import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations.js';

/**
 * Opens (and migrates) the SQLite file. WAL with synchronous=FULL keeps a
 * committed transaction through power loss, not only through a process crash.
 */
export function openDatabase(dataDir: string, fileName = 'roundtable.sqlite'): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
