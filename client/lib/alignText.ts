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
