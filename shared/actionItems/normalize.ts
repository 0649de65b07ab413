/**
 * NFKC per character (full-width ＠ → @, ： → :, ２ → 2, U+3000 → space) with a
 * map back to the original offsets, so markers found in the normalised text
 * can be cut from the text as the note-taker wrote it.
 */
/** A working-group tag as every filter compares it (the API, the board, both stores): `##NFV`, `#nfv` and `nfv` are one. */
export const tagKey = (tag: string): string => tag.normalize('NFKC').toLowerCase().replace(/^#+/, '');

export interface Normalized {
  text: string;
  /** For each UTF-16 index of `text`, the index in the original string. */
  toOriginal: number[];
}

export function normalizeWithMap(original: string): Normalized {
  let text = '';
  const toOriginal: number[] = [];
  let i = 0;
  for (const ch of original) {
    const n = ch.charCodeAt(0) < 0x80 ? ch : ch.normalize('NFKC');
    for (let k = 0; k < n.length; k++) toOriginal.push(i);
    text += n;
    i += ch.length;
  }
  toOriginal.push(original.length);
  return { text, toOriginal };
}
