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

/**
 * Splits text into breakable pieces: words (with their trailing space) for
 * Latin text, single characters for CJK (which may break anywhere), and
 * URLs kept whole (never broken, even if longer than a line).
 */
function pieces(text: string): string[] {
  const out: string[] = [];
  const re = /(https?:\/\/\S+|mailto:\S+)|(\s+)|([^\s]+)/gu;
  for (const m of text.matchAll(re)) {
    if (m[1] || m[2]) {
      out.push(m[0]);
      continue;
    }
    let word = '';
    for (const ch of m[0]) {
      if (isWide(ch)) {
        if (word) out.push(word);
        word = '';
        out.push(ch);
      } else word += ch;
    }
    if (word) out.push(word);
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
  for (const piece of pieces(text.replace(/\s+/g, ' ').trim())) {
    if (/^\s+$/.test(piece)) {
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
