/** Where the followed place sits on the screen, and what the view did lately. */
export interface FollowInput {
  /** Viewport y of the place to keep in sight (top and bottom of its line). */
  targetTop: number;
  targetBottom: number;
  /** Viewport y and height of the scrolling notes area. */
  viewTop: number;
  viewHeight: number;
  /** Viewport y of the notes' first and last line: notes that fit on screen whole never move. */
  contentTop: number;
  contentBottom: number;
  /** ms since the view last moved by itself. */
  sinceLastMove: number;
  /** ms since someone last wrote at a place that was on screen (Infinity when following one person). */
  sinceOnScreenEdit: number;
  /** px between the target and that on-screen place (Infinity when unknown). */
  distanceFromOnScreenEdit: number;
  /** Where a move puts the target's bottom, as a share of the view's height (LAND_AT unless given). */
  landAt?: number;
}

export type FollowDecision = { kind: 'stay' } | { kind: 'scroll'; by: number } | { kind: 'wait'; ms: number };

/** The view moves at most this often. */
export const FOLLOW_HOLD_MS = 1200;
/** While someone keeps writing on screen, an edit far away waits this long after their last keystroke. */
export const FOLLOW_STICKY_MS = 3000;
const BAND_TOP = 0.12;
const BAND_BOTTOM = 0.85;
/** Where the followed line lands after a move: below the middle, so the lines before it stay readable. */
const LAND_AT = 0.62;
/**
 * Where the end of the notes lands when the projector opens on notes already
 * written: at the bottom, so the screen is full of the latest lines. Landing
 * it at LAND_AT, as a live edit does, left a third of the screen blank below
 * the notes, which looks broken to a room that has not seen anyone type yet.
 */
export const OPENING_LAND_AT = 0.96;
/** Further apart than this share of the screen, two edits are "different places". */
const ELSEWHERE = 0.75;

/**
 * Decides whether the projector should scroll. Inside a comfortable band
 * nothing moves, so typing on the same lines never scrolls. A new line just
 * below the band is followed at once. When several people write in places
 * far apart, the view stays with the place on screen while it is active and
 * moves only after it has been quiet for FOLLOW_STICKY_MS, and never more
 * than once per FOLLOW_HOLD_MS: the room sees calm moves, not jitter.
 */
export function decideFollow(i: FollowInput): FollowDecision {
  const top = i.viewTop + i.viewHeight * BAND_TOP;
  const bottom = i.viewTop + i.viewHeight * BAND_BOTTOM;
  if (i.targetTop >= top && i.targetBottom <= bottom) return { kind: 'stay' };
  // Short notes (a template, the start of a session) are all in sight already: a move would only hide their top.
  if (i.contentTop >= i.viewTop && i.contentBottom <= i.viewTop + i.viewHeight) return { kind: 'stay' };
  if (i.sinceLastMove < FOLLOW_HOLD_MS) return { kind: 'wait', ms: FOLLOW_HOLD_MS - i.sinceLastMove };
  if (i.distanceFromOnScreenEdit > i.viewHeight * ELSEWHERE && i.sinceOnScreenEdit < FOLLOW_STICKY_MS) {
    return { kind: 'wait', ms: FOLLOW_STICKY_MS - i.sinceOnScreenEdit };
  }
  return { kind: 'scroll', by: Math.round(i.targetBottom - (i.viewTop + i.viewHeight * (i.landAt ?? LAND_AT))) };
}
