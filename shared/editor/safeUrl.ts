const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** Named character references attackers use to spell a scheme (`&colon;`, `&Tab;`…), plus the common ones. */
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  colon: ':',
  tab: '\t',
  newline: '\n',
  nbsp: '\u00a0',
  sol: '/',
  bsol: '\\',
  lpar: '(',
  rpar: ')',
  excl: '!',
  period: '.',
  comma: ',',
  semi: ';',
  num: '#',
  percnt: '%',
  quest: '?',
  equals: '=',
  commat: '@',
  lowbar: '_',
  hyphen: '-',
  plus: '+',
};

const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,8});?|#([0-9]{1,10});?|([a-zA-Z][a-zA-Z0-9]{0,31});)/g;

function decodeOnce(s: string): string {
  return s.replace(ENTITY, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name.toLowerCase()] ?? whole;
    const cp = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
  });
}

// Browsers drop tabs and newlines anywhere in a URL and C0 controls and spaces at its ends.
// eslint-disable-next-line no-control-regex -- control characters are what this strips
const LEADING_OR_TRAILING = /^[\u0000-\u0020\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+|[\u0000-\u0020\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+$/g;
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const MAX_URL_LENGTH = 8192;

/**
 * The href to write into any export, or null when the link must be dropped
 * (its text stays). Only absolute http, https and mailto URLs pass, judged
 * after decoding HTML character references (repeatedly, as a Markdown or HTML
 * reader would) and after removing what browsers ignore: `jav&#x61;script:`,
 * `java&Tab;script:`, ` javascript:` and `data:` are all refused. The
 * decoded form is returned, so no reader can decode it into something else.
 *
 * @example
 * safeHref('https://example.org/a?b=1&amp;c=2') // 'https://example.org/a?b=1&c=2'
 * safeHref('jav&#x61;script:alert(1)')          // null
 */
export function safeHref(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return null;
  let s = url;
  for (let round = 0; ; round++) {
    const decoded = decodeOnce(s);
    if (decoded === s) break;
    // Something encoded five times over is not a link anybody typed.
    if (round === 4) return null;
    s = decoded;
  }
  s = s.replace(/[\t\n\r]/g, '').replace(LEADING_OR_TRAILING, '');
  if (!s || CONTROL.test(s) || !/^(?:https?:\/\/|mailto:)/i.test(s)) return null;
  try {
    return ALLOWED_PROTOCOLS.has(new URL(s).protocol) ? s : null;
  } catch {
    return null;
  }
}

/**
 * Only http, https and mailto links are ever kept: `javascript:` and `data:`
 * links have been an XSS vector in Tiptap-based editors and in exports.
 */
export function isSafeUrl(url: string): boolean {
  return safeHref(url) !== null;
}
