import type Database from 'better-sqlite3';
import type { Logger } from '../logger.js';
import type { DocStore } from './docStore.js';
import { openFileIdentity, pathIdentity, sameFile, type FileIdentity } from './fileIdentity.js';

export interface CheckResult {
  ok: boolean;
  detail?: string;
}

/** What /readyz reports: ready only when every check passes. */
export interface Readiness {
  ready: boolean;
  checks: {
    /** SQLite answers, and a write transaction can be started. */
    storage: CheckResult;
    /** Every schema migration ran. */
    migrations: CheckResult;
    /** The database and WAL files at their paths are the ones the server has open. */
    files: CheckResult;
    /** The last write to storage succeeded. */
    lastWrite: CheckResult;
    /** The server is not shutting down. */
    draining: CheckResult;
  };
}

/** A write refused because storage can no longer be trusted; retrying cannot help. */
export class StorageRefused extends Error {
  readonly retryable = false;
}

export interface StorageHealthOptions {
  db: Database.Database;
  /** Path of the database file, as opened. */
  dbPath: string;
  /** The schema version migrations bring the database to. */
  schemaVersion: number;
  log: Logger;
  /**
   * How long a failed write keeps the server unready before a probe may
   * clear it. A probe is one small page; right after a real commit failed
   * for lack of space it would often fit, and readiness would flap.
   */
  probeAfterFailureMs?: number;
  now?: () => number;
}

/**
 * Watches the storage under the server: whether writes succeed, and whether
 * the database and WAL files at their paths are still the ones SQLite has
 * open. If someone deletes or replaces them, SQLite keeps writing to the
 * unlinked files and every later commit would be acknowledged and then lost;
 * so the server stops acknowledging ("fenced"), saves what it can, closes
 * writers (they keep their edits and resend after a restart) and goes unready.
 */
export class StorageHealth {
  private readonly walPath: string;
  private readonly dbFile: FileIdentity | null;
  private walFile: FileIdentity | null;
  private fencedReason: string | null = null;
  private last: { ok: boolean; at: number; error?: string } | null = null;
  private readonly fencedListeners: ((reason: string) => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: StorageHealthOptions) {
    this.now = opts.now ?? Date.now;
    this.walPath = `${opts.dbPath}-wal`;
    this.dbFile = openFileIdentity(opts.dbPath);
    this.walFile = openFileIdentity(this.walPath);
  }

