import * as Y from 'yjs';
import type { SharedType } from './updateAdmission.js';

/**
 * Walks over a document's shape, all iterative: a stored document may nest
 * thousands of levels (written before the nesting limit existed), and every
 * recursive walk — ours, Yjs' toJSON, y-prosemirror — overflows the stack
 * somewhere between 3,000 and 10,000 of them.
 */

/** The live (not deleted) shared types directly inside `type`, in its list and its map. */
export function childTypes(type: SharedType): SharedType[] {
  const out: SharedType[] = [];
  for (let item = type._start; item !== null; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentType) out.push(item.content.type as SharedType);
  }
  for (const item of type._map.values()) {
    if (!item.deleted && item.content instanceof Y.ContentType) out.push(item.content.type as SharedType);
  }
  return out;
}

/** How deep shared types nest below the roots (a root's children are at depth 1), and how many there are. */
export function measureNesting(doc: Y.Doc): { maxDepth: number; types: number } {
  let maxDepth = 0;
  let types = 0;
  const stack: [SharedType, number][] = [...doc.share.values()].map((t) => [t, 0]);
  while (stack.length > 0) {
    const [type, depth] = stack.pop()!;
    if (depth > maxDepth) maxDepth = depth;
    for (const child of childTypes(type)) {
      types++;
      stack.push([child, depth + 1]);
    }
  }
  return { maxDepth, types };
}

function depthOf(type: SharedType): number {
  let d = 0;
  for (let t: SharedType | null = type; t && t._item !== null; t = t._item.parent as SharedType | null) d++;
  return d;
}

/** Live entries of a type that are content (list items, and map entries holding types). */
function contentCount(type: SharedType): number {
  let n = 0;
  for (let item = type._start; item !== null && n < 2; item = item.right) if (!item.deleted) n++;
  for (const item of type._map.values()) if (!item.deleted && item.content instanceof Y.ContentType) n++;
  return n;
}

/**
 * The subtrees that must go so nothing nests deeper than `limit`: each type
 * at depth limit + 1, widened upwards over ancestors that hold nothing else
 * (so a chain of 10,000 empty quotes goes as a whole, while a list that
 * merely contains an over-deep branch keeps its other items). Roots stay.
 */
export function overDeepSubtrees(doc: Y.Doc, limit: number): SharedType[] {
  const cuts = new Set<SharedType>();
  const stack: [SharedType, number][] = [...doc.share.values()].map((t) => [t, 0]);
  while (stack.length > 0) {
    const [type, depth] = stack.pop()!;
    for (const child of childTypes(type)) {
      if (depth + 1 <= limit) {
        stack.push([child, depth + 1]);
        continue;
      }
      let top = child;
      for (;;) {
        const parent = top._item!.parent as SharedType;
        if (parent._item === null || contentCount(parent) !== 1) break;
        top = parent;
      }
      cuts.add(top);
    }
  }
  // A widened cut may contain another one.
  return [...cuts].filter((c) => {
    for (let t = c._item!.parent as SharedType; t._item !== null; t = t._item.parent as SharedType) if (cuts.has(t)) return false;
    return true;
  });
}

export interface PruneOptions {
  /** Transaction origin of the deletions. */
  origin: unknown;
  /** Awaited after each band, so every band is committed and broadcast as its own update. */
  between: () => Promise<void>;
  /** Levels deleted per transaction; bounds Yjs' recursion when any replica applies the deletion. */
  band?: number;
}

/**
 * Deletes every subtree `overDeepSubtrees` finds, as forward changes, from
 * the bottom up, `band` levels per transaction. Yjs deletes (and garbage
 * collects) a type by recursing into its live children; deleting the top of
 * a 10,000-level chain in one go overflows the stack on the server and on
 * every client that receives it. Band by band, nothing recurses deeper than
 * `band` levels anywhere. Returns how many types were removed.
 */
export async function pruneOverDeep(doc: Y.Doc, limit: number, opts: PruneOptions): Promise<number> {
  const band = opts.band ?? 64;
  const cuts = overDeepSubtrees(doc, limit);
  if (cuts.length === 0) return 0;
  const byDepth = new Map<number, SharedType[]>();
  const cutDepth = new Map<SharedType, number>();
  let maxDepth = 0;
  let minDepth = Infinity;
  let count = 0;
  for (const cut of cuts) {
    const d0 = depthOf(cut);
    cutDepth.set(cut, d0);
    minDepth = Math.min(minDepth, d0);
    const stack: [SharedType, number][] = [[cut, d0]];
    while (stack.length > 0) {
      const [type, d] = stack.pop()!;
      count++;
      maxDepth = Math.max(maxDepth, d);
      let level = byDepth.get(d);
      if (!level) byDepth.set(d, (level = []));
      level.push(type);
      for (const child of childTypes(type)) stack.push([child, d + 1]);
    }
  }
  for (let hi = maxDepth; hi >= minDepth; hi -= band) {
    const lo = Math.max(hi - band + 1, minDepth);
    doc.transact((tr) => {
      // Everything below `hi` is gone already: deleting these recurses through at most `band` levels.
      for (const type of byDepth.get(lo) ?? []) if (!type._item!.deleted) type._item!.delete(tr);
      for (const [cut, d] of cutDepth) if (d > lo && d <= hi && !cut._item!.deleted) cut._item!.delete(tr);
    }, opts.origin);
    await opts.between();
  }
  return count;
}
