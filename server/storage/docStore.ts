import type Database from 'better-sqlite3';

export interface StoredDoc {
  /** Latest compacted state, or null if the document was never compacted. */
  snapshot: Uint8Array | null;
  /** Updates committed after the snapshot, oldest first. */
  updates: Uint8Array[];
  /** Highest update sequence number included above (0 when empty). */
  lastSeq: number;
}

/** A stored full copy of a document (a snapshot kept as a restore point). */
export interface Checkpoint {
  id: number;
  /** Highest update sequence number the copy includes. */
  uptoSeq: number;
  data: Uint8Array;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

export interface DocWrite {
  docId: string;
  update: Uint8Array;
  /**
   * Who is in this change, for history (a JSON array of author keys): stored
   * in `history_batch_authors` at the update's sequence number in the same
   * transaction, so it is durable exactly when the change is, at no extra
   * commit (an fsync of its own per batch was the largest cost of a room
   * with several note-takers).
   */
  authors?: string;
}

/**
 * Durable storage of Yjs documents as an append-only update log plus
 * snapshots. Snapshots double as the checkpoints past versions will be
 * rebuilt from: the latest is always kept, older ones at most one per
 * `checkpointSpacingMs`, so a document typed into for hours keeps a bounded
 * number of full copies instead of one per compaction.
 */
export interface DocStore {
  load(docId: string): Promise<StoredDoc>;
  /** Every kept checkpoint of a document, newest first (the first is the latest snapshot). */
  checkpoints(docId: string): Promise<Checkpoint[]>;
  /** Commits all writes in one transaction; resolves with each document's last sequence number. */
  append(writes: readonly DocWrite[]): Promise<Map<string, number>>;
  /** Stores `state` as the snapshot covering every update up to `uptoSeq`, then drops those updates. */
  compact(docId: string, state: Uint8Array, uptoSeq: number): Promise<void>;
  /** Number of updates stored after the latest snapshot. */
  pendingUpdateCount(docId: string): number;
}

export interface DocStoreOptions {
  /** Minimum age gap between two kept checkpoints (the latest snapshot is always kept). */
  checkpointSpacingMs?: number;
  now?: () => number;
  /**
   * Where appends and compactions run: a storage writer thread with its own
   * connection (see docWriter.ts), so no fsync blocks the event loop. Without
   * one they run on `db`, in this thread.
   */
  writer?: DocWriterPort;
}

/** The writes a storage writer thread takes over from the event loop. */
export interface DocWriterPort {
  append(writes: readonly DocWrite[]): Promise<Map<string, number>>;
  compact(docId: string, state: Uint8Array, uptoSeq: number): Promise<void>;
}

/** Five minutes: a one-hour session keeps about a dozen restorable versions. */
export const DEFAULT_CHECKPOINT_SPACING_MS = 5 * 60_000;

/**
 * The two writing transactions of the document store, on one connection:
 * the main thread's (seeds, and appends without a writer thread) and the
 * writer thread's use the very same statements. Self-contained (it uses
 * nothing but its arguments): the writer thread runs its source as is.
 */
export function prepareDocWrites(db: Database.Database, opts: { checkpointSpacingMs: number; now: () => number }) {
  const now = opts.now;
  const spacing = opts.checkpointSpacingMs;
  const insertUpdate = db.prepare<[string, Uint8Array, number]>(
    'INSERT INTO doc_updates (doc_id, data, created_at) VALUES (?, ?, ?)',
  );
  const insertSnapshot = db.prepare<[string, number, Uint8Array, number]>(
    'INSERT INTO doc_snapshots (doc_id, upto_seq, data, created_at) VALUES (?, ?, ?, ?)',
  );
  const deleteUpdatesUpTo = db.prepare<[string, number]>('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?');
  const touchSession = db.prepare<[string, string]>('UPDATE sessions SET notes_updated_at = ? WHERE id = ?');
  const newestSnapshots = db.prepare<[string], { id: number; created_at: number }>(
    'SELECT id, created_at FROM doc_snapshots WHERE doc_id = ? ORDER BY id DESC LIMIT 2',
  );
  const deleteSnapshot = db.prepare<[number]>('DELETE FROM doc_snapshots WHERE id = ?');
  // Prepared when first needed: history creates its table, and a store without history never writes it.
  let insertAuthors: Database.Statement<[string, number, string]> | null = null;

  const append = db.transaction((writes: readonly DocWrite[], touch: boolean) => {
    const at = now();
    const nowIso = new Date(at).toISOString();
    const last = new Map<string, number>();
    for (const w of writes) {
      const seq = Number(insertUpdate.run(w.docId, w.update, at).lastInsertRowid);
      last.set(w.docId, seq);
      if (w.authors !== undefined) {
        insertAuthors ??= db.prepare<[string, number, string]>('INSERT OR REPLACE INTO history_batch_authors (doc_id, seq, authors) VALUES (?, ?, ?)');
        insertAuthors.run(w.docId, seq, w.authors);
      }
    }
    if (touch) for (const docId of last.keys()) touchSession.run(nowIso, docId);
    return last;
  });

  const compact = db.transaction((docId: string, state: Uint8Array, uptoSeq: number) => {
    // The current latest stops being the latest now: keep it only if it is far enough from the checkpoint before it.
    const [latest, beforeLatest] = newestSnapshots.all(docId);
    if (latest && beforeLatest && latest.created_at - beforeLatest.created_at < spacing) deleteSnapshot.run(latest.id);
    insertSnapshot.run(docId, uptoSeq, state, now());
    deleteUpdatesUpTo.run(docId, uptoSeq);
  });
  return { append, compact };
}

export function createSqliteDocStore(db: Database.Database, opts: DocStoreOptions = {}): DocStore {
  const selectSnapshot = db.prepare<[string], { data: Buffer; upto_seq: number }>(
    'SELECT data, upto_seq FROM doc_snapshots WHERE doc_id = ? ORDER BY id DESC LIMIT 1',
  );
  const selectUpdates = db.prepare<[string, number], { seq: number; data: Buffer }>(
    'SELECT seq, data FROM doc_updates WHERE doc_id = ? AND seq > ? ORDER BY seq',
  );
  const countUpdates = db.prepare<[string], { n: number }>(
    'SELECT count(*) AS n FROM doc_updates WHERE doc_id = ?',
  );
  const allSnapshots = db.prepare<[string], { id: number; upto_seq: number; data: Buffer; created_at: number }>(
    'SELECT id, upto_seq, data, created_at FROM doc_snapshots WHERE doc_id = ? ORDER BY id DESC',
  );
  const local = prepareDocWrites(db, { checkpointSpacingMs: opts.checkpointSpacingMs ?? DEFAULT_CHECKPOINT_SPACING_MS, now: opts.now ?? Date.now });
  const writer = opts.writer;

  return {
    async load(docId) {
      const snap = selectSnapshot.get(docId);
      const after = snap?.upto_seq ?? 0;
      const rows = selectUpdates.all(docId, after);
      return {
        snapshot: snap ? new Uint8Array(snap.data) : null,
        updates: rows.map((r) => new Uint8Array(r.data)),
        lastSeq: rows.length > 0 ? rows[rows.length - 1]!.seq : after,
      };
    },
    async checkpoints(docId) {
      return allSnapshots.all(docId).map((r) => ({ id: r.id, uptoSeq: r.upto_seq, data: new Uint8Array(r.data), createdAt: r.created_at }));
    },
    async append(writes) {
      return writer ? writer.append(writes) : local.append(writes, true);
    },
    async compact(docId, state, uptoSeq) {
      if (writer) await writer.compact(docId, state, uptoSeq);
      else local.compact(docId, state, uptoSeq);
    },
    pendingUpdateCount(docId) {
      return countUpdates.get(docId)?.n ?? 0;
    },
  };
}
