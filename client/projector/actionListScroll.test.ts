import { describe, expect, it } from 'vitest';
import { scrollTopShowing } from './actionListScroll.js';

const rows = [
  { top: 0, height: 60 },
  { top: 70, height: 30 },
  { top: 110, height: 90 },
  { top: 210, height: 30 },
];

describe('scrollTopShowing', () => {
  it('starts at the first row when everything up to the target fits', () => {
    expect(scrollTopShowing(rows, 3, 400)).toBe(0);
  });

  it('starts at a whole row, the earliest that keeps the target entirely in view', () => {
    // Rows 1..3 span 70..240 (170 px): row 0 would push the target's bottom out of a 200 px view.
    expect(scrollTopShowing(rows, 3, 200)).toBe(70);
    expect(scrollTopShowing(rows, 3, 169)).toBe(110);
  });

  it('shows the target at the top when even it alone is taller than the view', () => {
    expect(scrollTopShowing(rows, 2, 50)).toBe(110);
  });

  it('answers 0 for an empty list or a target that is not there', () => {
    expect(scrollTopShowing([], 0, 100)).toBe(0);
    expect(scrollTopShowing(rows, 9, 100)).toBe(0);
  });
});
