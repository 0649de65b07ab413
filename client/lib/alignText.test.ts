import { describe, expect, it } from 'vitest';
import { align, mapOffset } from './alignText.js';

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
