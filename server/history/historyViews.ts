import type { HistoryStore } from './historyStore.js';
import { HistoryView } from './historyView.js';
import { revisionParts, type Timeline } from './timeline.js';

export interface HistoryViewsOptions {
  /** Views kept in memory at once (each holds one document's history from a checkpoint on). */
  max: number;
  /** A view unused this long is dropped. */
  idleMs: number;
  now?: () => number;
}

/**
 * The in-memory views the timeslider reads from, a few at a time: per
 * document, one per checkpoint it was opened at. A view is built once (the
 * checkpoint, then each revision after it) and kept current by applying only
 * what is new, so stepping through versions never rebuilds anything.
 */
export class HistoryViews {
  private readonly views = new Map<string, HistoryView[]>();
  private readonly busy = new Map<string, Promise<unknown>>();
  private readonly now: () => number;

  constructor(
    private readonly store: HistoryStore,
    private readonly opts: HistoryViewsOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** A view of `docId` holding revision `rev`, brought up to the timeline's newest revision. */
  viewFor(docId: string, timeline: Timeline, rev: number): Promise<HistoryView> {
    // One at a time per document: a view is caught up by one reader, never by two interleaved.
    const job = (this.busy.get(docId) ?? Promise.resolve()).then(() => this.viewForNow(docId, timeline, rev));
    const settled = job.then(
      () => undefined,
      () => undefined,
    );
    this.busy.set(docId, settled);
    void settled.then(() => {
      if (this.busy.get(docId) === settled) this.busy.delete(docId);
    });
    return job;
  }

  private async viewForNow(docId: string, timeline: Timeline, rev: number): Promise<HistoryView> {
    const list = this.views.get(docId) ?? [];
    let view = list.filter((v) => v.baseRev <= rev).sort((a, b) => b.baseRev - a.baseRev)[0];
    const checkpoint = await this.checkpointFor(docId, timeline, rev);
    // A checkpoint nearer than the view's base: a fresh view from it is cheaper than the one in memory.
    if (view && checkpoint && checkpoint.rev > view.baseRev && checkpoint.rev - view.baseRev > 50) view = undefined;
    if (!view) {
      view = new HistoryView(checkpoint?.rev ?? 0, checkpoint?.data ?? null);
      list.push(view);
      this.views.set(docId, list);
    }
    await this.catchUp(docId, view, timeline);
    view.usedAt = this.now();
    this.evict();
    return view;
  }

  /** Forgets a document's views (its history was rebuilt, or the session is gone). */
  drop(docId: string): void {
    for (const v of this.views.get(docId) ?? []) v.destroy();
    this.views.delete(docId);
  }

  clear(): void {
    for (const id of [...this.views.keys()]) this.drop(id);
  }

  private async checkpointFor(docId: string, timeline: Timeline, rev: number): Promise<{ rev: number; data: Uint8Array } | undefined> {
    const stored = await this.store.checkpointAt(docId, rev);
    if (stored) return stored;
    return timeline.pendingBase && rev >= 1 ? { rev: 1, data: timeline.pendingBase } : undefined;
  }

  private async catchUp(docId: string, view: HistoryView, timeline: Timeline): Promise<void> {
    for (const r of timeline.revisions) {
      if (r.rev < view.headRev) continue;
      if (r.rev === view.baseRev) continue;
      // The newest revision applied may have grown since; applying it again adds only what is new.
      if (r.rev === view.headRev && view.appliedSeq(r.rev) >= r.lastSeq) continue;
      view.apply(r.rev, await revisionParts(this.store, docId, timeline, r), r.lastSeq);
    }
  }

  private evict(): void {
    const now = this.now();
    const all = [...this.views.entries()].flatMap(([docId, vs]) => vs.map((v) => ({ docId, v })));
    const keep = all.filter(({ v }) => now - v.usedAt < this.opts.idleMs).sort((a, b) => b.v.usedAt - a.v.usedAt);
    const drop = new Set([...all.filter((x) => !keep.includes(x)), ...keep.slice(this.opts.max)].map((x) => x.v));
    if (drop.size === 0) return;
    for (const [docId, vs] of this.views) {
      const left = vs.filter((v) => !drop.has(v));
      for (const v of vs) if (drop.has(v)) v.destroy();
      if (left.length) this.views.set(docId, left);
      else this.views.delete(docId);
    }
  }
}
