import { describe, expect, it } from 'vitest';
import { decideFollow, FOLLOW_HOLD_MS, FOLLOW_STICKY_MS, OPENING_LAND_AT } from './followScroll.js';

// Notes longer than the screen.
const calm = { viewTop: 100, viewHeight: 1000, contentTop: -5000, contentBottom: 9000, sinceLastMove: 60_000, sinceOnScreenEdit: Infinity, distanceFromOnScreenEdit: Infinity };

describe('decideFollow', () => {
  it('stays while the followed line is inside the comfortable band', () => {
    expect(decideFollow({ ...calm, targetTop: 500, targetBottom: 540, sinceLastMove: 0 })).toEqual({ kind: 'stay' });
  });

  it('scrolls a line below the band up to a little below the middle', () => {
    expect(decideFollow({ ...calm, targetTop: 1300, targetBottom: 1340 })).toEqual({ kind: 'scroll', by: 1340 - (100 + 620) });
  });

  it('on opening, lands the end of the notes at the bottom of the screen, not a third of a screen above it', () => {
    expect(decideFollow({ ...calm, targetTop: 8960, targetBottom: 9000, landAt: OPENING_LAND_AT })).toEqual({ kind: 'scroll', by: 9000 - (100 + 960) });
  });

  it('scrolls back up to a line above the view', () => {
    const d = decideFollow({ ...calm, targetTop: -400, targetBottom: -360 });
    expect(d.kind === 'scroll' && d.by < 0).toBe(true);
  });

  it('waits out the hold after a recent move instead of bouncing', () => {
    expect(decideFollow({ ...calm, targetTop: 1300, targetBottom: 1340, sinceLastMove: 400 })).toEqual({ kind: 'wait', ms: FOLLOW_HOLD_MS - 400 });
  });

  it('follows one writer onto the next line at once, even while they were just typing on screen', () => {
    const d = decideFollow({ ...calm, targetTop: 960, targetBottom: 1000, sinceOnScreenEdit: 50, distanceFromOnScreenEdit: 45 });
    expect(d.kind).toBe('scroll');
  });

  it('stays with an active place on screen while someone else writes far away, and moves once it is quiet', () => {
    const far = { ...calm, targetTop: 5000, targetBottom: 5040, distanceFromOnScreenEdit: 4500 };
    expect(decideFollow({ ...far, sinceOnScreenEdit: 1000 })).toEqual({ kind: 'wait', ms: FOLLOW_STICKY_MS - 1000 });
    expect(decideFollow({ ...far, sinceOnScreenEdit: FOLLOW_STICKY_MS }).kind).toBe('scroll');
  });

  it('notes that fit on screen whole never move, even when their last line is below the band', () => {
    // The template's last line in the bottom 15%, the notes' top 30 px into the view: nothing is hidden.
    expect(decideFollow({ ...calm, contentTop: 130, contentBottom: 1000, targetTop: 960, targetBottom: 1000 })).toEqual({ kind: 'stay' });
  });

  it('notes a line longer than the screen are followed as before', () => {
    expect(decideFollow({ ...calm, contentTop: 130, contentBottom: 1140, targetTop: 1100, targetBottom: 1140 })).toEqual({ kind: 'scroll', by: 1140 - (100 + 620) });
  });
});
