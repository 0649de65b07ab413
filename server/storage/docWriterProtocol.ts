import type { DocWrite } from './docStore.js';

/** What the writer thread is started with. */
export interface WriterSetup {
  dbPath: string;
  /** SQLite's `synchronous` level of the main connection (2 = FULL). */
  synchronous: number;
  checkpointSpacingMs: number;
}

/** A write the thread runs as one transaction. */
export type WriteRequest =
  | { id: number; op: 'append'; writes: readonly DocWrite[] }
  | { id: number; op: 'compact'; docId: string; state: Uint8Array; uptoSeq: number };

export type WriterRequest =
  | WriteRequest
  /** Close the connection, then set `flag[0]` to 1 and notify: the main thread waits for it. */
  | { id: number; op: 'close'; flag: Int32Array };

export type WriterReply =
  | { id: number; ok: true; /** Each written document's last sequence number. */ seqs: [string, number][] }
  | { id: number; ok: false; message: string; code: string | null };
