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
 *
 * Speed matters (a long block is re-read on every indexing pass): ASCII text
 * takes one pass, and a run of non-ASCII text that NFKC and lower-casing leave
 * as it is (most Japanese) is kept whole; only the other runs fold per cluster.
 * A run that folding leaves unchanged is unchanged cluster by cluster too:
 * decomposition is per character, and nothing composed across its clusters.
 */

/* eslint-disable no-control-regex -- control characters are exactly what these patterns are about */
const ASCII = /^[\x00-\x7f]*$/;
const MARK = String.raw`[\p{M}\uff9e\uff9f]`;
// A run of non-ASCII text (with the ASCII character its first mark belongs to), or upper-case ASCII letters that no mark follows.
const RUN = new RegExp(String.raw`(?:[\x00-\x7f](?=${MARK}))?[^\x00-\x7f]+|(?:[A-Z](?!${MARK}))+`, 'gu');
const CLUSTER = new RegExp(String.raw`[^\p{M}\uff9e\uff9f]${MARK}*|${MARK}+`, 'gu');
// Control characters count as white space: they are invisible, and FTS5 would stop reading a query at NUL.
const SPACES = /[\s\x00-\x1f\x7f]+/g;
const SPACE = /[\s\x00-\x1f\x7f]/;
/* eslint-enable no-control-regex */

function fold(cluster: string): string {
  return cluster.length === 1 && cluster.charCodeAt(0) < 0x80 ? cluster.toLowerCase() : cluster.normalize('NFKC').toLowerCase();
}

const isUpperRun = (run: string) => run.charCodeAt(0) >= 0x41 && run.charCodeAt(0) <= 0x5a && (run.length === 1 || run.charCodeAt(1) < 0x80);
const isStable = (run: string) => run.normalize('NFKC') === run && run.toLowerCase() === run;

function foldRun(run: string): string {
  if (isUpperRun(run)) return run.toLowerCase();
  return isStable(run) ? run : run.replace(CLUSTER, fold);
}

/** The normalised form of `text` that the index stores and queries are matched against. */
export function searchNormalize(text: string): string {
  const folded = ASCII.test(text) ? text.toLowerCase() : text.replace(RUN, foldRun);
  return folded.replace(SPACES, ' ');
}

export interface NormalizedText {
  text: string;
  /** For each UTF-16 index of `text` (and one past its end), the index in the original. */
  toOriginal: number[];
}

/** `searchNormalize` with a map back to the original's offsets (for highlighting). */
export function searchNormalizeWithMap(original: string): NormalizedText {
  if (ASCII.test(original)) return asciiWithMap(original);
  const parts: string[] = [];
  const toOriginal: number[] = [];
  let lastWasSpace = false;
  /** Emits `s` (already folded), every character of it mapped to `at(k)`. */
  const emit = (s: string, at: (k: number) => number) => {
    let from = 0;
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      const space = c <= 0x20 || c === 0x7f || (c >= 0x80 && SPACE.test(s[k]!));
      if (!space) {
        toOriginal.push(at(k));
        lastWasSpace = false;
        continue;
      }
      if (from < k) parts.push(s.slice(from, k));
      from = k + 1;
      if (lastWasSpace) continue;
      lastWasSpace = true;
      parts.push(' ');
      toOriginal.push(at(k));
    }
    if (from < s.length) parts.push(s.slice(from));
  };
  let done = 0;
  for (const m of original.matchAll(RUN)) {
    const run = m[0];
    if (m.index > done) emit(original.slice(done, m.index), (k) => done + k);
    if (isUpperRun(run)) emit(run.toLowerCase(), (k) => m.index + k);
    else if (isStable(run)) emit(run, (k) => m.index + k);
    else for (const c of run.matchAll(CLUSTER)) emit(fold(c[0]), () => m.index + c.index);
    done = m.index + run.length;
  }
  if (done < original.length) emit(original.slice(done), (k) => done + k);
  toOriginal.push(original.length);
  return { text: parts.join(''), toOriginal };
}

/** ASCII only (most notes, and long pasted logs): lower case and white-space runs, in one pass without regular expressions. */
function asciiWithMap(original: string): NormalizedText {
  const lower = original.toLowerCase();
  const toOriginal: number[] = [];
  const parts: string[] = [];
  let runStart = 0;
  let lastWasSpace = false;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    // \s in ASCII is tab to CR and space; other control characters count as space too.
    const space = c <= 0x20 || c === 0x7f;
    if (!space) {
      toOriginal.push(i);
      lastWasSpace = false;
      continue;
    }
    if (runStart < i) parts.push(lower.slice(runStart, i));
    runStart = i + 1;
    if (lastWasSpace) continue;
    lastWasSpace = true;
    parts.push(' ');
    toOriginal.push(i);
  }
  if (runStart < lower.length) parts.push(lower.slice(runStart));
  toOriginal.push(original.length);
  return { text: parts.join(''), toOriginal };
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
