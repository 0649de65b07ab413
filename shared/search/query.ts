import { ownerKey } from '../actionItems/owners.js';
import { searchNormalize } from './normalize.js';

export const SEARCH_LIMITS = {
  /** Characters of `q`. */
  maxQueryChars: 200,
  /** Words and phrases in one query. */
  maxTerms: 12,
  defaultResults: 30,
  maxResults: 100,
} as const;

/** One word or quoted phrase; every term must occur (AND). */
export interface SearchTerm {
  /** As typed (trimmed). */
  raw: string;
  /** searchNormalize()d: what is matched. */
  text: string;
  phrase: boolean;
}

export type SearchStatus = 'open' | 'done';

export interface SearchQuery {
  terms: SearchTerm[];
  /** `owner:@alice` (ownerKey()): action items owned by any of them. */
  owners: string[];
  /** `tag:##nfv` (lower case, no #): action items with the tag, or anything in a session tagged so. */
  tags: string[];
  /** `is:open` / `is:done`: action items in any of these states. */
  statuses: SearchStatus[];
  /** `is:action`, or implied by owner:, is:open and is:done. */
  actionOnly: boolean;
  /** `in:"session title"` (normalised): sessions whose title contains any of them. */
  sessions: string[];
}

export type SearchQueryError =
  | { code: 'search_query_empty' }
  | { code: 'search_unknown_filter'; filter: string }
  | { code: 'search_filter_value_missing'; filter: string }
  | { code: 'search_too_many_terms'; max: number };

export type ParsedSearchQuery = { ok: true; query: SearchQuery } | { ok: false; error: SearchQueryError };

const FILTERS = ['owner', 'tag', 'is', 'in'] as const;
type FilterKey = (typeof FILTERS)[number];
const IS_VALUES = ['open', 'done', 'action'] as const;

/** Straight, curly and Japanese quotes all open a phrase; any of the closing ones ends it. */
const OPEN_QUOTES = new Set(['"', '“', '”', '「', '『']);
const CLOSE_QUOTES = new Set(['"', '”', '“', '」', '』']);
// Punctuation that trails a word typed as a sentence ("upgrades?", "ノバ、") is not part of what was meant.
const TRAILING_PUNCTUATION = /[,.;:!?、。，．！？]+$/u;

interface Token {
  text: string;
  quoted: boolean;
  /** A filter (`owner:`, `tag:`, `is:`, `in:`) and its value; a quoted phrase is never one. */
  filter?: { key: FilterKey; value: string };
}

/** Splits into words and quoted phrases; an unbalanced quote runs to the end of the input. */
function tokenize(input: string): Token[] {
  const chars = [...input];
  const out: Token[] = [];
  let i = 0;
  const readPhrase = (): string => {
    i++; // the opening quote
    let s = '';
    while (i < chars.length && !CLOSE_QUOTES.has(chars[i]!)) s += chars[i++]!;
    i++; // the closing quote, if any
    return s;
  };
  while (i < chars.length) {
    const c = chars[i]!;
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    if (OPEN_QUOTES.has(c)) {
      out.push({ text: readPhrase(), quoted: true });
      continue;
    }
    let word = '';
    while (i < chars.length && !/\s/u.test(chars[i]!) && !OPEN_QUOTES.has(chars[i]!)) word += chars[i++]!;
    // `in:"session title"`: a filter whose value is a quoted phrase.
    const m = /^([a-z]+):(.*)$/is.exec(word);
    const key = m?.[1]!.toLowerCase() ?? '';
    if (m && isFilter(key)) {
      const value = m[2] === '' && i < chars.length && OPEN_QUOTES.has(chars[i]!) ? readPhrase() : m[2]!;
      out.push({ text: word, quoted: false, filter: { key, value } });
      continue;
    }
    out.push({ text: word, quoted: false });
  }
  return out;
}

function isFilter(key: string): key is FilterKey {
  return (FILTERS as readonly string[]).includes(key);
}

/**
 * Parses what people type into the search box. Never throws: any text is
 * either a query or one of the errors above. Words and quoted phrases are
 * plain text to find (never operators: FTS5 syntax typed by users is just
 * text), and `owner:`, `tag:`, `is:` and `in:` are filters; any other
 * `word:` is text ("10:30", "http://…").
 *
 * @example
 * parseSearchQuery('"rolling upgrade" owner:@alice is:open')
 * // { ok: true, query: { terms: [{ raw: 'rolling upgrade', text: 'rolling upgrade', phrase: true }], owners: ['alice'], statuses: ['open'], actionOnly: true, … } }
 */
export function parseSearchQuery(input: string): ParsedSearchQuery {
  // Full-width colons and quotes are syntax too (NFKC turns ： into :, ＂ into ").
  const query: SearchQuery = { terms: [], owners: [], tags: [], statuses: [], actionOnly: false, sessions: [] };
  const seen = new Set<string>();
  for (const token of tokenize(input.normalize('NFKC'))) {
    if (token.filter) {
      const { key } = token.filter;
      const value = token.filter.value.trim();
      if (!value) return { ok: false, error: { code: 'search_filter_value_missing', filter: `${key}:` } };
      if (key === 'owner') {
        const owner = ownerKey(value);
        if (!owner) return { ok: false, error: { code: 'search_filter_value_missing', filter: 'owner:' } };
        query.owners.push(owner);
        query.actionOnly = true;
      } else if (key === 'tag') {
        const tag = searchNormalize(value).replace(/^#+/, '').trim();
        if (!tag) return { ok: false, error: { code: 'search_filter_value_missing', filter: 'tag:' } };
        query.tags.push(tag);
      } else if (key === 'is') {
        const v = value.toLowerCase();
        if (!(IS_VALUES as readonly string[]).includes(v)) return { ok: false, error: { code: 'search_unknown_filter', filter: `is:${value.slice(0, 40)}` } };
        query.actionOnly = true;
        if (v !== 'action' && !query.statuses.includes(v as SearchStatus)) query.statuses.push(v as SearchStatus);
      } else {
        const title = searchNormalize(value).trim();
        if (!title) return { ok: false, error: { code: 'search_filter_value_missing', filter: 'in:' } };
        query.sessions.push(title);
      }
      continue;
    }
    const raw = (token.quoted ? token.text : token.text.replace(TRAILING_PUNCTUATION, '')).trim();
    const text = searchNormalize(raw).trim();
    if (!text || seen.has(text)) continue;
    seen.add(text);
    query.terms.push({ raw, text, phrase: token.quoted });
  }
  if (query.terms.length > SEARCH_LIMITS.maxTerms) return { ok: false, error: { code: 'search_too_many_terms', max: SEARCH_LIMITS.maxTerms } };
  const hasFilter = query.owners.length + query.tags.length + query.sessions.length > 0 || query.actionOnly;
  if (query.terms.length === 0 && !hasFilter) return { ok: false, error: { code: 'search_query_empty' } };
  return { ok: true, query };
}
