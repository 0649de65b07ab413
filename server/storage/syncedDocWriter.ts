import Database from 'better-sqlite3';
import fs from 'node:fs';
import { configureConnection } from './database.js';
import { DEFAULT_CHECKPOINT_SPACING_MS, prepareDocWrites, type DocWriterPort } from './docStore.js';

export interface SyncedDocWriterOptions {
  /** The main connection: the writer opens the same file. */
  db: Database.Database;
  checkpointSpacingMs?: number;
  /** Makes what was written to the file behind `fd` durable (fdatasync on libuv's pool); tests hold it back. */
  syncFile?: (fd: number) => Promise<void>;
}

export interface SyncedDocWriter extends DocWriterPort {
  /** Transactions run, and syncs completed (tests and the bench). */
  stats(): { transactions: number; syncs: number };
  /** Closes its connection; before the main one, which then folds the WAL back into the file. */
  close(): void;
}

const fdatasync = (fd: number) =>
  new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));

/**
 * Durable document writes without a thread of their own. The transaction
 * runs on the event loop, on a second connection with synchronous=NORMAL:
 * SQLite writes the WAL frames (tens of µs) and does not wait for the disk.
 * The wait, the fdatasync of the WAL file, runs on libuv's thread pool, and
 * the writes count as committed (acknowledged, broadcast) only once it has
 * returned. The sync covers every frame written before it, so an
 * acknowledged transaction survives power loss as with synchronous=FULL; and
 * NORMAL keeps the file consistent whatever happens (SQLite syncs the WAL
 * before each checkpoint and the database after it).
 *
 * Against a writer thread (docWriter.ts, `STORAGE_WRITER=thread`), this
 * saves the thread's V8 isolate (about 12 MiB) and each commit's hand-off
 * between threads; the event loop pays the WAL writes, and a checkpoint
 * every 1,000 WAL pages.
 */
export function createSyncedDocWriter(opts: SyncedDocWriterOptions): SyncedDocWriter {
  const syncFile = opts.syncFile ?? fdatasync;
  let conn: Database.Database | null = null;
  let prepared: ReturnType<typeof prepareDocWrites> | null = null;
  let walFd: number | null = null;
  let closed = false;
  let transactions = 0;
  let syncs = 0;
  let syncing = 0;

  const closeFile = () => {
    if (walFd !== null && syncing === 0) {
      fs.closeSync(walFd);
      walFd = null;
    }
  };

  const open = () => {
    if (closed) throw new Error('storage writer closed');
    if (!conn) {
      conn = new Database(opts.db.name);
      configureConnection(conn, 'NORMAL');
      prepared = prepareDocWrites(conn, { checkpointSpacingMs: opts.checkpointSpacingMs ?? DEFAULT_CHECKPOINT_SPACING_MS, now: Date.now });
    }
    return prepared!;
  };

  const durable = async () => {
    // Opened after the first transaction: in WAL mode the file exists from then on, and stays while a connection is open.
    walFd ??= fs.openSync(`${opts.db.name}-wal`, 'r');
    syncing++;
    try {
      await syncFile(walFd);
      syncs++;
    } finally {
      syncing--;
      // A close that came meanwhile left the file open for this sync.
      if (closed) closeFile();
    }
  };

  return {
    async append(writes) {
      const seqs = open().append(writes, true);
      transactions++;
      await durable();
      return seqs;
    },
    async compact(docId, state, uptoSeq) {
      open().compact(docId, state, uptoSeq);
      transactions++;
      await durable();
    },
    stats: () => ({ transactions, syncs }),
    close() {
      closed = true;
      closeFile();
      conn?.close();
      conn = null;
    },
  };
}
