import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSearchQuery, SEARCH_LIMITS, type SearchQuery } from './query.js';

function ok(input: string): SearchQuery {
  const r = parseSearchQuery(input);
  if (!r.ok) throw new Error(`expected a query, got ${JSON.stringify(r.error)}`);
  return r.query;
}

const texts = (q: SearchQuery) => q.terms.map((t) => t.text);

describe('parseSearchQuery', () => {
  it('words are separate terms, normalised for width and case', () => {
    const q = ok('Nova  ＵＰＧＲＡＤＥ');
    expect(texts(q)).toEqual(['nova', 'upgrade']);
    expect(q.terms[1]!.raw).toBe('UPGRADE');
    expect(q.terms.every((t) => !t.phrase)).toBe(true);
  });

  it('quoted phrases keep their spaces; curly and Japanese quotes work too', () => {
    expect(ok('"rolling upgrade" nova').terms).toEqual([
      { raw: 'rolling upgrade', text: 'rolling upgrade', phrase: true },
      { raw: 'nova', text: 'nova', phrase: false },
    ]);
    expect(texts(ok('“live migration”'))).toEqual(['live migration']);
    expect(texts(ok('「国内 OpsWorkshop」'))).toEqual(['国内 opsworkshop']);
  });

  it('Japanese text without spaces is one term; the ideographic space separates terms', () => {
    expect(texts(ok('運用者向けドキュメント'))).toEqual(['運用者向けドキュメント']);
    expect(texts(ok('運用　ドキュメント'))).toEqual(['運用', 'ドキュメント']);
  });

  it('owner:, tag:, is: and in: are filters', () => {
    const q = ok('owner:@Alice tag:##NFV is:open in:"Japan Ops" upgrade');
    expect(q.owners).toEqual(['alice']);
    expect(q.tags).toEqual(['nfv']);
    expect(q.statuses).toEqual(['open']);
    expect(q.actionOnly).toBe(true);
    expect(q.sessions).toEqual(['japan ops']);
    expect(texts(q)).toEqual(['upgrade']);
  });

  it('owner names compare like the "My items" filter (case, @, separators)', () => {
    expect(ok('owner:@dana.smith').owners).toEqual(['danasmith']);
    expect(ok('owner:Dana_Smith').owners).toEqual(['danasmith']);
  });

  it('is:action and is:done; full-width colons are syntax too', () => {
    const q = ok('is:action is:done');
    expect(q.actionOnly).toBe(true);
    expect(q.statuses).toEqual(['done']);
    expect(ok('ｉｓ：ｏｐｅｎ').statuses).toEqual(['open']);
  });

  it('a filter alone is a query; nothing at all is not', () => {
    expect(ok('is:open').terms).toEqual([]);
    expect(parseSearchQuery('   ')).toEqual({ ok: false, error: { code: 'search_query_empty' } });
    expect(parseSearchQuery('""')).toEqual({ ok: false, error: { code: 'search_query_empty' } });
  });

  it('unknown is: values and filters without a value are errors that name the filter', () => {
    expect(parseSearchQuery('is:urgent')).toEqual({ ok: false, error: { code: 'search_unknown_filter', filter: 'is:urgent' } });
    expect(parseSearchQuery('owner:')).toEqual({ ok: false, error: { code: 'search_filter_value_missing', filter: 'owner:' } });
    expect(parseSearchQuery('tag:##')).toEqual({ ok: false, error: { code: 'search_filter_value_missing', filter: 'tag:' } });
    expect(parseSearchQuery('in:""')).toEqual({ ok: false, error: { code: 'search_filter_value_missing', filter: 'in:' } });
  });

  it('other word: prefixes are text (times, URLs); a quoted filter is text', () => {
    expect(texts(ok('10:30 https://wiki.openstack.org'))).toEqual(['10:30', 'https://wiki.openstack.org']);
    const q = ok('"owner:bob"');
    expect(q.owners).toEqual([]);
    expect(texts(q)).toEqual(['owner:bob']);
  });

  it('trailing sentence punctuation is dropped from words, not from phrases', () => {
    expect(texts(ok('upgrades? ノバ、'))).toEqual(['upgrades', 'ノバ']);
    expect(texts(ok('"upgrades?"'))).toEqual(['upgrades?']);
  });

  it('hostile input: unbalanced quotes run to the end; FTS5 operators and special characters are plain text', () => {
    expect(ok('"unbalanced phrase').terms).toEqual([{ raw: 'unbalanced phrase', text: 'unbalanced phrase', phrase: true }]);
    expect(texts(ok('a OR b NOT c NEAR(d e) col:x'))).toEqual(['a', 'or', 'b', 'not', 'c', 'near(d', 'e)', 'col:x']);
    expect(texts(ok('* ^f {g} -h +i'))).toEqual(['*', '^f', '{g}', '-h', '+i']);
    expect(texts(ok('say "hi" there"'))).toEqual(['say', 'hi', 'there']);
    // Control characters are white space (FTS5 would stop reading at NUL).
    expect(texts(ok('\u0000 x\u0001y'))).toEqual(['x y']);
  });

  it('repeated terms count once; too many terms is an error', () => {
    expect(texts(ok('nova Nova NOVA'))).toEqual(['nova']);
    const many = Array.from({ length: SEARCH_LIMITS.maxTerms + 1 }, (_, i) => `w${i}`).join(' ');
    expect(parseSearchQuery(many)).toEqual({ ok: false, error: { code: 'search_too_many_terms', max: SEARCH_LIMITS.maxTerms } });
  });

  it('never throws, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: SEARCH_LIMITS.maxQueryChars, unit: 'binary' }), (s) => {
        const r = parseSearchQuery(s);
        if (r.ok) for (const t of r.query.terms) expect(t.text.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('"', '“', '」', 'is:', 'in:', 'owner:', 'tag:', '#', '@', ' ', 'a', '東', ':', '*', '(', ')'), { maxLength: 60 }), (parts) => {
        parseSearchQuery(parts.join(''));
      }),
      { numRuns: 2000 },
    );
  });
});
