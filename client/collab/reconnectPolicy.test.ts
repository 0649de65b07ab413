import { describe, expect, it } from 'vitest';
import { CLIENT_ID_HELD, CLOSE_CODES, FATAL_CLOSE_CODES } from '../../shared/closeCodes.js';
import { DEFAULT_RECONNECT_TIMING, GONE_RETRY_TIMING, goneRetryDelay, heldClientIdRetry, reconnectDecision } from './reconnectPolicy.js';

const delay = (attempt: number, code: number | null, r: number) => {
  const d = reconnectDecision(attempt, code, () => r);
  if (d.kind !== 'retry') throw new Error(`expected a retry, got ${d.kind}`);
  return d.delayMs;
};

describe('reconnect policy', () => {
  it('stops for every close code that means "this will never work", including 4400 and 4422', () => {
    expect(FATAL_CLOSE_CODES.has(CLOSE_CODES.badMessage)).toBe(true);
    expect(FATAL_CLOSE_CODES.has(CLOSE_CODES.documentDamaged)).toBe(true);
    for (const code of FATAL_CLOSE_CODES) expect(reconnectDecision(0, code, () => 0.5)).toEqual({ kind: 'stop' });
  });

  it('never retries at once after a refusal, whatever the close code: even a socket closed right after opening waits', () => {
    // 4403 is what a reader that wrote got; 1006 an abnormal close; null a close the browser reported without a code.
    for (const code of [CLOSE_CODES.forbiddenWrite, CLOSE_CODES.internalError, CLOSE_CODES.awarenessRejected, 1001, 1000, 1006, null]) {
      expect(delay(0, code, 0)).toBeGreaterThanOrEqual(DEFAULT_RECONNECT_TIMING.baseMs / 2);
    }
  });

  it('doubles the wait per failed attempt up to the ceiling', () => {
    const lows = [0, 1, 2, 3, 4, 5].map((a) => delay(a, 1006, 0));
    expect(lows).toEqual([250, 500, 1000, 2000, 4000, 7500]);
    expect(delay(50, 1006, 1)).toBe(DEFAULT_RECONNECT_TIMING.maxMs);
    expect(delay(1e9, 1006, 1)).toBe(DEFAULT_RECONNECT_TIMING.maxMs);
  });

  it('adds jitter: the wait spreads over the upper half of each step', () => {
    expect(delay(2, 1006, 0)).toBe(1000);
    expect(delay(2, 1006, 1)).toBe(2000);
    const seen = new Set(Array.from({ length: 50 }, (_, i) => delay(2, 1006, i / 49)));
    expect(seen.size).toBeGreaterThan(40);
    // Out-of-range randomness cannot push the wait outside the step.
    expect(delay(2, 1006, -3)).toBe(1000);
    expect(delay(2, 1006, 7)).toBe(2000);
  });

  it('1012 (graceful restart) reconnects almost at once the first time, then backs off like any other close', () => {
    expect(delay(0, CLOSE_CODES.serviceRestart, 0)).toBe(0);
    expect(delay(0, CLOSE_CODES.serviceRestart, 1)).toBe(DEFAULT_RECONNECT_TIMING.restartSpreadMs);
    expect(delay(1, CLOSE_CODES.serviceRestart, 0)).toBe(delay(1, 1006, 0));
  });

  it('a rate-limited connection (4429) waits at least the rate-limit minimum', () => {
    expect(delay(0, CLOSE_CODES.rateLimited, 0)).toBeGreaterThanOrEqual(DEFAULT_RECONNECT_TIMING.rateLimitedMinMs / 2);
    expect(delay(0, CLOSE_CODES.rateLimited, 1)).toBe(DEFAULT_RECONNECT_TIMING.rateLimitedMinMs);
  });

  it('tries once more after "client id held by another live connection" (4400), after the server has checked the holder; never twice', () => {
    expect(heldClientIdRetry(CLOSE_CODES.badMessage, CLIENT_ID_HELD.reason, false, () => 0)).toBe(CLIENT_ID_HELD.retryAfterMs);
    expect(heldClientIdRetry(CLOSE_CODES.badMessage, CLIENT_ID_HELD.reason, false, () => 1)).toBe(CLIENT_ID_HELD.retryAfterMs + 1000);
    expect(CLIENT_ID_HELD.retryAfterMs).toBeGreaterThan(CLIENT_ID_HELD.holderAnswerMs);
    // The second refusal in a row is final, like any other 4400.
    expect(heldClientIdRetry(CLOSE_CODES.badMessage, CLIENT_ID_HELD.reason, true, () => 0)).toBeNull();
    expect(heldClientIdRetry(CLOSE_CODES.badMessage, 'malformed update', false, () => 0)).toBeNull();
    expect(heldClientIdRetry(CLOSE_CODES.internalError, CLIENT_ID_HELD.reason, false, () => 0)).toBeNull();
    expect(reconnectDecision(0, CLOSE_CODES.badMessage, () => 0.5)).toEqual({ kind: 'stop' });
  });
});

describe('looking again whether a removed session (4404) is back', () => {
  it('4404 stays a stop for the ordinary policy: the slow look-again is its own schedule', () => {
    expect(reconnectDecision(0, CLOSE_CODES.unknownSession, () => 0.5)).toEqual({ kind: 'stop' });
  });

  it('waits 5 s at first, doubles, and never waits more than a minute, with jitter in the upper half', () => {
    expect(goneRetryDelay(0, () => 0)).toBe(2500);
    expect(goneRetryDelay(0, () => 1)).toBe(5000);
    expect(goneRetryDelay(1, () => 1)).toBe(10_000);
    expect(goneRetryDelay(3, () => 1)).toBe(40_000);
    for (const attempt of [4, 5, 10, 100, 10_000]) {
      expect(goneRetryDelay(attempt, () => 1)).toBe(GONE_RETRY_TIMING.maxMs);
      expect(goneRetryDelay(attempt, () => 0)).toBe(GONE_RETRY_TIMING.maxMs / 2);
    }
    // A random source out of range is clamped.
    expect(goneRetryDelay(0, () => 7)).toBe(5000);
    expect(goneRetryDelay(0, () => -1)).toBe(2500);
  });
});
