import { searchNormalizeWithMap } from './normalize.js';

/** [start, end) in UTF-16 units. */
export type TextRange = [start: number, end: number];

/** A piece of a block's text around its first match, with every match in it. */
export interface Snippet {
  text: string;
  /** Ranges of `text` to highlight, sorted, not overlapping. */
  highlights: TextRange[];
}

/**
 * Where the normalised terms occur in `original`, as ranges of the original
 * (what people wrote, full-width letters and all), sorted and merged.
 */
export function matchRanges(original: string, terms: readonly string[], maxRanges = 50): TextRange[] {
  const { text, toOriginal } = searchNormalizeWithMap(original);
  const found: TextRange[] = [];
  for (const term of terms) {
    if (!term) continue;
    for (let at = text.indexOf(term); at !== -1 && found.length < maxRanges * 4; at = text.indexOf(term, at + term.length)) {
      found.push([toOriginal[at]!, toOriginal[at + term.length]!]);
    }
  }
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: TextRange[] = [];
  for (const r of found) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else if (merged.length < maxRanges) merged.push([r[0], r[1]]);
  }
  return merged;
}

const isLowSurrogate = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
};

/**
 * Cuts `original` to about `width` characters around the first match, with
 * an ellipsis where it was cut, and shifts the highlights to match. It never
 * splits a surrogate pair.
 */
export function makeSnippet(original: string, ranges: readonly TextRange[], width = 160, before = 50): Snippet {
  const first = ranges[0];
  let start = first ? Math.max(0, first[0] - before) : 0;
  let end = Math.min(original.length, start + width);
  if (end - start < width) start = Math.max(0, end - width);
  // Start at a word boundary when one is near, so the snippet does not open mid-word.
  if (start > 0) {
    const space = original.slice(start, first ? first[0] : start + 15).search(/\s/);
    if (space >= 0 && space < 15) start += space + 1;
  }
  if (start > 0 && isLowSurrogate(original, start)) start--;
  if (end < original.length && isLowSurrogate(original, end)) end++;
  const prefix = start > 0 ? '…' : '';
  const suffix = end < original.length ? '…' : '';
  const text = prefix + original.slice(start, end).replace(/\s+/g, ' ') + suffix;
  const highlights: TextRange[] = [];
  // Collapsing white space shifts offsets: recompute them on the cut text.
  const body = original.slice(start, end);
  const collapsedIndex = collapseMap(body);
  for (const [s, e] of ranges) {
    if (e <= start || s >= end) continue;
    const from = collapsedIndex[Math.max(s, start) - start]! + prefix.length;
    const to = collapsedIndex[Math.min(e, end) - start]! + prefix.length;
    if (to > from) highlights.push([from, to]);
  }
  return { text, highlights };
}

/** For each index of `s` (and its end), the index after replacing white-space runs by one space. */
function collapseMap(s: string): number[] {
  const map: number[] = [];
  let out = 0;
  let inSpace = false;
  for (let i = 0; i < s.length; i++) {
    const space = /\s/.test(s[i]!);
    map.push(out);
    if (space && inSpace) continue;
    inSpace = space;
    out++;
  }
  map.push(out);
  return map;
}

/** Blocks longer than this are only mapped around their first match. */
const LONG_TEXT = 4000;

/**
 * The snippet of a block for the terms. A long block (a pasted log, a whole
 * paper in one paragraph) is normalised only in a window around where its
 * stored normalised text first matches, not end to end on every query; when
 * the window misses (the two texts drifted apart), the whole text is used.
 */
export function snippetFor(original: string, terms: readonly string[], norm?: string): Snippet {
  if (original.length <= LONG_TEXT || norm === undefined) return makeSnippet(original, matchRanges(original, terms));
  const firsts = terms.map((t) => norm.indexOf(t)).filter((i) => i >= 0);
  if (firsts.length === 0) return makeSnippet(original, []);
  const at = Math.min(...firsts);
  const from = Math.max(0, at - LONG_TEXT / 2);
  const ranges = matchRanges(original.slice(from, Math.min(original.length, at + LONG_TEXT / 2)), terms).map(([s, e]): TextRange => [s + from, e + from]);
  return makeSnippet(original, ranges.length > 0 ? ranges : matchRanges(original, terms));
}
