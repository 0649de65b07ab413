import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import { DEFAULT_CHECKPOINT_SPACING_MS, prepareDocWrites, type DocWrite, type DocWriterPort } from './docStore.js';
import { packDocWrites, packedSeqsId, packSeqs, unpackDocWrites, unpackSeqs } from './docWritePacking.js';
import { runDocWriter } from './docWriterWorker.js';
import type { WriteRequest, WriterReply, WriterRequest, WriterSetup } from './docWriterProtocol.js';

/** A document store write the writer thread reported as failed (SQLite's own code kept, e.g. SQLITE_FULL). */
export class DocWriteFailed extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

export interface DocWriterThread extends DocWriterPort {
  /** Writes that went through the thread, and whether it runs now (bench and tests). */
  stats(): { threadWrites: number; running: boolean; inThread: boolean };
  close(): Promise<void>;
}

export interface DocWriterOptions {
  /** The main connection: the thread opens the same file with the same durability; the fallback writes here. */
  db: Database.Database;
  log: Logger;
  checkpointSpacingMs?: number;
  /** The thread stops after this long without writes (its memory back); the next write starts it again. */
  idleMs?: number;
}

/**
 * The thread's program: the two self-contained functions' sources (as this
 * process runs them, TypeScript already stripped) and better-sqlite3, in
 * plain Node. `__name` is the helper a transpiler keeping function names
 * may leave in the sources.
 */
function writerSource(): string {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  return [
    "'use strict';",
    'const __name = (fn) => fn;',
    "const { parentPort, workerData } = require('node:worker_threads');",
    `const Database = require(${JSON.stringify(sqlite)});`,
    `const prepareDocWrites = ${prepareDocWrites.toString()};`,
    `const unpackDocWrites = ${unpackDocWrites.toString()};`,
    `const packSeqs = ${packSeqs.toString()};`,
    `(${runDocWriter.toString()})({ Database, port: parentPort, setup: workerData, prepareDocWrites, unpackDocWrites, packSeqs });`,
  ].join('\n');
}

interface Job {
  req: WriteRequest;
  worker: Worker;
  resolve(seqs: Map<string, number>): void;
  reject(err: Error): void;
}

/**
 * Durable document writes off the event loop: a worker thread with its own
 * SQLite connection runs each transaction and its fsync, while the event loop
 * goes on reading sockets, so the next group commit gathers meanwhile. The
 * caller learns the sequence numbers once the transaction is durable, and
 * only then acknowledges or broadcasts anything. Starts on the first write,
 * stops when idle; where it cannot start, the writes run in this thread.
 */
