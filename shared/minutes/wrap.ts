/** Display width: East Asian wide and full-width characters take two columns. */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  return (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
    ? 2
    : 1;
}

export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

function isWide(ch: string): boolean {
  return charWidth(ch) === 2;
}

// Japanese line-breaking rules (kinsoku): these never start a line…
const NO_START = new Set([...'、。，．・：；？！ー」』）】〕〉》〙〗｝］”’ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〻‐゠–〜～…‥,.:;?!)]}']);
// …and these never end one.
const NO_END = new Set([...'「『（【〔〈《〘〖｛［“‘([{']);

/**
 * Splits text into breakable pieces: words for Latin text, single characters
 * for CJK (which may break anywhere, except where kinsoku forbids), and URLs
 * kept whole (never broken, even if longer than a line). Ideographic spaces
 * are text, not separators: they are kept as typed.
 */
function pieces(text: string): string[] {
  const out: string[] = [];
  let glue = false;
  const push = (p: string) => {
    const first = [...p][0] ?? '';
    if (out.length && (glue || NO_START.has(first)) && !/^ +$/.test(p) && !/ $/.test(out.at(-1)!)) out[out.length - 1] += p;
    else out.push(p);
    glue = NO_END.has([...p].at(-1) ?? '');
  };
  const re = /(https?:\/\/[^ ]+|mailto:[^ ]+)|( +)|([^ ]+)/gu;
  for (const m of text.matchAll(re)) {
    if (m[2]) {
      out.push(m[0]);
      glue = false;
      continue;
    }
    if (m[1]) {
      push(m[0]);
      continue;
    }
    let word = '';
    for (const ch of m[0]) {
      if (isWide(ch)) {
        if (word) push(word);
        word = '';
        push(ch);
      } else word += ch;
    }
    if (word) push(word);
  }
  return out;
}

/**
 * Wraps `text` to `width` display columns. The first line starts with
 * `first`, the rest with `rest` (hanging indent for list items).
 */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let lineWidth = textWidth(first);
  let hasContent = false;
  // Collapses typed whitespace (not the ideographic space, which is content in Japanese).
  for (const piece of pieces(text.replace(/[^\S\u3000]+/g, ' ').trim())) {
    if (/^ +$/.test(piece)) {
      if (hasContent) {
        line += ' ';
        lineWidth += 1;
      }
      continue;
    }
    const w = textWidth(piece);
    if (hasContent && lineWidth + w > width) {
      lines.push(line.trimEnd());
      line = rest;
      lineWidth = textWidth(rest);
    }
    line += piece;
    lineWidth += w;
    hasContent = true;
  }
  lines.push(line.trimEnd());
  return lines;
}
