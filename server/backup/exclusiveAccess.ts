import Database from 'better-sqlite3';

/** Another process has the database open (a running server, a backup or an export): it must not be replaced. */
export class DatabaseInUse extends Error {}

/** The file cannot be read as a database, so SQLite cannot say whether it is in use. */
export class DatabaseUnreadable extends Error {}

/**
 * Takes SQLite's own exclusive lock on `file`, or says who holds it.
 *
 * Why this and not a pid file: every process that has a WAL database open
 * holds a shared lock on it (on the -shm file) for as long as it has it open,
 * and the kernel drops that lock when the process ends, however it ends. So
 * the check cannot be fooled by a stale file left by `kill -9`, nor by a pid
 * that belongs to another container sharing the volume, and it also sees a
 * backup or export in progress. The lock is held until `release()`, so no
 * server can open the database while it is being replaced.
 *
 * The old file is first brought back to a single self-contained file (its
 * WAL checkpointed into it), so it can be kept aside on its own.
 */
export function takeExclusiveAccess(file: string): { release(): void } {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    // Checkpoints every committed change into the file and deletes the WAL; possible only with the lock.
    db.pragma('journal_mode = DELETE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new DatabaseInUse(`${file} is in use by another process: a running Roundtable server (or a backup or export) has it open. Stop the server first.`);
    }
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') throw new DatabaseUnreadable(`${file} cannot be read as a database (${(err as Error).message})`);
    throw err;
  }
  return { release: () => db.close() };
}