export function createDocWriterThread(opts: DocWriterOptions): DocWriterThread {
  const spacing = opts.checkpointSpacingMs ?? DEFAULT_CHECKPOINT_SPACING_MS;
  let local: ReturnType<typeof prepareDocWrites> | null = null;
  const fallback: DocWriterPort = {
    append: async (writes) => (local ??= prepareDocWrites(opts.db, { checkpointSpacingMs: spacing, now: Date.now })).append(writes, true),
    compact: async (docId, state, uptoSeq) => (local ??= prepareDocWrites(opts.db, { checkpointSpacingMs: spacing, now: Date.now })).compact(docId, state, uptoSeq),
  };
  const pending = new Map<number, Job>();
  let worker: Worker | null = null;
  let failedToStart = false;
  let closed = false;
  let nextId = 1;
  let threadWrites = 0;
  let idleTimer: NodeJS.Timeout | null = null;
  const utf8 = new TextEncoder();

  const inThread = (req: WriteRequest): Promise<Map<string, number>> =>
    req.op === 'append' ? fallback.append(req.writes) : fallback.compact(req.docId, req.state, req.uptoSeq).then(() => new Map());

  const idleMs = opts.idleMs ?? 60_000;
  let lastActive = 0;
  // One timer per quiet spell, not one re-armed per commit: it checks when the thread was last busy.
  const armIdle = () => {
    if (idleTimer) return;
    const check = () => {
      idleTimer = null;
      const w = worker;
      // Busy again: the next reply arms it anew.
      if (!w || pending.size > 0) return;
      const quiet = Date.now() - lastActive;
      if (quiet < idleMs) {
        idleTimer = setTimeout(check, idleMs - quiet);
        idleTimer.unref();
        return;
      }
      worker = null;
      void w.terminate();
    };
    idleTimer = setTimeout(check, idleMs);
    idleTimer.unref();
  };

  const settleIdle = () => {
    lastActive = Date.now();
    if (pending.size > 0 || !worker) return;
    // Idle, it must not keep the process alive.
    worker.unref();
    armIdle();
  };

  const spawn = (): Worker => {
    let ready = false;
    let gone = false;
    // Read when the thread starts, so it always matches the main connection's durability.
    const setup: WriterSetup = { dbPath: opts.db.name, synchronous: opts.db.pragma('synchronous', { simple: true }) as number, checkpointSpacingMs: spacing };
    const w = new Worker(writerSource(), { eval: true, workerData: setup });
    w.on('message', (msg: WriterReply | { ready: true }) => {
      if (msg instanceof ArrayBuffer) {
        const id = packedSeqsId(msg);
        const job = id === null ? undefined : pending.get(id);
        if (!job || job.req.op !== 'append') return;
        pending.delete(job.req.id);
        let seqs: Map<string, number>;
        try {
          seqs = unpackSeqs(msg, job.req.writes);
        } catch (err) {
          job.reject(err as Error);
          settleIdle();
          return;
        }
        threadWrites++;
        job.resolve(seqs);
        settleIdle();
        return;
      }
      if ('ready' in msg) {
        ready = true;
        return;
      }
      const job = pending.get(msg.id);
      if (!job) return;
      pending.delete(msg.id);
      if (msg.ok) {
        threadWrites++;
        job.resolve(new Map());
      } else job.reject(new DocWriteFailed(msg.message, msg.code));
      settleIdle();
    });
    const lost = (err: Error) => {
      if (gone) return;
      gone = true;
      if (worker === w) worker = null;
      // Only this thread's jobs: one stopped for idleness exits after its successor took new work.
      const jobs = [...pending.values()].filter((j) => j.worker === w);
      for (const j of jobs) pending.delete(j.req.id);
      if (!ready && !closed) {
        // It never opened the file: write here from now on, rather than fail every commit.
        failedToStart = true;
        opts.log.warn('storage writer thread could not start: writing in the main thread', { error: err.message });
        for (const j of jobs) inThread(j.req).then(j.resolve, j.reject);
        return;
      }
      // Whether the transaction in flight committed is unknown: the commit queue retries it, and a
      // Yjs update stored twice changes nothing.
      for (const j of jobs) j.reject(err);
    };
    w.on('error', (err) => lost(err));
    w.on('exit', (code) => lost(new Error(`storage writer thread exited with code ${code}`)));
    return w;
  };

  const run = (req: WriteRequest): Promise<Map<string, number>> => {
    if (closed) return Promise.reject(new Error('storage writer closed'));
    if (failedToStart) return inThread(req);
    try {
      worker ??= spawn();
    } catch (err) {
      failedToStart = true;
      opts.log.warn('storage writer thread could not start: writing in the main thread', { error: String(err) });
      return inThread(req);
    }
    worker.ref();
    const w = worker;
    return new Promise((resolve, reject) => {
      pending.set(req.id, { req, worker: w, resolve, reject });
      if (req.op === 'append') {
        // Moved, not cloned; the job keeps the writes (a thread that never started reruns them here).
        let packed: ArrayBuffer;
        try {
          packed = packDocWrites(req.id, req.writes, utf8);
        } catch (err) {
          pending.delete(req.id);
          throw err;
        }
        w.postMessage(packed, [packed]);
      } else w.postMessage(req satisfies WriterRequest);
    });
  };

  return {
    append: (writes: readonly DocWrite[]) => run({ id: nextId++, op: 'append', writes }),
    compact: async (docId, state, uptoSeq) => {
      await run({ id: nextId++, op: 'compact', docId, state, uptoSeq });
    },
    stats: () => ({ threadWrites, running: worker !== null, inThread: failedToStart }),
    async close() {
      closed = true;
      if (idleTimer) clearTimeout(idleTimer);
      const w = worker;
      worker = null;
      for (const j of pending.values()) j.reject(new Error('storage writer closed'));
      pending.clear();
      if (!w) return;
      // Synchronously, before the caller closes the main connection: closed last, that one folds the
      // WAL back into the database file, so a stopped server's file is whole and stays unchanged.
      const flag = new Int32Array(new SharedArrayBuffer(4));
      w.postMessage({ id: nextId++, op: 'close', flag } satisfies WriterRequest);
      Atomics.wait(flag, 0, 0, 5000);
      await w.terminate();
    },
  };
}

/**
 * Makes every transaction later created on `db` begin IMMEDIATE (write lock
 * first). With a writer thread committing on its own connection at any
 * moment, a deferred transaction that reads before it writes fails with
 * SQLITE_BUSY_SNAPSHOT instead of waiting; an immediate one waits (busy_timeout).
 */
export function beginTransactionsImmediate(db: Database.Database): void {
  const create = db.transaction.bind(db);
  db.transaction = ((fn: Parameters<typeof create>[0]) => create(fn).immediate) as typeof db.transaction;
}
