import { describe, expect, it } from 'vitest';
import { decideFollow, FOLLOW_HOLD_MS } from './followScroll.js';

const view = { viewTop: 100, viewHeight: 1000 };

describe('decideFollow', () => {
  it('stays while the followed line is inside the comfortable band', () => {
    expect(decideFollow({ ...view, targetTop: 500, targetBottom: 540, sinceLastMove: 0 })).toEqual({ kind: 'stay' });
  });

  it('scrolls a line below the band up to a little below the middle', () => {
    const d = decideFollow({ ...view, targetTop: 1300, targetBottom: 1340, sinceLastMove: 10_000 });
    expect(d).toEqual({ kind: 'scroll', by: 1340 - (100 + 620) });
  });

  it('scrolls back up to a line above the view', () => {
    const d = decideFollow({ ...view, targetTop: -400, targetBottom: -360, sinceLastMove: 10_000 });
    expect(d.kind).toBe('scroll');
    expect(d.kind === 'scroll' && d.by).toBeLessThan(0);
  });

  it('waits out the hold after a recent move instead of bouncing', () => {
    expect(decideFollow({ ...view, targetTop: 1300, targetBottom: 1340, sinceLastMove: 400 })).toEqual({ kind: 'wait', ms: FOLLOW_HOLD_MS - 400 });
  });
});
