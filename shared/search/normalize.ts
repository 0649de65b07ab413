/**
 * How search compares text: NFKC (full-width ↔ half-width, ｶﾞ → ガ, ① → 1,
 * U+3000 → space) and lower case, with runs of white space as one space.
 *
 * Folding works per cluster (a character and the combining marks after it,
 * half-width voiced marks ﾞ ﾟ included), never across clusters, so that every
 * character of the result comes from one place in the original: highlights
 * found in the normalised text map back onto the text people wrote. The index
 * and the query use the same function, so both sides always agree. Control
 * characters count as white space.
 */

/* eslint-disable no-control-regex -- control characters are exactly what these patterns are about */
const ASCII = /^[\x00-\x7f]*$/;
// A non-ASCII character (or an ASCII one followed by marks) with the marks that belong to it; or upper-case ASCII.
const FOLD = /[^\x00-\x7f][\p{M}\uff9e\uff9f]*|[\x00-\x7f][\p{M}\uff9e\uff9f]+|(?:[A-Z](?![\p{M}\uff9e\uff9f]))+/gu;
const CLUSTER = /[^\p{M}\uff9e\uff9f][\p{M}\uff9e\uff9f]*|[\p{M}\uff9e\uff9f]+/gu;
// Control characters count as white space: they are invisible, and FTS5 would stop reading a query at NUL.
const SPACES = /[\s\x00-\x1f\x7f]+/g;
const SPACE = /[\s\x00-\x1f\x7f]/;
/* eslint-enable no-control-regex */

function fold(cluster: string): string {
  return cluster.charCodeAt(0) < 0x80 && cluster.length === 1 ? cluster.toLowerCase() : cluster.normalize('NFKC').toLowerCase();
}

function foldRun(run: string): string {
  // An ASCII capital run folds letter by letter, which is what toLowerCase does to it anyway.
  return run.length > 1 && /^[A-Z]+$/.test(run) ? run.toLowerCase() : fold(run);
}

/** The normalised form of `text` that the index stores and queries are matched against. */
export function searchNormalize(text: string): string {
  const folded = ASCII.test(text) ? text.toLowerCase() : text.replace(FOLD, foldRun);
  return folded.replace(SPACES, ' ');
}

export interface NormalizedText {
  text: string;
  /** For each UTF-16 index of `text` (and one past its end), the index in the original. */
  toOriginal: number[];
}

/** `searchNormalize` with a map back to the original's offsets (for highlighting). */
export function searchNormalizeWithMap(original: string): NormalizedText {
  let text = '';
  const toOriginal: number[] = [];
  let lastWasSpace = false;
  for (const m of original.matchAll(CLUSTER)) {
    const folded = fold(m[0]);
    for (let k = 0; k < folded.length; k++) {
      const ch = folded[k]!;
      const space = SPACE.test(ch);
      if (space && lastWasSpace) continue;
      lastWasSpace = space;
      text += space ? ' ' : ch;
      toOriginal.push(m.index);
    }
  }
  toOriginal.push(original.length);
  return { text, toOriginal };
}

/** Length in code points (what the trigram tokenizer counts), not UTF-16 units. */
export function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}
