import * as Y from 'yjs';
import { align, consecutive, looksLikeCopy } from '../lib/alignText.js';

/** Formatting as Yjs keeps it on text: y-tiptap's marks by name, with their attributes. */
export type TextFormat = Readonly<Record<string, unknown>>;

/** Text to put back, at an index of the block's current text, with the formatting it had. */
export interface LostRun {
  index: number;
  text: string;
  format: TextFormat;
}

/** This many aligned characters before a lost run say where it belongs. */
const CONTEXT = 3;
/** Stands for an embed (an inline node) in the text, which counts one in a Y.Text index. */
const EMBED = '\uFFFC';
const PLAIN: TextFormat = Object.freeze({});

/**
 * Where the characters of `old` that are missing from `next` and flagged
 * `mine` belong in `next`, the same block as someone else rewrote it without
 * them. A run goes after the text it followed, when the CONTEXT characters
 * before it (all of them, near the block's start) line up unchanged; a run
 * without them is left out: text deleted on purpose from a line's start
 * through the line break (the rest joining the line above) must stay deleted.
 * A run splits where its formatting changes (`formats`, per character).
 * `aligned` counts the characters of `old` found in `next`; `othersMissing`
 * the missing ones not flagged (what the rewrite removed, such as an input
 * rule's `- `); `copy` whether `next` holds `old` in stretches, as a copy
 * does, rather than sharing scattered letters with it.
 */
export function placeLostRuns(
  old: string,
  mine: readonly boolean[],
  next: string,
  formats: readonly TextFormat[] = [],
): { runs: LostRun[]; aligned: number; othersMissing: number; copy: boolean } {
  const at = align(old, next, mine);
  if (!at) return { runs: [], aligned: 0, othersMissing: old.length, copy: false };
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
    if (left === 0 || !consecutive(at, start - left, start)) continue;
    const index = at[start - 1]! + 1;
    // One run per formatting, in order, all at the same place.
    for (let j = start; j < i; ) {
      const format = formats[j] ?? PLAIN;
      const from = j;
      while (j < i && (formats[j] ?? PLAIN) === format) j++;
      runs.push({ index, text: old.slice(from, j), format });
    }
  }
  return { runs, aligned, othersMissing, copy: looksLikeCopy(at) };
}

/**
 * A block's text as a Y.Text index counts it, with each character's item and
 * formatting (one object per stretch of equal formatting); `include` picks
 * the items.
 */
function textOf(text: Y.XmlText, include: (item: Y.Item) => boolean): { str: string; items: { item: Y.Item; offset: number }[]; formats: TextFormat[] } {
  let str = '';
  const items: { item: Y.Item; offset: number }[] = [];
  const formats: TextFormat[] = [];
  let format: TextFormat = PLAIN;
  for (let item = text._start; item !== null; item = item.right) {
    if (!include(item)) continue;
    const content = item.content;
    if (content instanceof Y.ContentFormat) {
      const nextFormat: Record<string, unknown> = { ...format };
      if (content.value === null) delete nextFormat[content.key];
      else nextFormat[content.key] = content.value;
      format = nextFormat;
    } else if (content instanceof Y.ContentString) {
      for (let i = 0; i < content.str.length; i++) {
        items.push({ item, offset: i });
        formats.push(format);
      }
      str += content.str;
    } else if (content instanceof Y.ContentEmbed || content instanceof Y.ContentType) {
      items.push({ item, offset: 0 });
      formats.push(format);
      str += EMBED;
    }
  }
  return { str, items, formats };
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

/** Whether a rescue still fits its block: the block is there and its text has not changed since. */
export const stillApplies = ({ target, expected }: Rescue): boolean => !target._item?.deleted && textOf(target, (item) => !item.deleted).str === expected;

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
      const { runs, aligned, othersMissing, copy } = placeLostRuns(before.str, mine, now, before.formats);
      // othersMissing says little when the old line is short or mostly our own recent typing: a new block that
      // only shares scattered letters with it ("nn " of "Ann") is not its copy, and gets nothing put into it.
      if (runs.length > 0 && othersMissing <= MARKER && copy && aligned > bestAligned) {
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
    for (const rescue of rescues) {
      if (!stillApplies(rescue)) continue;
      const { target, runs } = rescue;
      // From the end, so each index still means what it meant in `expected`.
      for (const run of [...runs].reverse()) {
        target.insert(run.index, run.text, { ...run.format });
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
  /**
   * In the order typed: clocks and times both only grow (an opened connection
   * gives them all one time), so lookups are a binary search and pruning
   * drops a prefix, however long an offline stretch was.
   */
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
    let lo = 0;
    let hi = this.ranges.length - 1;
    // The last range starting at or before `clock`.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.ranges[mid]!.from <= clock) lo = mid;
      else hi = mid - 1;
    }
    const r = this.ranges[lo];
    return r !== undefined && clock >= r.from && clock < r.to && r.at >= this.now() - UNSEEN_FOR_MS;
  }

  /** Drops what is too old to matter, unless the connection is down (it will count again when it opens). */
  prune(online: boolean): void {
    if (!online) return;
    const since = this.now() - UNSEEN_FOR_MS;
    let old = 0;
    while (old < this.ranges.length && this.ranges[old]!.at < since) old++;
    if (old > 0) this.ranges = this.ranges.slice(old);
  }

  get size(): number {
    return this.ranges.length;
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
