import type Database from 'better-sqlite3';
import type { AuthorKey } from './authorKeys.js';
import type { RecentAuthors } from './recentAuthors.js';

/** A revision as stored (without its data). */
export interface RevisionRow {
  rev: number;
  firstSeq: number;
  lastSeq: number;
  startedAt: number;
  endedAt: number;
  authors: AuthorKey[];
  closed: boolean;
  base: boolean;
}

/** A stored change not yet folded into history (a row of doc_updates). */
export interface TailRow {
  seq: number;
  at: number;
  /** Who the commit recorded; null for changes written outside a room (the template) or before history. */
  authors: AuthorKey[] | null;
  data: Uint8Array;
}

export interface CheckpointRow {
  rev: number;
  data: Uint8Array;
}

interface RawRevision {
  rev: number;
  first_seq: number;
  last_seq: number;
  started_at: number;
  ended_at: number;
  authors: string;
  closed: number;
  base: number;
}

/** Authors stored as JSON; null when nothing is stored. */
export const parseKeys = (json: string | null): AuthorKey[] | null => {
  if (json === null) return null;
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

const toRow = (r: RawRevision): RevisionRow => ({
  rev: r.rev,
  firstSeq: r.first_seq,
  lastSeq: r.last_seq,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  authors: parseKeys(r.authors) ?? [],
  closed: r.closed === 1,
  base: r.base === 1,
});

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const REVISION_COLUMNS = 'rev, first_seq, last_seq, started_at, ended_at, authors, closed, base';

/**
 * SQL of history (tables from server/history/historyMigration.ts), reading the
 * update log (doc_updates) a compaction is about to trim. Synchronous: a fold
 * is one SQLite transaction.
 */
export class HistoryRepo {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly recent: RecentAuthors,
  ) {
    this.s = {
      last: db.prepare<[string], RawRevision>(`SELECT ${REVISION_COLUMNS} FROM history_revisions WHERE doc_id = ? ORDER BY rev DESC LIMIT 1`),
      all: db.prepare<[string], RawRevision>(`SELECT ${REVISION_COLUMNS} FROM history_revisions WHERE doc_id = ? ORDER BY rev`),
      data: db.prepare<[string, number], { data: Buffer }>('SELECT data FROM history_revisions WHERE doc_id = ? AND rev = ?'),
      range: db.prepare<[string, number, number], { rev: number; data: Buffer }>('SELECT rev, data FROM history_revisions WHERE doc_id = ? AND rev > ? AND rev <= ? ORDER BY rev'),
      insert: db.prepare(
        `INSERT INTO history_revisions (doc_id, rev, first_seq, last_seq, started_at, ended_at, authors, closed, base, data)
         VALUES (@docId, @rev, @firstSeq, @lastSeq, @startedAt, @endedAt, @authors, @closed, @base, @data)`,
      ),
      extend: db.prepare('UPDATE history_revisions SET last_seq = @lastSeq, ended_at = @endedAt, authors = @authors, data = @data WHERE doc_id = @docId AND rev = @rev'),
      stats: db.prepare<[string, number], { n: number; bytes: number | null }>('SELECT count(*) AS n, sum(length(data)) AS bytes FROM history_revisions WHERE doc_id = ? AND rev > ?'),
      checkpointAt: db.prepare<[string, number], { rev: number; data: Buffer }>('SELECT rev, data FROM history_checkpoints WHERE doc_id = ? AND rev <= ? ORDER BY rev DESC LIMIT 1'),
      lastCheckpoint: db.prepare<[string], { rev: number; bytes: number }>('SELECT rev, length(data) AS bytes FROM history_checkpoints WHERE doc_id = ? ORDER BY rev DESC LIMIT 1'),
      insertCheckpoint: db.prepare<[string, number, Uint8Array, number]>('INSERT OR REPLACE INTO history_checkpoints (doc_id, rev, data, created_at) VALUES (?, ?, ?, ?)'),
      updates: db.prepare<[string, number, number], { seq: number; created_at: number; data: Buffer }>(
        'SELECT seq, created_at, data FROM doc_updates WHERE doc_id = ? AND seq > ? AND seq <= ? ORDER BY seq',
      ),
      snapshotBefore: db.prepare<[string, number], { upto_seq: number; data: Buffer; created_at: number }>(
        'SELECT upto_seq, data, created_at FROM doc_snapshots WHERE doc_id = ? AND upto_seq < ? ORDER BY upto_seq DESC, id DESC LIMIT 1',
      ),
      versions: db.prepare<[string], { rev: number; name: string; created_at: string }>('SELECT rev, name, created_at FROM history_versions WHERE doc_id = ? ORDER BY rev'),
      nameVersion: db.prepare<[string, number, string, string]>(
        `INSERT INTO history_versions (doc_id, rev, name, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(doc_id, rev) DO UPDATE SET name = excluded.name, created_at = excluded.created_at`,
      ),
    };
  }

  /** Runs `fn` in one transaction (a savepoint when one is already open, as in a compaction). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  lastRevision(docId: string): RevisionRow | undefined {
    const r = this.s.last.get(docId);
    return r ? toRow(r) : undefined;
  }

  revisions(docId: string): RevisionRow[] {
    return this.s.all.all(docId).map(toRow);
  }

  revisionData(docId: string, rev: number): Uint8Array | undefined {
    const r = this.s.data.get(docId, rev);
    return r ? bytes(r.data) : undefined;
  }

  /** Data of the revisions after `afterRev` up to `uptoRev`, oldest first. */
  revisionDataRange(docId: string, afterRev: number, uptoRev: number): { rev: number; data: Uint8Array }[] {
    return this.s.range.all(docId, afterRev, uptoRev).map((r) => ({ rev: r.rev, data: bytes(r.data) }));
  }

  insertRevision(docId: string, row: RevisionRow, data: Uint8Array): void {
    this.s.insert.run({ docId, ...row, authors: JSON.stringify(row.authors), closed: row.closed ? 1 : 0, base: row.base ? 1 : 0, data });
  }

  extendRevision(docId: string, row: RevisionRow, data: Uint8Array): void {
    this.s.extend.run({ docId, rev: row.rev, lastSeq: row.lastSeq, endedAt: row.endedAt, authors: JSON.stringify(row.authors), data });
  }

  /** How many revisions, and how many bytes of them, come after `afterRev`. */
  statsAfter(docId: string, afterRev: number): { count: number; bytes: number } {
    const r = this.s.stats.get(docId, afterRev);
    return { count: r?.n ?? 0, bytes: r?.bytes ?? 0 };
  }

  /** The newest checkpoint at or before `rev`. */
  checkpointAt(docId: string, rev: number): CheckpointRow | undefined {
    const r = this.s.checkpointAt.get(docId, rev);
    return r ? { rev: r.rev, data: bytes(r.data) } : undefined;
  }

  lastCheckpoint(docId: string): { rev: number; bytes: number } | undefined {
    return this.s.lastCheckpoint.get(docId);
  }

  insertCheckpoint(docId: string, rev: number, data: Uint8Array, at: number): void {
    this.s.insertCheckpoint.run(docId, rev, data, at);
  }

  /** Stored changes after `afterSeq` up to `uptoSeq` (not folded yet), oldest first. */
  updates(docId: string, afterSeq: number, uptoSeq = Number.MAX_SAFE_INTEGER): TailRow[] {
    return this.s.updates.all(docId, afterSeq, uptoSeq).map((r) => ({ seq: r.seq, at: r.created_at, authors: this.recent.get(docId, r.seq) ?? null, data: bytes(r.data) }));
  }

  /** The snapshot the document had before `seq` (where history starts for notes older than it). */
  snapshotBefore(docId: string, seq: number): { uptoSeq: number; data: Uint8Array; at: number } | undefined {
    const r = this.s.snapshotBefore.get(docId, seq);
    return r ? { uptoSeq: r.upto_seq, data: bytes(r.data), at: r.created_at } : undefined;
  }

  versions(docId: string): { rev: number; name: string; at: string }[] {
    return this.s.versions.all(docId).map((r) => ({ rev: r.rev, name: r.name, at: r.created_at }));
  }

  nameVersion(docId: string, rev: number, name: string, at: string): void {
    this.s.nameVersion.run(docId, rev, name, at);
  }
}
