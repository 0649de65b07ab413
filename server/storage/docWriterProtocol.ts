import type { DocWrite } from './docStore.js';

/** What the writer thread is started with. */
export interface WriterSetup {
  dbPath: string;
  /** SQLite's `synchronous` level of the main connection (2 = FULL). */
  synchronous: number;
  checkpointSpacingMs: number;
}

/** A write the thread runs as one transaction (as the main thread keeps it, e.g. to rerun it here). */
export type WriteRequest =
  | { id: number; op: 'append'; writes: readonly DocWrite[] }
  | { id: number; op: 'compact'; docId: string; state: Uint8Array; uptoSeq: number };

/** What crosses to the thread. */
export type WriterRequest =
  /** An append: one packed group commit, moved (docWritePacking.ts). */
  | ArrayBuffer
  | Extract<WriteRequest, { op: 'compact' }>
  /** Close the connection, then set `flag[0]` to 1 and notify: the main thread waits for it. */
  | { id: number; op: 'close'; flag: Int32Array };

/** What comes back. */
export type WriterReply =
  /** An append's packed sequence numbers, moved (docWritePacking.ts: packSeqs). */
  | ArrayBuffer
  | { id: number; ok: true; /** Compactions: none. */ seqs: [] }
  | { id: number; ok: false; message: string; code: string | null };
