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

const firstChar = (s: string) => String.fromCodePoint(s.codePointAt(0) ?? 0);
const lastChar = (s: string) => {
  const code = s.charCodeAt(s.length - 1);
  return code >= 0xdc00 && code <= 0xdfff ? s.slice(-2) : s.slice(-1);
};

const MONTH = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?$/i;

// A date written with digits ("2016-06-30", "6/15", "2016年6月30日", "6月15日"), and a due label
// with its date ("期限：6月15日", "due: 2016-05-17", "〆切 6/15"): one piece each, never broken.
// Japanese dates have no spaces, so without this they would break anywhere, like any CJK text.
// Not inside an ASCII word: "release-2016-06-30" stays one word, as before.
const D = '[0-9０-９]';
const DATE = `(?:${D}{4}[-/.]${D}{1,2}[-/.]${D}{1,2}|(?:${D}{2,4}年)?${D}{1,2}月(?:${D}{1,2}日?)?|${D}{1,2}/${D}{1,2}(?:/${D}{2,4})?)`;
const DUE_LABEL = '(?:(?<![A-Za-z])due\\s?[:：]|期限|〆切り?|締め?切り?|納期)\\s?[:：]?\\s?';
const DATE_ATOM = `(?<![A-Za-z0-9_./-])(?:${DUE_LABEL})?${DATE}(?![A-Za-z0-9_/-])`;

/**
 * Splits text into breakable pieces: words for Latin text, single characters
 * for CJK (which may break anywhere, except where kinsoku forbids), and URLs
 * kept whole (never broken, even if longer than a line). Ideographic spaces
 * are text, not separators: they are kept as typed. Kinsoku glues pieces only
 * up to a line's width: past that a line must break somewhere.
 */
function pieces(text: string, width: number): string[] {
  const out: string[] = [];
  let glue = false;
  let lastIsSpace = false;
  let lastWidth = 0;
  const push = (p: string) => {
    const w = textWidth(p);
    if (out.length && (glue || NO_START.has(firstChar(p))) && !lastIsSpace && lastWidth + w <= width) {
      out[out.length - 1] += p;
      lastWidth += w;
    } else {
      out.push(p);
      lastWidth = w;
    }
    lastIsSpace = false;
    glue = NO_END.has(lastChar(p));
  };
  // A run of other text stops where a date starts, so the date is matched whole.
  const re = new RegExp(`(https?:\\/\\/[^ ]+|mailto:[^ ]+)|( +)|(${DATE_ATOM})|((?:(?!${DATE_ATOM})[^ ])+)`, 'giu');
  for (const m of text.matchAll(re)) {
    if (m[2]) {
      out.push(m[0]);
      glue = false;
      lastIsSpace = true;
      continue;
    }
    if (m[1] || m[3]) {
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
  return keepDueWithDate(out);
}

/** "due" never ends a line before its date: "due 2016-05-17", "due 5/17", "due May 17" stay one piece. */
function keepDueWithDate(list: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    const date = list[i + 2];
    if (/^due$/i.test(p) && list[i + 1]?.trim() === '' && date !== undefined && (/^\d/.test(date) || MONTH.test(date))) {
      let joined = `${p} ${date}`;
      i += 2;
      // A Japanese date comes as pieces with no space between them ("6", "月", "15", "日").
      while (/^\d/.test(date) && list[i + 1] !== undefined && /^[\d年月日/.-]+$/.test(list[i + 1]!)) joined += list[++i];
      const day = list[i + 2];
      if (MONTH.test(date) && list[i + 1]?.trim() === '' && day !== undefined && /^\d/.test(day)) {
        joined += ` ${day}`;
        i += 2;
      }
      out.push(joined);
    } else out.push(p);
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
  for (const piece of pieces(text.replace(/[^\S\u3000]+/g, ' ').trim(), width)) {
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
