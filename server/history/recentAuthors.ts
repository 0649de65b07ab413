import type Database from 'better-sqlite3';
import type { AuthorKey } from './authorKeys.js';

/**
 * Who is in each stored change not folded into history yet, by the change's
 * sequence number. Kept in memory, and written to `history_batch_authors`
 * only when a document's set of authors changes from its previous commit:
 * a revision starts at such a change, so after a crash the unfolded changes
 * regroup exactly as before, while one person typing costs no write at all.
 * A stored row holds for every later change until the next row.
 */
export class RecentAuthors {
  private readonly byDoc = new Map<string, Map<number, AuthorKey[]>>();
  private readonly lastWritten = new Map<string, string>();
  /** The last authors list sorted and serialised: a batch's list is asked for its row when taken, then recorded when committed. */
  private last: { authors: readonly AuthorKey[]; sorted: AuthorKey[]; json: string } | null = null;
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      last: db.prepare<[string], { authors: string }>('SELECT authors FROM history_batch_authors WHERE doc_id = ? ORDER BY seq DESC LIMIT 1'),
      insert: db.prepare<[string, number, string]>('INSERT OR REPLACE INTO history_batch_authors (doc_id, seq, authors) VALUES (?, ?, ?)'),
      upTo: db.prepare<[string, number], { seq: number; authors: string }>('SELECT seq, authors FROM history_batch_authors WHERE doc_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1'),
      prune: db.prepare<[string, string, number]>('DELETE FROM history_batch_authors WHERE doc_id = ? AND seq < (SELECT max(seq) FROM history_batch_authors WHERE doc_id = ? AND seq <= ?)'),
    };
  }

  /** The row to store with a batch of these authors (in its own transaction), or undefined when the document's previous row says the same. */
  rowFor(docId: string, authors: readonly AuthorKey[]): string | undefined {
    const { json } = this.serialised(authors);
    return json === this.lastRow(docId) ? undefined : json;
  }

  /**
   * A committed batch's authors (in memory). `stored`: its row went in with
   * the batch (rowFor); otherwise it is written now, when the authors differ
   * from the document's previous batch.
   */
  record(docId: string, seq: number, authors: AuthorKey[], stored = false): void {
    let m = this.byDoc.get(docId);
    if (!m) this.byDoc.set(docId, (m = new Map()));
    const { sorted, json } = this.serialised(authors);
    m.set(seq, sorted);
    if (!stored) {
      if (json === this.lastRow(docId)) return;
      this.s.insert.run(docId, seq, json);
    }
    this.lastWritten.set(docId, json);
  }

  private serialised(authors: readonly AuthorKey[]): { sorted: AuthorKey[]; json: string } {
    if (this.last?.authors !== authors) {
      const sorted = [...authors].sort();
      this.last = { authors, sorted, json: JSON.stringify(sorted) };
    }
    return this.last;
  }

  private lastRow(docId: string): string | null {
    return this.lastWritten.get(docId) ?? this.s.last.get(docId)?.authors ?? null;
  }

  /** The authors of a stored change, or undefined when nobody recorded any (the template, changes from before history). */
  get(docId: string, seq: number): AuthorKey[] | undefined {
    const mem = this.byDoc.get(docId)?.get(seq);
    if (mem) return mem;
    const row = this.s.upTo.get(docId, seq);
    if (!row) return undefined;
    try {
      const v: unknown = JSON.parse(row.authors);
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
    } catch {
      return undefined;
    }
  }

  /** The changes up to `uptoSeq` are folded: their authors are stored with their revisions now (the last row still covers what follows). */
  folded(docId: string, uptoSeq: number): void {
    this.s.prune.run(docId, docId, uptoSeq);
    const m = this.byDoc.get(docId);
    if (!m) return;
    for (const seq of m.keys()) if (seq <= uptoSeq) m.delete(seq);
    if (m.size === 0) this.byDoc.delete(docId);
  }
}
