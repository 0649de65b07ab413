import type pg from 'pg';
import * as Y from 'yjs';
import { DEFAULT_CHECKPOINT_SPACING_MS, type Checkpoint, type DocStore, type DocStoreOptions, type DocWrite, type StoredDoc } from '../docStore.js';

export type PgDocStoreOptions = DocStoreOptions;

/** Namespace of the per-document advisory locks (the second key is the document id's hash). */
const DOC_LOCK = 0x52540002;

/** Holds each document's lock until the transaction ends: appends, compactions and history folds of a document take turns. */
export async function lockDocs(client: pg.PoolClient, docIds: Iterable<string>): Promise<void> {
  // Sorted: two transactions locking the same documents never wait on each other in a circle.
  for (const docId of [...new Set(docIds)].sort()) await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [DOC_LOCK, docId]);
}

/** Appends updates inside the caller's transaction (also a new session's seed, with the session), holding each document's lock. */
export async function insertUpdates(client: pg.PoolClient, writes: readonly DocWrite[], at: number): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  if (writes.length === 0) return last;
  await lockDocs(client, writes.map((w) => w.docId));
  const { rows } = await client.query<{ seq: string; doc_id: string }>(
    'INSERT INTO doc_updates (doc_id, data, created_at) SELECT d, u, $3 FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS t(d, u, o) ORDER BY o RETURNING seq, doc_id',
    [writes.map((w) => w.docId), writes.map((w) => Buffer.from(w.update.buffer, w.update.byteOffset, w.update.byteLength)), at],
  );
  for (const r of rows) last.set(r.doc_id, Math.max(last.get(r.doc_id) ?? 0, Number(r.seq)));
  // History's row of who is in each change, in the same transaction. A document's updates get ascending
  // sequence numbers in the order given, so its k-th write has its k-th smallest seq.
  const seqsOf = new Map<string, number[]>();
  for (const r of rows) seqsOf.set(r.doc_id, [...(seqsOf.get(r.doc_id) ?? []), Number(r.seq)]);
  for (const list of seqsOf.values()) list.sort((a, b) => a - b);
  const taken = new Map<string, number>();
  const authored: { docId: string; seq: number; authors: string }[] = [];
  for (const w of writes) {
    const k = taken.get(w.docId) ?? 0;
    taken.set(w.docId, k + 1);
    const seq = seqsOf.get(w.docId)?.[k];
    if (w.authors !== undefined && seq !== undefined) authored.push({ docId: w.docId, seq, authors: w.authors });
  }
  if (authored.length > 0) {
    await client.query(
      `INSERT INTO history_batch_authors (doc_id, seq, authors) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])
       ON CONFLICT (doc_id, seq) DO UPDATE SET authors = excluded.authors`,
      [authored.map((a) => a.docId), authored.map((a) => a.seq), authored.map((a) => a.authors)],
    );
  }
  return last;
}

export async function inTransaction<T>(pool: pg.Pool, begin: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    client.release();
  }
}

/**
 * Documents in PostgreSQL, the same log-plus-snapshots as on SQLite. Several
 * processes write the same document, so two things SQLite gets for free are
 * explicit here:
 * - appends and compactions of a document hold its advisory lock, so a
 *   compaction never drops an update whose transaction has not committed yet
 *   (sequence numbers are taken in order, but commits could land out of order);
 * - a compaction merges what is stored up to its sequence number (and the
 *   latest snapshot) into the state it is given, because the compacting
 *   process may not have received every other process's updates yet.
 */
