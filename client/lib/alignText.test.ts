import { describe, expect, it } from 'vitest';
import { align, looksLikeCopy, mapOffset } from './alignText.js';

describe('aligning two versions of a line', () => {
  it('pairs the characters they share', () => {
    expect([...align('-bob line', 'bob line')!]).toEqual([-1, 0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...align('abXcd', 'abcd')!]).toEqual([0, 1, -1, 2, 3]);
    expect([...align('', 'abc')!]).toEqual([]);
  });

  it('of two equally long matches, takes the one that leaves the weak characters out', () => {
    const weak = [...'line more'].map((_, i) => i >= 4);
    expect([...align('line more', 'line', weak)!].slice(0, 4)).toEqual([0, 1, 2, 3]);
  });

  it('gives up on lines too long to compare', () => {
    expect(align('a'.repeat(2000), 'a'.repeat(2000))).toBeNull();
  });

  it('maps a caret after the nearest aligned character before it, else before the next one', () => {
    const at = align('- hello world', 'hello world')!;
    expect(mapOffset(at, 13)).toBe(11);
    expect(mapOffset(at, 8)).toBe(6);
    expect(mapOffset(at, 0)).toBe(0);
    expect(mapOffset(align('abc', 'xyz')!, 2)).toBeNull();
  });
});

describe('telling a copy of a line from an unrelated line', () => {
  it('a conversion’s or a merge’s copy is one, with or without the typing it lost or text added around it', () => {
    expect(looksLikeCopy(align('- bob line', 'bob line')!)).toBe(true);
    expect(looksLikeCopy(align('Ann typed this and more', 'Ann typed this')!)).toBe(true);
    expect(looksLikeCopy(align('Ann typed this', 'Line above.Ann typed this')!)).toBe(true);
    expect(looksLikeCopy(align('the quota default', 'the old quota default per project')!)).toBe(true);
    expect(looksLikeCopy(align('ab', 'ab')!)).toBe(true);
  });

  it('an unrelated line that shares scattered letters is not', () => {
    const deleted = 'ACTION: @ann check the quota defaults due 2026-12-20 ##quota and also the ne';
    expect(looksLikeCopy(align(deleted, 'Line after, written by Ann earlier.')!)).toBe(false);
    expect(looksLikeCopy(align(deleted, 'Line before.')!)).toBe(false);
    expect(looksLikeCopy(align('ab', 'axb')!)).toBe(false);
    expect(looksLikeCopy(align('abc', 'xyz')!)).toBe(false);
  });
});
