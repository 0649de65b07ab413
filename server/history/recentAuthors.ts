import type { AuthorKey } from './authorKeys.js';

/**
 * Who is in each stored change not folded into history yet, by the change's
 * sequence number, held in memory: writing it per commit would cost one more
 * fsync per keystroke. After a crash the few unfolded changes fall back to
 * their structs' client ids (who inserted is still known; who deleted is not).
 */
export class RecentAuthors {
  private readonly byDoc = new Map<string, Map<number, AuthorKey[]>>();

  record(docId: string, seq: number, authors: AuthorKey[]): void {
    let m = this.byDoc.get(docId);
    if (!m) this.byDoc.set(docId, (m = new Map()));
    m.set(seq, authors);
  }

  get(docId: string, seq: number): AuthorKey[] | undefined {
    return this.byDoc.get(docId)?.get(seq);
  }

  /** The changes up to `uptoSeq` are folded: their authors are stored with their revisions now. */
  folded(docId: string, uptoSeq: number): void {
    const m = this.byDoc.get(docId);
    if (!m) return;
    for (const seq of m.keys()) if (seq <= uptoSeq) m.delete(seq);
    if (m.size === 0) this.byDoc.delete(docId);
  }

  forget(docId: string): void {
    this.byDoc.delete(docId);
  }
}