  /** Checks the files every `intervalMs` (and retries a failed write's probe). */
  start(intervalMs: number): void {
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  onFenced(listener: (reason: string) => void): void {
    this.fencedListeners.push(listener);
  }

  /** Why writes are refused, or null while storage is trusted. */
  get fenced(): string | null {
    return this.fencedReason;
  }

  private tick(): void {
    try {
      this.checkFiles();
      const quiet = this.opts.probeAfterFailureMs ?? 30_000;
      if (this.last && !this.last.ok && !this.fencedReason && this.now() - this.last.at >= quiet) this.probeWrite();
    } catch (err) {
      this.opts.log.error('storage check failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Compares the files at their paths with the open ones; fences on a mismatch. True while they match. */
  checkFiles(): boolean {
    if (this.fencedReason) return false;
    const dbNow = pathIdentity(this.opts.dbPath);
    if (this.dbFile && !sameFile(this.dbFile, dbNow)) {
      this.fence(dbNow ? 'the database file was replaced under the running server' : 'the database file was deleted under the running server', 'database');
      return false;
    }
    const walNow = pathIdentity(this.walPath);
    if (!this.walFile) {
      // SQLite creates the WAL lazily: adopt the first one it has open.
      this.walFile = walNow ? openFileIdentity(this.walPath) : null;
      return true;
    }
    if (!sameFile(this.walFile, walNow)) {
      this.fence(walNow ? 'the WAL file was replaced under the running server' : 'the WAL file was deleted under the running server', 'wal');
      return false;
    }
    return true;
  }

  private fence(reason: string, which: 'database' | 'wal'): void {
    this.fencedReason = reason;
    this.opts.log.error(`STORAGE FENCED: ${reason}; no edit is acknowledged until the server restarts`, { path: this.opts.dbPath });
    this.rescue(which);
    for (const l of this.fencedListeners) {
      try {
        l(reason);
      } catch (err) {
        this.opts.log.error('storage fence listener failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  /**
   * Saves what the open files still hold. A deleted WAL is copied into the
   * database file by a checkpoint (SQLite reads it through its open
   * descriptor); a deleted or replaced database is copied out whole with the
   * online backup API, next to where it was.
   */
  private rescue(which: 'database' | 'wal'): void {
    if (which === 'wal') {
      try {
        this.opts.db.pragma('wal_checkpoint(TRUNCATE)');
        this.opts.log.error('storage rescue: every committed change was checkpointed into the database file', { path: this.opts.dbPath });
      } catch (err) {
        this.opts.log.error('storage rescue failed', { error: err instanceof Error ? err.message : String(err) });
      }
      return;
    }
    const target = `${this.opts.dbPath}.rescued-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}`;
    this.opts.db.backup(target).then(
      () => this.opts.log.error('storage rescue: a full copy of the open database was written', { path: target }),
      (err: unknown) => this.opts.log.error('storage rescue failed', { path: target, error: err instanceof Error ? err.message : String(err) }),
    );
  }

  /** Refuses while storage is fenced (no file check: see guardDocStore). */
  refuseIfFenced(): void {
    if (this.fencedReason) throw new StorageRefused(`storage refuses writes: ${this.fencedReason}`);
  }

  /** Before a write: refuses when storage is fenced or its files changed. */
  beforeWrite(): void {
    if (!this.checkFiles()) throw new StorageRefused(`storage refuses writes: ${this.fencedReason}`);
  }

  /** After a write that SQLite reported durable: refuses to let it count if the files changed meanwhile. */
  afterWrite(): void {
    if (!this.checkFiles()) throw new StorageRefused(`storage refuses writes: ${this.fencedReason}`);
    this.last = { ok: true, at: this.now() };
  }

  writeFailed(err: unknown): void {
    this.last = { ok: false, at: this.now(), error: err instanceof Error ? err.message : String(err) };
    this.checkFiles();
  }

  /**
   * A real write that changes nothing (rewriting the schema version goes
   * through the WAL and fsync), so readiness can come back once the disk
   * takes writes again even if no client writes.
   */
  probeWrite(): boolean {
    try {
      this.beforeWrite();
      const v = this.opts.db.pragma('user_version', { simple: true }) as number;
      this.opts.db.pragma(`user_version = ${v}`);
      this.afterWrite();
      return true;
    } catch (err) {
      this.writeFailed(err);
      return false;
    }
  }

  readiness(draining: boolean): Readiness {
    const storage = this.checkStorage();
    const version = this.safeVersion();
    const migrations: CheckResult =
      version === this.opts.schemaVersion ? { ok: true } : { ok: false, detail: `schema version ${version ?? 'unknown'}, expected ${this.opts.schemaVersion}` };
    const filesOk = this.checkFiles();
    const files: CheckResult = filesOk ? { ok: true } : { ok: false, detail: this.fencedReason ?? 'files changed' };
    const lastWrite: CheckResult =
      !this.last || this.last.ok ? { ok: true } : { ok: false, detail: `last write failed at ${new Date(this.last.at).toISOString()}: ${this.last.error}` };
    const drainingCheck: CheckResult = draining ? { ok: false, detail: 'shutting down' } : { ok: true };
    const checks = { storage, migrations, files, lastWrite, draining: drainingCheck };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }

  private checkStorage(): CheckResult {
    try {
      this.opts.db.prepare('SELECT 1').get();
      // Takes the write lock without writing: fails on a read-only or locked database.
      this.opts.db.exec('BEGIN IMMEDIATE; ROLLBACK');
      return { ok: true };
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }

  private safeVersion(): number | null {
    try {
      return this.opts.db.pragma('user_version', { simple: true }) as number;
    } catch {
      return null;
    }
  }
}

/**
 * The document store with its writes watched: refused while storage is
 * fenced, checked against the files after each write, and every outcome
 * recorded for readiness.
 *
 * The files are checked after the write only (two stat calls per group
 * commit, not four): that is the check the guarantee rests on. Nothing is
 * acknowledged before afterWrite passes, and it passes only when the paths
 * still name the files SQLite has open, so every commit up to then went to
 * the files a restart opens. A file deleted or replaced before the write is
 * caught by that same check: SQLite keeps the original open, so its inode
 * cannot be reused and the path cannot name it again (unless it was moved
 * back, and then nothing was lost). A check before would only spare that one
 * commit, which is refused either way: the writers keep it and resend it
 * after a restart (a Yjs update stored twice changes nothing), and for a
 * deleted WAL the rescue checkpoint copies it into the database file too.
 */
export function guardDocStore(store: DocStore, health: StorageHealth): DocStore {
  const guarded = async <T>(write: () => Promise<T>): Promise<T> => {
    health.refuseIfFenced();
    let result: T;
    try {
      result = await write();
    } catch (err) {
      health.writeFailed(err);
      throw err;
    }
    health.afterWrite();
    return result;
  };
  return {
    ...store,
    load: (docId) => store.load(docId),
    checkpoints: (docId) => store.checkpoints(docId),
    pendingUpdateCount: (docId) => store.pendingUpdateCount(docId),
    append: (writes) => guarded(() => store.append(writes)),
    compact: (docId, state, uptoSeq) => guarded(() => store.compact(docId, state, uptoSeq)),
  };
}
