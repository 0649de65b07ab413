import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { checkDatabase, countDifferences, countRows, type TableCounts } from './verifyDatabase.js';

/** A problem the operator can act on (a path, a full disk, a failed check): printed without a stack trace. */
export class BackupError extends Error {}

export interface BackupOptions {
  /** The live database file (DATA_DIR/roundtable.sqlite). */
  source: string;
  /** Where the copy goes; must not exist yet. */
  out: string;
  /** Pages copied per step (4 KiB each); between steps other work runs. */
  stepPages?: number;
  onProgress?(copiedPages: number, totalPages: number): void;
}

export interface BackupResult {
  file: string;
  bytes: number;
  counts: TableCounts;
  schemaVersion: number;
  /** Seconds copying (the read snapshot held) and verifying. */
  copySeconds: number;
  verifySeconds: number;
}

/** Writes nothing, but says clearly why a file cannot be created at `file`. */
function claim(file: string, shownAs: string): void {
  try {
    fs.writeFileSync(file, '', { flag: 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' ? 'a file is already there'
      : code === 'ENOENT' ? 'its directory does not exist'
      : code === 'ENOTDIR' ? 'a part of the path is a file, not a directory'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : code === 'EROFS' ? 'the file system is read-only'
      : code === 'ENOSPC' ? 'the disk is full'
      : (err as Error).message;
    throw new BackupError(`cannot write ${shownAs}: ${why}`);
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some file systems cannot sync a directory; the rename is still atomic.
  }
}

/**
 * A consistent copy of the live database while the server runs, through
 * SQLite's online backup API, never a file copy (a copy of a file being
 * written, and of its WAL, is not a database).
 *
 * The copy reads one snapshot: a read transaction is opened first and held
 * until the last page, so the backup holds exactly what was committed when it
 * started, however long it takes. (Without it, every commit by the server
 * would restart a stepped backup from the first page.) In WAL mode a reader
 * never blocks the server's writes; the WAL only grows until the backup ends.
 *
 * The copy is written under a temporary name, made a single self-contained
 * file, checked (integrity_check, the same rows per table as the snapshot it
 * was taken from, the same schema version), synced, and only then renamed to
 * `out`. A failure leaves nothing at `out`.
 */
export async function backupDatabase(opts: BackupOptions): Promise<BackupResult> {
  const out = path.resolve(opts.out);
  if (!fs.existsSync(opts.source)) throw new BackupError(`no database at ${opts.source} (set DATA_DIR or --data-dir)`);
  if (fs.existsSync(out)) throw new BackupError(`cannot write ${out}: a file is already there (backups never overwrite)`);
  const partial = `${out}.partial-${process.pid}`;
  claim(partial, out);
  let src: Database.Database | null = null;
  try {
    const started = performance.now();
    src = new Database(opts.source, { readonly: true, fileMustExist: true });
    src.pragma('busy_timeout = 10000');
    // The snapshot the copy and the counts are taken from.
    src.exec('BEGIN');
    const counts = countRows(src);
    const schemaVersion = src.pragma('user_version', { simple: true }) as number;
    const step = Math.max(1, opts.stepPages ?? 256);
    try {
      await src.backup(partial, {
        progress: ({ totalPages, remainingPages }) => {
          opts.onProgress?.(totalPages - remainingPages, totalPages);
          return step;
        },
      });
    } catch (err) {
      throw new BackupError(`the copy failed: ${(err as Error).message}`);
    }
    src.exec('COMMIT');
    const pages = src.pragma('page_count', { simple: true }) as number;
    opts.onProgress?.(pages, pages);
    src.close();
    src = null;
    const copied = performance.now();

    // One file that opens anywhere, read-only too: no WAL beside it.
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const check = checkDatabase(partial);
    const problems = [...check.problems, ...countDifferences(counts, check.counts)];
    if (check.schemaVersion !== schemaVersion) problems.push(`schema version ${check.schemaVersion} in the copy, ${schemaVersion} in the source`);
    if (problems.length > 0) throw new BackupError(`the copy did not verify:\n  ${problems.join('\n  ')}`);
    fsyncFile(partial);
    try {
      // link + unlink: never replaces a file that appeared at `out` meanwhile.
      fs.linkSync(partial, out);
    } catch (err) {
      throw new BackupError(`cannot write ${out}: ${(err as Error).message}`);
    }
    fsyncDir(path.dirname(out));
    return {
      file: out,
      bytes: fs.statSync(out).size,
      counts,
      schemaVersion,
      copySeconds: (copied - started) / 1000,
      verifySeconds: (performance.now() - copied) / 1000,
    };
  } finally {
    try {
      src?.close();
    } catch {
      // already closed
    }
    for (const f of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]) fs.rmSync(f, { force: true });
  }
}
