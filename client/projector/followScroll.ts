/** Where the followed place sits on the screen, and when the view last moved for it. */
export interface FollowInput {
  /** Viewport y of the place to keep in sight (top and bottom of its line). */
  targetTop: number;
  targetBottom: number;
  /** Viewport y and height of the scrolling notes area. */
  viewTop: number;
  viewHeight: number;
  /** ms since the view last moved by itself. */
  sinceLastMove: number;
}

export type FollowDecision = { kind: 'stay' } | { kind: 'scroll'; by: number } | { kind: 'wait'; ms: number };

/** The view moves at most this often: several typists in different places must not make it bounce. */
export const FOLLOW_HOLD_MS = 1500;
const BAND_TOP = 0.12;
const BAND_BOTTOM = 0.85;
/** Where the followed line lands after a move: below the middle, so the lines before it stay readable. */
const LAND_AT = 0.62;

/**
 * Decides whether the projector should scroll. Inside a comfortable band
 * nothing moves (typing on the same line never scrolls); outside it the view
 * glides so the line lands a little below the middle, but not more than once
 * per FOLLOW_HOLD_MS, so two people writing far apart don't make it jitter.
 */
export function decideFollow(i: FollowInput): FollowDecision {
  const top = i.viewTop + i.viewHeight * BAND_TOP;
  const bottom = i.viewTop + i.viewHeight * BAND_BOTTOM;
  if (i.targetTop >= top && i.targetBottom <= bottom) return { kind: 'stay' };
  if (i.sinceLastMove < FOLLOW_HOLD_MS) return { kind: 'wait', ms: FOLLOW_HOLD_MS - i.sinceLastMove };
  return { kind: 'scroll', by: Math.round(i.targetBottom - (i.viewTop + i.viewHeight * LAND_AT)) };
}
