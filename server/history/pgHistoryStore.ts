import type pg from 'pg';
import type { AuthorKind, NamedVersionDto } from '../../shared/history/history.js';
import { inTransaction, lockDocs } from '../storage/postgres/pgDocStore.js';
import type { AuthorKey } from './authorKeys.js';
import { toBinding, type Binding } from './authorRepo.js';
import { mergeReadable } from './compactUpdate.js';
import { checkpointTarget, openOf, planFold, readable, type CheckpointPolicy, type HistoryBase } from './foldHistory.js';
import { parseKeys, type CheckpointRow, type RevisionRow, type TailRow } from './historyRepo.js';
import type { HistoryStore } from './historyStore.js';
import { buildTimeline, type Timeline } from './timeline.js';

export interface PgHistoryStoreOptions {
  pauseMs: number;
  policy?: CheckpointPolicy;
  now: () => number;
}

type Db = Pick<pg.PoolClient, 'query'>;

interface RawRevision {
  rev: number;
  first_seq: string;
  last_seq: string;
  started_at: string;
  ended_at: string;
  authors: string;
  closed: boolean;
  base: boolean;
}

const REVISION_COLUMNS = 'rev, first_seq, last_seq, started_at, ended_at, authors, closed, base';

const toRow = (r: RawRevision): RevisionRow => ({
  rev: r.rev,
  firstSeq: Number(r.first_seq),
  lastSeq: Number(r.last_seq),
  startedAt: Number(r.started_at),
  endedAt: Number(r.ended_at),
  authors: parseKeys(r.authors) ?? [],
  closed: r.closed,
  base: r.base,
});

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * History in PostgreSQL (tables from migration 3 in pgMigrations.ts), the
 * same behaviour as SqliteHistoryStore (historyStore.contract.ts runs on
 * both). Several processes share the database, so:
 * - a fold holds the document's advisory lock (the one appends and
 *   compactions hold): every change up to its sequence number has committed
 *   when it reads them, and two folds of one document take turns, the second
 *   continuing where the first stopped;
 * - a batch's authors are stored per batch (one row each), not only when
 *   they change as on SQLite: another process's batches may come between
 *   two of this process's, so "the same as my last one" says nothing;
 * - a timeline is read in one snapshot, so a fold in between cannot show a
 *   change twice or not at all.
 */
