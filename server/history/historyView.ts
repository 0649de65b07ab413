import * as Y from 'yjs';

type DeleteSet = Y.Snapshot['ds'];

interface RevisionState {
  /** State vector right after the revision. */
  sv: Map<number, number>;
  /** What the revision deleted (in each application: a growing revision is applied again as it grows). */
  deleted: DeleteSet[];
  /** The newest stored change applied. */
  lastSeq: number;
}

/**
 * A document's history from one checkpoint on, held in memory for reading:
 * one Y.Doc without garbage collection holding every change from the
 * checkpoint to the newest revision, and for each revision what it inserted
 * (its state vector) and deleted. Any revision in range is then a Yjs
 * snapshot of that one document, so moving the timeslider reads, it never
 * rebuilds; two revisions compare in one walk.
 */
export class HistoryView {
  readonly doc = new Y.Doc({ gc: false });
  private readonly baseSv: Map<number, number>;
  private readonly baseDs: DeleteSet;
  private readonly revs = new Map<number, RevisionState>();
  private head: number;
  private readonly snapshots = new Map<number, Y.Snapshot>();
  /** When this view was last used (the cache drops idle ones). */
  usedAt = Date.now();

  /** `base`: the checkpoint's state (null: the empty document before revision 1). */
  constructor(
    readonly baseRev: number,
    base: Uint8Array | null,
  ) {
    if (base) Y.applyUpdate(this.doc, base);
    const snap = Y.snapshot(this.doc);
    this.baseSv = snap.sv;
    this.baseDs = snap.ds;
    this.head = baseRev;
  }

  get headRev(): number {
    return this.head;
  }

  /** The newest stored change applied for a revision (0 when it was not applied). */
  appliedSeq(rev: number): number {
    return this.revs.get(rev)?.lastSeq ?? 0;
  }

  /**
   * Applies (the rest of) a revision: the next one, or the newest one again
   * after it grew. Applying what was applied before changes nothing.
   */
  apply(rev: number, parts: readonly Uint8Array[], lastSeq: number): void {
    if (rev !== this.head && rev !== this.head + 1) throw new Error(`history view: revision ${rev} does not follow ${this.head}`);
    let tr: Y.Transaction | null = null;
    this.doc.transact((t) => {
      tr = t;
      for (const p of parts) Y.applyUpdate(this.doc, p);
    });
    const done = tr as unknown as Y.Transaction;
    const state: RevisionState = this.revs.get(rev) ?? { sv: new Map(), deleted: [], lastSeq: 0 };
    state.sv = new Map(done.afterState);
    if (done.deleteSet.clients.size > 0) state.deleted.push(done.deleteSet);
    state.lastSeq = lastSeq;
    this.revs.set(rev, state);
    this.head = rev;
    this.snapshots.delete(rev);
  }

  /** The document as it was right after `rev` (baseRev ≤ rev ≤ headRev), as a snapshot of this view's document. */
  snapshot(rev: number): Y.Snapshot {
    if (rev < this.baseRev || rev > this.head) throw new Error(`history view: revision ${rev} is outside ${this.baseRev}–${this.head}`);
    const cached = this.snapshots.get(rev);
    if (cached) return cached;
    const ds: DeleteSet[] = [this.baseDs];
    let sv = this.baseSv;
    for (let r = this.baseRev + 1; r <= rev; r++) {
      const s = this.revs.get(r);
      if (!s) continue;
      ds.push(...s.deleted);
      sv = s.sv;
    }
    const snap = Y.createSnapshot(Y.mergeDeleteSets(ds), sv);
    this.snapshots.set(rev, snap);
    // A handful is enough for stepping back and forth; the newest may still change.
    if (this.snapshots.size > 16) this.snapshots.delete(this.snapshots.keys().next().value!);
    return snap;
  }

  destroy(): void {
    this.doc.destroy();
  }
}
