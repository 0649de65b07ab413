import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../storage/migrations.js';
import { BackupError, fsyncDir } from './backupDatabase.js';
import { DatabaseUnreadable, takeExclusiveAccess } from './exclusiveAccess.js';
import { checkDatabase, countDifferences, type TableCounts } from './verifyDatabase.js';

export const DB_FILE = 'roundtable.sqlite';

export interface RestoreOptions {
  /** The backup file. */
  from: string;
  dataDir: string;
  /** Replace a current database that cannot even be read as one (SQLite then cannot tell whether it is in use). */
  force?: boolean;
  onProgress?(copiedPages: number, totalPages: number): void;
  now?: () => Date;
}

export interface RestoreResult {
  file: string;
  /** Where the database it replaced was kept, or null when there was none. */
  keptAside: string | null;
  counts: TableCounts;
  schemaVersion: number;
}

/**
 * Puts a backup in place as DATA_DIR's database, the careful way round:
 *
 * 1. the backup is checked first (integrity_check, Roundtable's tables, a
 *    schema version this server can run), so a bad file changes nothing;
 * 2. the current database, if any, is locked exclusively: a running server
 *    (or any process with it open) makes the restore refuse;
 * 3. the backup is copied next to it with the online backup API and the copy
 *    checked again (same rows per table);
 * 4. the current database is kept aside as `roundtable.sqlite.before-restore-<time>`
 *    (a complete file: its WAL checkpointed into it), and the copy renamed
 *    into place in one atomic step.
 */
export async function restoreDatabase(opts: RestoreOptions): Promise<RestoreResult> {
  const from = path.resolve(opts.from);
  const dataDir = path.resolve(opts.dataDir);
  const target = path.join(dataDir, DB_FILE);
  if (!fs.existsSync(from) || !fs.statSync(from).isFile()) throw new BackupError(`no backup file at ${from}`);
  if (fs.existsSync(target) && fs.realpathSync(target) === fs.realpathSync(from)) throw new BackupError(`${from} is the live database itself, not a backup`);

  const check = checkDatabase(from);
  if (check.problems.length > 0) throw new BackupError(`refusing to restore ${from}; nothing was changed:\n  ${check.problems.join('\n  ')}`);
  if (check.schemaVersion > SCHEMA_VERSION) {
    throw new BackupError(`refusing to restore ${from}: it comes from a newer Roundtable (schema ${check.schemaVersion}, this one knows ${SCHEMA_VERSION}); nothing was changed`);
  }

  fs.mkdirSync(dataDir, { recursive: true });
  let access: { release(): void } | null = null;
  if (fs.existsSync(target)) {
    try {
      access = takeExclusiveAccess(target);
    } catch (err) {
      if (!(err instanceof DatabaseUnreadable) || !opts.force) {
        throw new BackupError(
          err instanceof DatabaseUnreadable
            ? `${err.message}; refusing to replace it, because SQLite cannot tell whether a server has it open. Stop every server using ${dataDir}, then run again with --force.`
            : `refusing to restore: ${(err as Error).message}`,
        );
      }
    }
  }
  const restoring = path.join(dataDir, `${DB_FILE}.restoring-${process.pid}`);
  try {
    fs.rmSync(restoring, { force: true });
    const src = new Database(from, { readonly: true, fileMustExist: true });
    try {
      await src.backup(restoring, {
        progress: ({ totalPages, remainingPages }) => {
          opts.onProgress?.(totalPages - remainingPages, totalPages);
          return 256;
        },
      });
      const pages = src.pragma('page_count', { simple: true }) as number;
      opts.onProgress?.(pages, pages);
    } finally {
      src.close();
    }
    const copy = new Database(restoring);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const copied = checkDatabase(restoring);
    const problems = [...copied.problems, ...countDifferences(check.counts, copied.counts, { expected: 'the backup', actual: 'the copy' })];
    if (problems.length > 0) throw new BackupError(`the copy of the backup did not verify; nothing was changed:\n  ${problems.join('\n  ')}`);

    let keptAside: string | null = null;
    if (fs.existsSync(target)) {
      const stamp = (opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
      keptAside = `${target}.before-restore-${stamp}`;
      // A hard link first: the path never stops naming a complete database, even for a moment.
      fs.linkSync(target, keptAside);
      for (const side of ['-wal', '-shm']) if (fs.existsSync(target + side)) fs.renameSync(target + side, keptAside + side);
    }
    fs.renameSync(restoring, target);
    fsyncDir(dataDir);
    return { file: target, keptAside, counts: check.counts, schemaVersion: check.schemaVersion };
  } finally {
    access?.release();
    for (const f of [restoring, `${restoring}-journal`, `${restoring}-wal`, `${restoring}-shm`]) fs.rmSync(f, { force: true });
  }
}
