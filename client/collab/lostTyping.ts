import * as Y from 'yjs';

/** Text to put back, at an index of the block's current text. */
export interface LostRun {
  index: number;
  text: string;
}

/** Runs of at least this many aligned characters next to a lost run say where it belongs. */
const CONTEXT = 3;
/** Above this many cells the alignment is not attempted (a paragraph of tens of thousands of characters). */
const MAX_CELLS = 1_000_000;
/** Stands for an embed (an inline node) in the text, which counts one in a Y.Text index. */
const EMBED = '\uFFFC';

/**
 * For each character of `a`, its index in `b` under a longest common
 * subsequence, or -1. Among equally long ones it takes the one that matches
 * most characters not flagged `weak`: our own recent typing is the part that
 * may be missing, so "line more" against "line" matches the e of "line".
 */
export function align(a: string, b: string, weak: readonly boolean[] = []): Int32Array | null {
  const out = new Int32Array(a.length).fill(-1);
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return out;
  if (n * m > MAX_CELLS) return null;
  // score[i][j]: the best match of a from i and b from j, as matches × (n + 1) + strong matches.
  const big = n + 1;
  const width = m + 1;
  const score = new Float64Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const skip = Math.max(score[(i + 1) * width + j]!, score[i * width + j + 1]!);
      score[i * width + j] = a[i] === b[j] ? Math.max(skip, score[(i + 1) * width + j + 1]! + big + (weak[i] ? 0 : 1)) : skip;
    }
  }
  for (let i = 0, j = 0; i < n && j < m; ) {
    const here = score[i * width + j]!;
    if (a[i] === b[j] && here === score[(i + 1) * width + j + 1]! + big + (weak[i] ? 0 : 1)) out[i++] = j++;
    else if (here === score[(i + 1) * width + j]!) i++;
    else j++;
  }
  return out;
}

/** Whether `old[from..to)` lands on consecutive characters of the other text. */
function consecutive(at: Int32Array, from: number, to: number): boolean {
  if (from < 0 || to > at.length || from >= to) return false;
  for (let i = from; i < to; i++) if (at[i]! < 0 || (i > from && at[i] !== at[i - 1]! + 1)) return false;
  return true;
}

/**
 * Where the characters of `old` that are missing from `next` and flagged
 * `mine` belong in `next`, the same block as someone else rewrote it without
 * them. A run goes after the text it followed, or else before the text it
 * preceded, when the CONTEXT characters there (all of them, near the block's
 * edge) line up unchanged; a run with no such anchor is left out. `aligned`
 * counts the characters of `old` found in `next`; `othersMissing` the missing
 * ones not flagged (what the rewrite removed, such as an input rule's `- `).
 */
export function placeLostRuns(old: string, mine: readonly boolean[], next: string): { runs: LostRun[]; aligned: number; othersMissing: number } {
  const at = align(old, next, mine);
  if (!at) return { runs: [], aligned: 0, othersMissing: old.length };
  const runs: LostRun[] = [];
  let aligned = 0;
  let othersMissing = 0;
  for (let i = 0; i < old.length; ) {
    if (at[i]! >= 0) {
      aligned++;
      i++;
      continue;
    }
    if (!mine[i]) {
      othersMissing++;
      i++;
      continue;
    }
    const start = i;
    while (i < old.length && at[i]! < 0 && mine[i]) i++;
    const left = Math.min(CONTEXT, start);
    const right = Math.min(CONTEXT, old.length - i);
    const text = old.slice(start, i);
    if (left > 0 && consecutive(at, start - left, start)) runs.push({ index: at[start - 1]! + 1, text });
    else if (right > 0 && consecutive(at, i, i + right)) runs.push({ index: at[i]!, text });
  }
  return { runs, aligned, othersMissing };
}

/** A block's text as a Y.Text index counts it, with each character's item; `include` picks the items. */
function textOf(text: Y.XmlText, include: (item: Y.Item) => boolean): { str: string; items: { item: Y.Item; offset: number }[] } {
  let str = '';
  const items: { item: Y.Item; offset: number }[] = [];
  for (let item = text._start; item !== null; item = item.right) {
    if (!include(item)) continue;
    const content = item.content;
    if (content instanceof Y.ContentString) {
      for (let i = 0; i < content.str.length; i++) items.push({ item, offset: i });
      str += content.str;
    } else if (content instanceof Y.ContentEmbed || content instanceof Y.ContentType) {
      items.push({ item, offset: 0 });
      str += EMBED;
    }
  }
  return { str, items };
}

function* textsIn(type: Y.XmlFragment | Y.XmlElement): Generator<Y.XmlText> {
  for (const child of type.toArray()) {
    if (child instanceof Y.XmlText) yield child;
    else if (child instanceof Y.XmlElement) yield* textsIn(child);
  }
}

/** Lost typing to put back into `target`, valid while its text is still `expected`. */
export interface Rescue {
  target: Y.XmlText;
  expected: string;
  runs: LostRun[];
}

/** The block's current text, as `expected` was taken. */
export const currentText = (target: Y.XmlText): string => textOf(target, (item) => !item.deleted).str;

/** A block missing this many of the old block's characters (not ours) is still its copy: an input rule's `- `, `## `, `[ ] `. */
const MARKER = 4;

