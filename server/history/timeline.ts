import type { Binding } from './authorRepo.js';
import { batchOf, openOf, readable, type HistoryBase } from './foldHistory.js';
import type { HistoryRepo, RevisionRow, TailRow } from './historyRepo.js';
import { groupBatches } from './revisionGrouping.js';

/** A revision as readers see it: folded, still in the update log, or both (the newest may be growing). */
export interface TimelineRevision extends RevisionRow {
  /** The folded part is in history_revisions (or, for a base not folded yet, the snapshot). */
  folded: boolean;
  /** Stored changes of this revision still in doc_updates, oldest first. */
  tailSeqs: number[];
}

/** Every revision of a document, oldest first, and what is needed to rebuild the ones not folded yet. */
export interface Timeline {
  revisions: TimelineRevision[];
  tail: ReadonlyMap<number, TailRow>;
  /** The snapshot standing in for revision 1 until the first fold stores it (notes older than history). */
  pendingBase: Uint8Array | null;
  /** The newest stored change covered. */
  lastSeq: number;
}

/**
 * The history of a document as of now: folded revisions, then the stored
 * changes not folded yet, grouped exactly as the next fold will group them
 * (same function, same inputs), so revision numbers never move.
 */
export function readTimeline(repo: HistoryRepo, bindings: ReadonlyMap<number, Binding>, docId: string, pauseMs: number): Timeline {
  const folded = repo.revisions(docId);
  const rows = repo.updates(docId, folded.at(-1)?.lastSeq ?? 0);
  const base = folded.length === 0 ? repo.snapshotBefore(docId, rows[0]?.seq ?? Number.MAX_SAFE_INTEGER) : undefined;
  return buildTimeline({ folded, rows, base }, bindings, pauseMs);
}

/** What a timeline is built from: the folded revisions, the stored changes after them, and (before the first fold) the snapshot history starts from. */
export interface TimelineInput {
  folded: RevisionRow[];
  rows: TailRow[];
  base: HistoryBase | undefined;
}

/** The timeline from what a store read (pure, so every store groups the same way). */
export function buildTimeline(input: TimelineInput, bindings: ReadonlyMap<number, Binding>, pauseMs: number): Timeline {
  const revisions: TimelineRevision[] = input.folded.map((r) => ({ ...r, folded: true, tailSeqs: [] }));
  const { rows } = input;
  const tail = new Map(rows.map((r) => [r.seq, r]));
  let pendingBase: Uint8Array | null = null;
  if (revisions.length === 0 && input.base) {
    // Before the first fold, notes older than history start from their snapshot, as the fold will store it.
    const base = input.base;
    pendingBase = base.data;
    revisions.push({ rev: 1, firstSeq: 0, lastSeq: base.uptoSeq, startedAt: base.at, endedAt: base.at, authors: [], closed: true, base: true, folded: true, tailSeqs: [] });
  }
  const open = revisions.at(-1);
  for (const g of groupBatches(open ? openOf(open) : null, rows.map((r) => batchOf(r, bindings)), pauseMs)) {
    const row = { rev: g.rev, startedAt: g.startedAt, endedAt: g.endedAt, authors: [...g.authors], closed: g.closed, lastSeq: g.seqs[g.seqs.length - 1]! };
    if (g.extendsOpen && open) Object.assign(open, row, { tailSeqs: g.seqs });
    else revisions.push({ ...row, firstSeq: g.seqs[0]!, base: false, folded: false, tailSeqs: g.seqs });
  }
  return { revisions, tail, pendingBase, lastSeq: rows.at(-1)?.seq ?? revisions.at(-1)?.lastSeq ?? 0 };
}

/** The stored updates that make up a revision (apply them all to the state before it). */
export async function revisionParts(store: { revisionData(docId: string, rev: number): Promise<Uint8Array | undefined> }, docId: string, timeline: Timeline, rev: TimelineRevision): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  if (rev.folded) {
    const data = rev.base && timeline.pendingBase && rev.rev === 1 ? timeline.pendingBase : await store.revisionData(docId, rev.rev);
    if (data) parts.push(data);
  }
  for (const seq of rev.tailSeqs) {
    const row = timeline.tail.get(seq);
    if (row && readable(row.data)) parts.push(row.data);
  }
  return parts;
}
