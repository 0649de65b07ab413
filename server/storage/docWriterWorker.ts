import type Database from 'better-sqlite3';
import type { MessagePort } from 'node:worker_threads';
import type { prepareDocWrites } from './docStore.js';
import type { packSeqs, unpackDocWrites } from './docWritePacking.js';
import type { WriterReply, WriterRequest, WriterSetup } from './docWriterProtocol.js';

export interface DocWriterDeps {
  Database: typeof Database;
  port: MessagePort;
  setup: WriterSetup;
  prepareDocWrites: typeof prepareDocWrites;
  unpackDocWrites: typeof unpackDocWrites;
  packSeqs: typeof packSeqs;
}

/**
 * The storage writer thread: its own SQLite connection to the server's file
 * (WAL lets it write while the main thread reads), running the document
 * store's appends and compactions, fsync included, off the event loop. One
 * message is one transaction; the main thread's commit queue already groups
 * every room's pending writes into one message per turn.
 *
 * Self-contained (it uses nothing but its arguments): the thread runs this
 * function's source with plain Node, without a TypeScript loader in the
 * thread, which would cost it more memory than everything else it holds.
 */
export function runDocWriter({ Database, port, setup, prepareDocWrites, unpackDocWrites, packSeqs }: DocWriterDeps): void {
  const db = new Database(setup.dbPath);
  db.pragma('journal_mode = WAL');
  // The same durability as the main connection (FULL: a commit survives power loss).
  db.pragma(`synchronous = ${setup.synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const writes = prepareDocWrites(db, { checkpointSpacingMs: setup.checkpointSpacingMs, now: Date.now });

  // One for the thread's life: creating a decoder per commit showed in its profile.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const failure = (id: number, err: unknown): WriterReply => {
    const e = err as { message?: unknown; code?: unknown };
    return { id, ok: false, message: String(e?.message ?? err), code: typeof e?.code === 'string' ? e.code : null };
  };

  port.on('message', (req: WriterRequest) => {
    if (req instanceof ArrayBuffer) {
      // A group commit: its answer goes back moved too.
      // The id first, so that even a body that does not unpack gets its answer (its commit must not hang).
      const id = req.byteLength >= 8 ? new DataView(req).getFloat64(0, true) : 0;
      try {
        const packed = unpackDocWrites(req, utf8);
        const seqs = packSeqs(id, writes.append(packed.writes, true));
        port.postMessage(seqs, [seqs]);
      } catch (err) {
        port.postMessage(failure(id, err));
      }
      return;
    }
    if (req.op === 'close') {
      try {
        db.close();
      } finally {
        Atomics.store(req.flag, 0, 1);
        Atomics.notify(req.flag, 0);
      }
      return;
    }
    let reply: WriterReply;
    try {
      writes.compact(req.docId, req.state, req.uptoSeq);
      reply = { id: req.id, ok: true, seqs: [] };
    } catch (err) {
      reply = failure(req.id, err);
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}