/**
 * Finds what this client typed that a remote change threw away unseen, and
 * where it belongs now.
 *
 * Yjs cannot move a node. When someone turns a paragraph into a list item or
 * a heading (`- `, `1. `, `## ` at its start) or merges it into the line
 * above, y-tiptap deletes the block and inserts a copy of its text as that
 * person saw it. Characters another note-taker typed into the old block in
 * the meantime (within a round trip; or a whole offline stretch) were inside
 * the deleted block, so they went with it, on every client. Only their
 * author's client can tell: its own `recent` characters, deleted in this
 * transaction as part of a deleted block, missing from a block that is
 * otherwise that block's copy. (The server's update names every deleted
 * character, seen or not, so its delete set cannot tell them apart.)
 */
export function findLostTyping(doc: Y.Doc, fragment: Y.XmlFragment, transaction: Y.Transaction, recent: (clock: number) => boolean): Rescue[] {
  const recentIn = new Map<Y.XmlText, Set<number>>();
  if (!transaction.deleteSet.clients.get(doc.clientID)?.length) return [];
  const deletedHere = (item: Y.Item | null) => item !== null && Y.isDeleted(transaction.deleteSet, item.id);
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    if (struct.id.client !== doc.clientID || !(struct instanceof Y.Item) || !(struct.parent instanceof Y.XmlText)) return;
    // Only with the whole block: text someone deleted inside a block that stays was deleted on purpose.
    if (!(struct.content instanceof Y.ContentString) || !deletedHere(struct.parent._item)) return;
    for (let i = 0; i < struct.length; i++) {
      if (!recent(struct.id.clock + i)) continue;
      let set = recentIn.get(struct.parent);
      if (!set) recentIn.set(struct.parent, (set = new Set()));
      set.add(struct.id.clock + i);
    }
  });
  if (recentIn.size === 0) return [];
  const aliveBefore = (item: Y.Item) => !item.deleted || deletedHere(item);
  const created = (t: Y.XmlText) => t._item !== null && t._item.id.clock >= (transaction.beforeState.get(t._item.id.client) ?? 0);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Transaction.changed is keyed by the base type
  const changed = (t: Y.XmlText) => transaction.changed.has(t as unknown as Y.AbstractType<Y.YEvent<any>>);
  const candidates = [...textsIn(fragment)].filter((t) => created(t) || changed(t)).map((t) => ({ t, now: textOf(t, (item) => !item.deleted).str }));
  const out: Rescue[] = [];
  for (const [oldText, clocks] of recentIn) {
    const before = textOf(oldText, aliveBefore);
    const mine = before.items.map(({ item, offset }) => item.id.client === doc.clientID && item.content instanceof Y.ContentString && clocks.has(item.id.clock + offset));
    let best: Rescue | null = null;
    let bestAligned = 0;
    for (const { t, now } of candidates) {
      const { runs, aligned, othersMissing } = placeLostRuns(before.str, mine, now);
      if (runs.length > 0 && othersMissing <= MARKER && aligned > bestAligned) {
        best = { target: t, expected: now, runs };
        bestAligned = aligned;
      }
    }
    if (best) out.push(best);
  }
  return out;
}

/** Puts rescued text back, as this client's own edit, unless the block changed since. */
export function applyRescue(doc: Y.Doc, rescues: readonly Rescue[], origin: unknown): number {
  let restored = 0;
  doc.transact(() => {
    for (const { target, expected, runs } of rescues) {
      if (target._item?.deleted || currentText(target) !== expected) continue;
      // From the end, so each index still means what it meant in `expected`.
      for (const run of [...runs].reverse()) {
        target.insert(run.index, run.text);
        restored += run.text.length;
      }
    }
  }, origin);
  return restored;
}

/** How long this client's typing counts as possibly unseen by others: several round trips on bad conference Wi-Fi. */
export const UNSEEN_FOR_MS = 10_000;

/**
 * This client's recent typing, by Yjs clock: what others may not have seen
 * yet. Typing done offline counts as typed when the connection opens again.
 */
export class RecentTyping {
  private ranges: { from: number; to: number; at: number }[] = [];
  constructor(private readonly now: () => number = Date.now) {}

  add(from: number, to: number): void {
    if (to > from) this.ranges.push({ from, to, at: this.now() });
  }

  /** A connection opened: nobody could have seen what was typed before it until it syncs. */
  connected(): void {
    const at = this.now();
    for (const r of this.ranges) r.at = at;
  }

  has(clock: number): boolean {
    const since = this.now() - UNSEEN_FOR_MS;
    return this.ranges.some((r) => r.at >= since && clock >= r.from && clock < r.to);
  }

  /** Drops what is too old to matter, unless the connection is down (it will count again when it syncs). */
  prune(online: boolean): void {
    if (!online) return;
    const since = this.now() - UNSEEN_FOR_MS;
    this.ranges = this.ranges.filter((r) => r.at >= since);
  }
}

/**
 * Watches `doc` for remote changes that dropped this client's typing and puts
 * it back (see findLostTyping). Returns the function that stops watching.
 */
export function keepLostTyping(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  opts: { recent: RecentTyping; online: () => boolean; apply: (rescues: readonly Rescue[]) => void },
): () => void {
  const onAfter = (transaction: Y.Transaction) => {
    if (transaction.local) {
      opts.recent.add(transaction.beforeState.get(doc.clientID) ?? 0, transaction.afterState.get(doc.clientID) ?? 0);
      opts.recent.prune(opts.online());
      return;
    }
    const rescues = findLostTyping(doc, fragment, transaction, (clock) => opts.recent.has(clock));
    if (rescues.length === 0) return;
    // After this batch of transactions: the editor has shown the remote change and reads the caret afresh.
    queueMicrotask(() => opts.apply(rescues));
  };
  doc.on('afterTransaction', onAfter);
  return () => doc.off('afterTransaction', onAfter);
}
