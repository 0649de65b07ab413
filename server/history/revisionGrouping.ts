import { isSolitary, TAGGER_KEY, type AuthorKey } from './authorKeys.js';

/** One stored change (a committed batch): its sequence number, when it was stored, who is in it. */
export interface StoredBatch {
  seq: number;
  at: number;
  authors: readonly AuthorKey[];
}

/** The newest revision already formed, which the next batches may continue. */
export interface OpenRevision {
  rev: number;
  authors: readonly AuthorKey[];
  startedAt: number;
  endedAt: number;
  /** Nothing may join it (a restore, an import, the template, the base). */
  closed: boolean;
}

export interface RevisionGroup extends OpenRevision {
  /** True when this continues `open` (same rev number). */
  extendsOpen: boolean;
  /** The batches it takes, oldest first. */
  seqs: number[];
}

const significant = (keys: readonly AuthorKey[]): Set<AuthorKey> => new Set(keys.filter((k) => k !== TAGGER_KEY));

function sameSet(a: Set<AuthorKey>, b: Set<AuthorKey>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * Groups stored changes into revisions, continuing `open`: a change joins the
 * current revision when it comes less than `pauseMs` after its last change
 * and has the same authors. The tagger's writes (and changes nobody can be
 * named for) join whatever revision is current; a restore, an import or the
 * template is always a revision of its own. Pure and deterministic: the
 * history list groups the not-yet-folded tail with it exactly as the fold
 * will, so revision numbers never move.
 */
export function groupBatches(open: OpenRevision | null, batches: readonly StoredBatch[], pauseMs: number): RevisionGroup[] {
  const out: RevisionGroup[] = [];
  let cur: RevisionGroup | null = open ? { ...open, authors: [...open.authors], extendsOpen: true, seqs: [] } : null;
  let curSig = cur ? significant(cur.authors) : new Set<AuthorKey>();
  const flush = () => {
    if (cur && (cur.seqs.length > 0 || !cur.extendsOpen)) out.push(cur);
  };
  for (const b of batches) {
    const sig = significant(b.authors);
    const solitary = b.authors.some(isSolitary);
    const joins = cur !== null && !cur.closed && !solitary && b.at - cur.endedAt < pauseMs && (sig.size === 0 || curSig.size === 0 || sameSet(sig, curSig));
    if (joins && cur) {
      cur.seqs.push(b.seq);
      cur.endedAt = Math.max(cur.endedAt, b.at);
      for (const k of b.authors) if (!cur.authors.includes(k)) cur.authors = [...cur.authors, k];
      if (curSig.size === 0) curSig = sig;
      continue;
    }
    flush();
    const rev = (cur?.rev ?? open?.rev ?? 0) + 1;
    cur = { rev, authors: [...new Set(b.authors)], startedAt: b.at, endedAt: b.at, closed: solitary, extendsOpen: false, seqs: [b.seq] };
    curSig = sig;
  }
  flush();
  return out;
}
