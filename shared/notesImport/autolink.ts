import type { JSONContent } from '@tiptap/core';
import { isSafeUrl } from '../editor/safeUrl.js';

type Mark = NonNullable<JSONContent['marks']>[number];

const URL_PATTERN = /\b(?:https?:\/\/|mailto:)[^\s<>"]+/giu;
/** Punctuation that ends a sentence, not a URL. */
const TRAILING = /[.,;:!?'")\]}>、。，．：；！？」』）】]+$/u;

/**
 * Text → text nodes, with http(s) and mailto URLs linked the way the
 * editor's autolink links them while typing (pads have no link markup: a
 * URL in the text is the link).
 */
export function linkifiedText(text: string, marks: Mark[] = []): JSONContent[] {
  const out: JSONContent[] = [];
  const push = (t: string, extra?: Mark) => {
    if (!t) return;
    const all = extra ? [...marks, extra] : marks;
    out.push(all.length ? { type: 'text', text: t, marks: all } : { type: 'text', text: t });
  };
  let last = 0;
  for (const m of text.matchAll(URL_PATTERN)) {
    const url = m[0].replace(TRAILING, '');
    if (!isSafeUrl(url)) continue;
    push(text.slice(last, m.index));
    push(url, { type: 'link', attrs: { href: url } });
    last = m.index + url.length;
  }
  push(text.slice(last));
  return out;
}
