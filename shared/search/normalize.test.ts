import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength, searchNormalize, searchNormalizeWithMap } from './normalize.js';

describe('search normalisation', () => {
  it('ignores width and case: full-width Latin and digits, half-width katakana with voiced marks, the ideographic space', () => {
    expect(searchNormalize('ＯｐｅｎＳｔａｃｋ　２０１６')).toBe('openstack 2016');
    expect(searchNormalize('ｶﾞｲﾄﾞﾗｲﾝ')).toBe('ガイドライン');
    expect(searchNormalize('ﾊﾟｯﾁ')).toBe('パッチ');
    expect(searchNormalize('NFV Telco')).toBe('nfv telco');
    expect(searchNormalize('Ｎｏｖａ')).toBe(searchNormalize('nova'));
  });

  it('turns every run of white space (tabs, newlines, U+3000) into one space', () => {
    expect(searchNormalize('a \t\n b')).toBe('a b');
    expect(searchNormalize('運用　　ワークショップ')).toBe('運用 ワークショップ');
  });

  it('maps each normalised character back to where it came from', () => {
    const original = 'Ｎｏｖａ ｶﾞｲﾄﾞ  ok';
    const { text, toOriginal } = searchNormalizeWithMap(original);
    expect(text).toBe('nova ガイド ok');
    const at = text.indexOf('ガイド');
    expect(original.slice(toOriginal[at], toOriginal[at + 'ガイド'.length])).toBe('ｶﾞｲﾄﾞ');
    expect(toOriginal[text.length]).toBe(original.length);
  });

  it('an ASCII letter with a combining mark folds with its mark', () => {
    expect(searchNormalize('CAFE\u0301')).toBe('café');
    expect(searchNormalizeWithMap('CAFE\u0301').text).toBe('café');
  });

  it('the fast path and the mapped path agree on any text', () => {
    const chars = fc.constantFrom('A', 'a', 'Z', ' ', '\t', '\n', '\u3000', 'ｶ', 'ﾞ', 'ﾟ', '\u0301', 'É', 'ß', 'İ', 'Σ', '㍻', '…', '①', '日', '本', '😀', 'Ｑ', '@', '#', '"', '\u00a0', '\u0000', '\u0007', '\u007f');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }).map((a) => a.join('')), (s) => {
        const mapped = searchNormalizeWithMap(s);
        expect(mapped.text).toBe(searchNormalize(s));
        expect(mapped.toOriginal).toHaveLength(mapped.text.length + 1);
        for (let i = 1; i < mapped.toOriginal.length; i++) expect(mapped.toOriginal[i]!).toBeGreaterThanOrEqual(mapped.toOriginal[i - 1]!);
      }),
      { numRuns: 500 },
    );
  });

  it('the ASCII fast path maps white space and control characters like the general one', () => {
    const ascii = fc.constantFrom('A', 'b', ' ', '\t', '\n', '\r', '\u000b', '\u000c', '\u0000', '\u001f', '\u007f', '~', '@');
    fc.assert(
      fc.property(fc.array(ascii, { maxLength: 40 }).map((a) => a.join('')), (s) => {
        const mapped = searchNormalizeWithMap(s);
        expect(mapped.text).toBe(searchNormalize(s));
        // The same map the general path builds (a non-ASCII character at the end switches to it).
        const general = searchNormalizeWithMap(s + 'é');
        expect(mapped.toOriginal.slice(0, -1)).toEqual(general.toOriginal.slice(0, mapped.text.length));
      }),
      { numRuns: 500 },
    );
  });

  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('東京')).toBe(2);
    expect(codePointLength('😀a')).toBe(2);
  });
});
