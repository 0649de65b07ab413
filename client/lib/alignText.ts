/** Above this many cells the alignment is not attempted (a paragraph of tens of thousands of characters). */
const MAX_CELLS = 1_000_000;

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

/** Share of aligned characters that must sit in stretches of RUN or more for one line to be the other's copy. */
const IN_RUNS = 0.8;
const RUN = 3;

/**
 * Whether an alignment says the other text holds a copy of this one (what
 * someone's conversion to a list item or heading, or a merge into the line
 * above, left of it), rather than an unrelated line that shares letters.
 * A copy holds the old text in stretches (split only where text was lost or
 * added); a longest common subsequence with an unrelated line is scattered
 * letters ("n", "e", " th") with text between them.
 */
export function looksLikeCopy(at: Int32Array): boolean {
  let aligned = 0;
  let inRuns = 0;
  let runs = 0;
  for (let i = 0; i < at.length; ) {
    if (at[i]! < 0) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < at.length && at[end] === at[end - 1]! + 1) end++;
    const length = end - i;
    aligned += length;
    runs++;
    if (length >= RUN) inRuns += length;
    i = end;
  }
  if (aligned === 0) return false;
  // A line of one or two characters is a copy when they are aligned in one stretch.
  if (aligned < RUN) return runs === 1;
  return inRuns >= IN_RUNS * aligned;
}

/** Whether `old[from..to)` lands on consecutive characters of the other text. */
export function consecutive(at: Int32Array, from: number, to: number): boolean {
  if (from < 0 || to > at.length || from >= to) return false;
  for (let i = from; i < to; i++) if (at[i]! < 0 || (i > from && at[i] !== at[i - 1]! + 1)) return false;
  return true;
}

/**
 * Where a caret at `offset` in `a` goes in `b`: after the aligned character
 * nearest before it, else before the nearest one after it; null when nothing
 * is aligned.
 */
export function mapOffset(at: Int32Array, offset: number): number | null {
  for (let i = Math.min(offset, at.length) - 1; i >= 0; i--) if (at[i]! >= 0) return at[i]! + 1;
  for (let i = offset; i < at.length; i++) if (at[i]! >= 0) return at[i]!;
  return null;
}