export function createPgDocStore(pool: pg.Pool, opts: PgDocStoreOptions = {}): DocStore {
  const now = opts.now ?? Date.now;
  const spacing = opts.checkpointSpacingMs ?? DEFAULT_CHECKPOINT_SPACING_MS;
  /** Updates after the latest snapshot, as far as this process saw (pendingUpdateCount is synchronous). */
  const pending = new Map<string, number>();

  const append = async (writes: readonly DocWrite[]): Promise<Map<string, number>> => {
    const last = new Map<string, number>();
    if (writes.length === 0) return last;
    const at = now();
    await inTransaction(pool, 'BEGIN', async (client) => {
      for (const [docId, seq] of await insertUpdates(client, writes, at)) last.set(docId, seq);
      // Notes were written (seeds come through the session store and leave this null).
      await client.query('UPDATE sessions SET notes_updated_at = $1 WHERE id = ANY($2::text[])', [new Date(at).toISOString(), [...last.keys()]]);
    });
    for (const w of writes) pending.set(w.docId, (pending.get(w.docId) ?? 0) + 1);
    return last;
  };

  return {
    async load(docId): Promise<StoredDoc> {
      // One snapshot of the database: a compaction between the two reads would otherwise hide updates.
      return inTransaction(pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
        const snap = await client.query<{ data: Buffer; upto_seq: string }>('SELECT data, upto_seq FROM doc_snapshots WHERE doc_id = $1 ORDER BY id DESC LIMIT 1', [docId]);
        const after = snap.rows[0] ? Number(snap.rows[0].upto_seq) : 0;
        const ups = await client.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE doc_id = $1 AND seq > $2 ORDER BY seq', [docId, after]);
        pending.set(docId, ups.rows.length);
        return {
          snapshot: snap.rows[0] ? new Uint8Array(snap.rows[0].data) : null,
          updates: ups.rows.map((r) => new Uint8Array(r.data)),
          lastSeq: ups.rows.length > 0 ? Number(ups.rows[ups.rows.length - 1]!.seq) : after,
        };
      });
    },

    async checkpoints(docId): Promise<Checkpoint[]> {
      const { rows } = await pool.query<{ id: string; upto_seq: string; data: Buffer; created_at: string }>(
        'SELECT id, upto_seq, data, created_at FROM doc_snapshots WHERE doc_id = $1 ORDER BY id DESC',
        [docId],
      );
      return rows.map((r) => ({ id: Number(r.id), uptoSeq: Number(r.upto_seq), data: new Uint8Array(r.data), createdAt: Number(r.created_at) }));
    },

    append,

    async compact(docId, state, uptoSeq) {
      await inTransaction(pool, 'BEGIN', async (client) => {
        await lockDocs(client, [docId]);
        const snaps = await client.query<{ id: string; upto_seq: string; data: Buffer; created_at: string }>(
          'SELECT id, upto_seq, data, created_at FROM doc_snapshots WHERE doc_id = $1 ORDER BY id DESC LIMIT 2',
          [docId],
        );
        const [latest, beforeLatest] = snaps.rows;
        const covered = Math.max(uptoSeq, latest ? Number(latest.upto_seq) : 0);
        const ups = await client.query<{ data: Buffer }>('SELECT data FROM doc_updates WHERE doc_id = $1 AND seq <= $2 ORDER BY seq', [docId, covered]);
        const doc = new Y.Doc();
        try {
          Y.transact(doc, () => {
            if (latest) Y.applyUpdate(doc, latest.data);
            for (const u of ups.rows) Y.applyUpdate(doc, u.data);
            Y.applyUpdate(doc, state);
          });
          const merged = Y.encodeStateAsUpdate(doc);
          // The current latest stops being the latest now: keep it only if it is far enough from the checkpoint before it.
          if (latest && beforeLatest && Number(latest.created_at) - Number(beforeLatest.created_at) < spacing) {
            await client.query('DELETE FROM doc_snapshots WHERE id = $1', [latest.id]);
          }
          await client.query('INSERT INTO doc_snapshots (doc_id, upto_seq, data, created_at) VALUES ($1, $2, $3, $4)', [docId, covered, Buffer.from(merged), now()]);
          await client.query('DELETE FROM doc_updates WHERE doc_id = $1 AND seq <= $2', [docId, covered]);
        } finally {
          doc.destroy();
        }
      });
      const left = await pool.query<{ n: string }>('SELECT count(*) AS n FROM doc_updates WHERE doc_id = $1', [docId]);
      pending.set(docId, Number(left.rows[0]?.n ?? 0));
    },

    pendingUpdateCount(docId) {
      return pending.get(docId) ?? 0;
    },
  };
}