export class PgHistoryStore implements HistoryStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: PgHistoryStoreOptions,
  ) {}

  async fold(docId: string, uptoSeq: number): Promise<void> {
    await inTransaction(this.pool, 'BEGIN', async (db) => {
      await lockDocs(db, [docId]);
      const last = await lastRevision(db, docId);
      const rows = await updates(db, docId, last?.lastSeq ?? 0, uptoSeq);
      if (rows.length > 0) {
        const plan = planFold(
          {
            last,
            lastData: last && !openOf(last).closed ? await revisionData(db, docId, last.rev) : undefined,
            rows,
            base: last ? undefined : await snapshotBefore(db, docId, rows[0]!.seq),
            bindings: await bindingsOf(db, docId),
          },
          this.opts.pauseMs,
        );
        for (const w of plan.writes) {
          const r = w.row;
          if (w.op === 'insert') {
            await db.query(
              `INSERT INTO history_revisions (doc_id, ${REVISION_COLUMNS}, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
              [docId, r.rev, r.firstSeq, r.lastSeq, r.startedAt, r.endedAt, JSON.stringify(r.authors), r.closed, r.base, buf(w.data)],
            );
          } else {
            await db.query('UPDATE history_revisions SET last_seq = $3, ended_at = $4, authors = $5, data = $6 WHERE doc_id = $1 AND rev = $2', [
              docId,
              r.rev,
              r.lastSeq,
              r.endedAt,
              JSON.stringify(r.authors),
              buf(w.data),
            ]);
          }
        }
        if (plan.baseCheckpoint) await insertCheckpoint(db, docId, 1, plan.baseCheckpoint, this.opts.now());
        await this.maybeCheckpoint(db, docId);
      }
      // Their authors are stored with their revisions now.
      await db.query('DELETE FROM history_batch_authors WHERE doc_id = $1 AND seq <= $2', [docId, uptoSeq]);
    });
  }

  private async maybeCheckpoint(db: Db, docId: string): Promise<void> {
    const lastCp = (
      await db.query<{ rev: number; bytes: number }>('SELECT rev, length(data) AS bytes FROM history_checkpoints WHERE doc_id = $1 ORDER BY rev DESC LIMIT 1', [docId])
    ).rows[0];
    const from = lastCp?.rev ?? 0;
    const stats = (await db.query<{ n: string; bytes: string | null }>('SELECT count(*) AS n, sum(length(data)) AS bytes FROM history_revisions WHERE doc_id = $1 AND rev > $2', [docId, from]))
      .rows[0];
    const newest = await lastRevision(db, docId);
    const target = checkpointTarget(newest?.rev ?? 0, lastCp, { count: Number(stats?.n ?? 0), bytes: Number(stats?.bytes ?? 0) }, this.opts.policy);
    if (target === null) return;
    const base = lastCp ? (await checkpointAt(db, docId, lastCp.rev))?.data : undefined;
    const { rows } = await db.query<{ data: Buffer }>('SELECT data FROM history_revisions WHERE doc_id = $1 AND rev > $2 AND rev <= $3 ORDER BY rev', [docId, from, target]);
    const parts = rows.map((r) => bytes(r.data));
    await insertCheckpoint(db, docId, target, mergeReadable(base ? [base, ...parts] : parts, readable), this.opts.now());
  }

  async timeline(docId: string, bindings: ReadonlyMap<number, Binding>): Promise<Timeline> {
    return inTransaction(this.pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (db) => {
      const { rows: raw } = await db.query<RawRevision>(`SELECT ${REVISION_COLUMNS} FROM history_revisions WHERE doc_id = $1 ORDER BY rev`, [docId]);
      const folded = raw.map(toRow);
      const rows = await updates(db, docId, folded.at(-1)?.lastSeq ?? 0, Number.MAX_SAFE_INTEGER);
      const base = folded.length === 0 ? await snapshotBefore(db, docId, rows[0]?.seq ?? Number.MAX_SAFE_INTEGER) : undefined;
      return buildTimeline({ folded, rows, base }, bindings, this.opts.pauseMs);
    });
  }

  revisionData(docId: string, rev: number): Promise<Uint8Array | undefined> {
    return revisionData(this.pool, docId, rev);
  }

  checkpointAt(docId: string, rev: number): Promise<CheckpointRow | undefined> {
    return checkpointAt(this.pool, docId, rev);
  }

  async versions(docId: string): Promise<NamedVersionDto[]> {
    const { rows } = await this.pool.query<{ rev: number; name: string; created_at: string }>('SELECT rev, name, created_at FROM history_versions WHERE doc_id = $1 ORDER BY rev', [docId]);
    return rows.map((r) => ({ rev: r.rev, name: r.name, at: r.created_at }));
  }

  async nameVersion(docId: string, rev: number, name: string, at: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO history_versions (doc_id, rev, name, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (doc_id, rev) DO UPDATE SET name = excluded.name, created_at = excluded.created_at`,
      [docId, rev, name, at],
    );
  }

  bindingsOf(docId: string): Promise<Map<number, Binding>> {
    return bindingsOf(this.pool, docId);
  }

  async bind(docId: string, clientId: number, kind: AuthorKind, name: string, color: string | null, at: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO author_clients (session_id, client_id, name, kind, color, seen_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (session_id, client_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, color = coalesce(excluded.color, author_clients.color), seen_at = excluded.seen_at`,
      [docId, clientId, name, kind, color, at],
    );
  }

  /** Every batch has its row here (the unfolded tail joins on the exact sequence number). */
  authorsRow(_docId: string, authors: readonly AuthorKey[]): string {
    return JSON.stringify([...authors].sort());
  }

  async batchAuthors(docId: string, seq: number, authors: AuthorKey[], stored = false): Promise<void> {
    if (stored) return;
    await this.pool.query('INSERT INTO history_batch_authors (doc_id, seq, authors) VALUES ($1, $2, $3) ON CONFLICT (doc_id, seq) DO UPDATE SET authors = excluded.authors', [
      docId,
      seq,
      JSON.stringify([...authors].sort()),
    ]);
  }
}

async function lastRevision(db: Db, docId: string): Promise<RevisionRow | undefined> {
  const { rows } = await db.query<RawRevision>(`SELECT ${REVISION_COLUMNS} FROM history_revisions WHERE doc_id = $1 ORDER BY rev DESC LIMIT 1`, [docId]);
  return rows[0] ? toRow(rows[0]) : undefined;
}

async function revisionData(db: Db, docId: string, rev: number): Promise<Uint8Array | undefined> {
  const { rows } = await db.query<{ data: Buffer }>('SELECT data FROM history_revisions WHERE doc_id = $1 AND rev = $2', [docId, rev]);
  return rows[0] ? bytes(rows[0].data) : undefined;
}

async function checkpointAt(db: Db, docId: string, rev: number): Promise<CheckpointRow | undefined> {
  const { rows } = await db.query<{ rev: number; data: Buffer }>('SELECT rev, data FROM history_checkpoints WHERE doc_id = $1 AND rev <= $2 ORDER BY rev DESC LIMIT 1', [docId, rev]);
  return rows[0] ? { rev: rows[0].rev, data: bytes(rows[0].data) } : undefined;
}

async function insertCheckpoint(db: Db, docId: string, rev: number, data: Uint8Array, at: number): Promise<void> {
  await db.query(
    'INSERT INTO history_checkpoints (doc_id, rev, data, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (doc_id, rev) DO UPDATE SET data = excluded.data, created_at = excluded.created_at',
    [docId, rev, buf(data), at],
  );
}

/** Stored changes after `afterSeq` up to `uptoSeq` with the authors their batch recorded (null when none did), oldest first. */
async function updates(db: Db, docId: string, afterSeq: number, uptoSeq: number): Promise<TailRow[]> {
  const { rows } = await db.query<{ seq: string; created_at: string; data: Buffer; authors: string | null }>(
    `SELECT u.seq, u.created_at, u.data, a.authors FROM doc_updates u LEFT JOIN history_batch_authors a ON a.doc_id = u.doc_id AND a.seq = u.seq
     WHERE u.doc_id = $1 AND u.seq > $2 AND u.seq <= $3 ORDER BY u.seq`,
    [docId, afterSeq, Math.min(uptoSeq, Number.MAX_SAFE_INTEGER)],
  );
  return rows.map((r) => ({ seq: Number(r.seq), at: Number(r.created_at), authors: parseKeys(r.authors), data: bytes(r.data) }));
}

async function snapshotBefore(db: Db, docId: string, seq: number): Promise<HistoryBase | undefined> {
  const { rows } = await db.query<{ upto_seq: string; data: Buffer; created_at: string }>(
    'SELECT upto_seq, data, created_at FROM doc_snapshots WHERE doc_id = $1 AND upto_seq < $2 ORDER BY upto_seq DESC, id DESC LIMIT 1',
    [docId, seq],
  );
  const r = rows[0];
  return r ? { uptoSeq: Number(r.upto_seq), data: bytes(r.data), at: Number(r.created_at) } : undefined;
}

async function bindingsOf(db: Db, docId: string): Promise<Map<number, Binding>> {
  const { rows } = await db.query<{ client_id: string; name: string; kind: string; color: string | null }>('SELECT client_id, name, kind, color FROM author_clients WHERE session_id = $1', [docId]);
  return new Map(rows.map((r) => [Number(r.client_id), toBinding(r)]));
}
