import { describe, expect, it } from 'vitest';
import { searchNormalize } from './normalize.js';
import { makeSnippet, matchRanges, snippetFor } from './snippet.js';

const marked = (s: { text: string; highlights: [number, number][] }) => {
  let out = '';
  let at = 0;
  for (const [a, b] of s.highlights) {
    out += s.text.slice(at, a) + '[' + s.text.slice(a, b) + ']';
    at = b;
  }
  return out + s.text.slice(at);
};

describe('snippets', () => {
  it('highlights what was written, full-width or half-width, whatever the case', () => {
    const text = 'ＮＯＶＡ の ｶﾞｲﾄﾞ と nova guide';
    const ranges = matchRanges(text, ['nova', 'ガイド']);
    expect(marked(makeSnippet(text, ranges))).toBe('[ＮＯＶＡ] の [ｶﾞｲﾄﾞ] と [nova] guide');
  });

  it('overlapping matches merge into one range', () => {
    expect(matchRanges('rolling upgrades', ['rolling up', 'upgrade'])).toEqual([[0, 15]]);
  });

  it('cuts a long block around the first match, with ellipses, and keeps the highlight on the match', () => {
    const text = `${'lorem ipsum '.repeat(30)}the nova upgrade went fine ${'dolor sit '.repeat(30)}`;
    const s = makeSnippet(text, matchRanges(text, ['nova upgrade']), 80, 20);
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    expect(s.text.length).toBeLessThanOrEqual(84);
    expect(s.highlights).toHaveLength(1);
    expect(s.text.slice(...s.highlights[0]!)).toBe('nova upgrade');
  });

  it('white space runs collapse in the snippet and highlights follow', () => {
    const s = makeSnippet('a  \n  b   nova', matchRanges('a  \n  b   nova', ['nova']));
    expect(marked(s)).toBe('a b [nova]');
  });

  it('never splits a surrogate pair at either cut', () => {
    const text = '😀'.repeat(100) + 'nova' + '😀'.repeat(100);
    const s = makeSnippet(text, matchRanges(text, ['nova']), 41, 21);
    expect(s.text).not.toMatch(/^…[\udc00-\udfff]/);
    expect(s.text).not.toMatch(/[\ud800-\udbff]…$/);
    expect(s.text.slice(...s.highlights[0]!)).toBe('nova');
  });

  it('without a match (a title hit by filters only) the snippet is the start of the text', () => {
    expect(makeSnippet('Upgrades', [])).toEqual({ text: 'Upgrades', highlights: [] });
  });

  it('a long block is mapped only around its first match, with the same result', () => {
    const text = `${'Ｌｏｒｅｍ ipsum  '.repeat(800)}the ＮＯＶＡ upgrade ${'dolor '.repeat(800)}`;
    const windowed = snippetFor(text, ['nova'], searchNormalize(text));
    expect(windowed).toEqual(makeSnippet(text, matchRanges(text, ['nova'])));
    expect(windowed.text.slice(...windowed.highlights[0]!)).toBe('ＮＯＶＡ');
    expect(snippetFor(text, ['absent'], searchNormalize(text))).toEqual(makeSnippet(text, []));
  });
});
