import * as Y from 'yjs';
import type { AuthorKey } from './authorKeys.js';
import type { Binding } from './authorRepo.js';
import { validateUpdateV1 } from '../collab/updateValidation.js';
import { mergeReadable } from './compactUpdate.js';
import type { HistoryRepo, RevisionRow, TailRow } from './historyRepo.js';
import { groupBatches, type OpenRevision, type StoredBatch } from './revisionGrouping.js';

export interface CheckpointPolicy {
  /** No checkpoint before the revisions since the last one hold this many bytes… */
  minBytes: number;
  /** …and half the last checkpoint's size (so checkpoints add up to about twice the history, not once per N revisions)… */
  growth: number;
  /** …unless this many revisions piled up since (Etherpad keeps one per 100; revisions here are bigger). */
  maxRevisions: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { minBytes: 16 * 1024, growth: 0.5, maxRevisions: 1000 };

export interface FoldDeps {
  repo: HistoryRepo;
  /** Client id bindings of a session (author_clients). */
  bindings(docId: string): ReadonlyMap<number, Binding>;
  pauseMs: number;
  policy?: CheckpointPolicy;
  now?: () => number;
}

/** The authors of a stored change nobody recorded (the template, changes from before history): its structs' client ids. */
export function authorsFromStructs(update: Uint8Array, bindings: ReadonlyMap<number, Binding>): AuthorKey[] {
  if (!readable(update)) return [];
  const { from, to } = Y.parseUpdateMeta(update);
  const out: AuthorKey[] = [];
  for (const [client, clock] of to) {
    if (clock <= (from.get(client) ?? 0)) continue;
    const key = bindings.get(client)?.key;
    if (key && !out.includes(key)) out.push(key);
  }
  return out;
}

/** A tail row as a batch for grouping. */
export function batchOf(row: TailRow, bindings: ReadonlyMap<number, Binding>): StoredBatch {
  return { seq: row.seq, at: row.at, authors: row.authors ?? authorsFromStructs(row.data, bindings) };
}

/** A stored part Yjs can read (damaged ones are left out of history, as loading leaves them out of the notes). */
export const readable = (u: Uint8Array): boolean => validateUpdateV1(u) === null;

export const openOf = (r: RevisionRow): OpenRevision => ({ rev: r.rev, authors: r.authors, startedAt: r.startedAt, endedAt: r.endedAt, closed: r.closed || r.base });

/** The snapshot a document had before history started (revision 1 of notes older than history). */
export interface HistoryBase {
  uptoSeq: number;
  data: Uint8Array;
  at: number;
}

/** What a fold reads before it writes (the same on every store). */
export interface FoldInput {
  last: RevisionRow | undefined;
  /** The data of `last` when it may still grow (not closed). */
  lastData: Uint8Array | undefined;
  rows: TailRow[];
  /** Only read when there is no revision yet. */
  base: HistoryBase | undefined;
  bindings: ReadonlyMap<number, Binding>;
}

/** What a fold writes, in order: revisions (new or grown), and revision 1's checkpoint for a base. */
export interface FoldPlan {
  writes: { op: 'insert' | 'extend'; row: RevisionRow; data: Uint8Array }[];
  baseCheckpoint: Uint8Array | null;
}

/**
 * The revisions a fold writes, computed from what it read: consecutive
 * changes grouped by author and pauses, each revision one compact Yjs update.
 * Pure, so every history store folds exactly the same way.
 */
export function planFold(input: FoldInput, pauseMs: number): FoldPlan {
  const plan: FoldPlan = { writes: [], baseCheckpoint: null };
  const { rows } = input;
  if (rows.length === 0) return plan;
  let last = input.last;
  let lastData = input.lastData;
  if (!last && input.base) {
    last = { rev: 1, firstSeq: 0, lastSeq: input.base.uptoSeq, startedAt: input.base.at, endedAt: input.base.at, authors: [], closed: true, base: true };
    lastData = input.base.data;
    plan.writes.push({ op: 'insert', row: last, data: input.base.data });
    plan.baseCheckpoint = input.base.data;
  }
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  for (const g of groupBatches(last ? openOf(last) : null, rows.map((r) => batchOf(r, input.bindings)), pauseMs)) {
    const parts = g.seqs.map((s) => bySeq.get(s)!.data);
    const row: RevisionRow = {
      rev: g.rev,
      firstSeq: g.extendsOpen && last ? last.firstSeq : g.seqs[0]!,
      lastSeq: g.seqs[g.seqs.length - 1]!,
      startedAt: g.startedAt,
      endedAt: g.endedAt,
      authors: [...g.authors],
      closed: g.closed,
      base: false,
    };
    if (g.extendsOpen) plan.writes.push({ op: 'extend', row, data: mergeReadable(lastData ? [lastData, ...parts] : parts, readable) });
    else plan.writes.push({ op: 'insert', row, data: mergeReadable(parts, readable) });
  }
  return plan;
}

/**
 * The revision a new checkpoint should cover, or null when none is due:
 * only revisions that no longer change (the newest may still grow), once
 * enough bytes or revisions piled up since the last checkpoint.
 */
export function checkpointTarget(
  newestRev: number,
  last: { rev: number; bytes: number } | undefined,
  since: { count: number; bytes: number },
  policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
): number | null {
  const target = newestRev - 1;
  if (target <= (last?.rev ?? 0)) return null;
  const due = since.bytes >= Math.max(policy.minBytes, (last?.bytes ?? 0) * policy.growth) || since.count > policy.maxRevisions;
  return due ? target : null;
}

/**
 * Folds the stored changes a compaction is about to drop (everything of
 * `docId` up to `uptoSeq`) into revisions (planFold). Runs inside the
 * compaction's transaction, so the changes leave doc_updates only as history.
 * The newest revision may still grow: the next fold continues it.
 *
 * For notes older than history, the snapshot they had when history started
 * becomes revision 1 (and its first checkpoint). Every so often a checkpoint
 * (all changes up to a revision, deleted content included) is stored, so any
 * revision is rebuilt from the nearest checkpoint and a bounded tail.
 */
export function foldHistory(deps: FoldDeps, docId: string, uptoSeq: number): void {
  const { repo } = deps;
  const now = deps.now ?? Date.now;
  repo.transaction(() => {
    const last = repo.lastRevision(docId);
    const rows = repo.updates(docId, last?.lastSeq ?? 0, uptoSeq);
    if (rows.length === 0) return;
    const plan = planFold(
      {
        last,
        lastData: last && !openOf(last).closed ? repo.revisionData(docId, last.rev) : undefined,
        rows,
        base: last ? undefined : repo.snapshotBefore(docId, rows[0]!.seq),
        bindings: deps.bindings(docId),
      },
      deps.pauseMs,
    );
    for (const w of plan.writes) {
      if (w.op === 'insert') repo.insertRevision(docId, w.row, w.data);
      else repo.extendRevision(docId, w.row, w.data);
    }
    if (plan.baseCheckpoint) repo.insertCheckpoint(docId, 1, plan.baseCheckpoint, now());
    maybeCheckpoint(deps, docId, now());
  });
}

function maybeCheckpoint(deps: FoldDeps, docId: string, at: number): void {
  const { repo } = deps;
  const last = repo.lastCheckpoint(docId);
  const from = last?.rev ?? 0;
  const target = checkpointTarget(repo.lastRevision(docId)?.rev ?? 0, last, repo.statsAfter(docId, from), deps.policy);
  if (target === null) return;
  const base = last ? repo.checkpointAt(docId, last.rev)?.data : undefined;
  const parts = repo.revisionDataRange(docId, from, target).map((r) => r.data);
  repo.insertCheckpoint(docId, target, mergeReadable(base ? [base, ...parts] : parts, readable), at);
}
