import { CLIENT_ID_HELD, CLOSE_CODES, FATAL_CLOSE_CODES } from '../../shared/closeCodes.js';

/** What to do after a socket closed: wait and try again, or give up for good. */
export type ReconnectDecision = { kind: 'retry'; delayMs: number } | { kind: 'stop' };

export interface ReconnectTiming {
  /** The first wait of an ordinary retry; it doubles per failed attempt. */
  baseMs: number;
  /** The longest wait between two attempts. */
  maxMs: number;
  /** After a graceful restart (1012) the first attempt comes within this window. */
  restartSpreadMs: number;
  /** A rate-limited connection (4429) waits at least this long. */
  rateLimitedMinMs: number;
}

export const DEFAULT_RECONNECT_TIMING: ReconnectTiming = { baseMs: 500, maxMs: 15_000, restartSpreadMs: 250, rateLimitedMinMs: 5_000 };

/**
 * How long to wait before reconnecting after the `attempt`-th close in a row
 * (0 for the first), whatever the close code: a socket that opens and is then
 * closed at once counts as a failure too, so no close code can make a tight
 * loop. Close codes that mean "this will never work" stop reconnecting.
 *
 * The wait is "equal jitter": half of the exponential step, plus a random
 * part of the other half, so a room of clients that lost the server at the
 * same moment does not come back in one burst.
 *
 * @example
 * reconnectDecision(0, 1006, Math.random) // → { kind: 'retry', delayMs: 250…500 }
 * reconnectDecision(3, 4409, Math.random) // → { kind: 'stop' }
 */
export function reconnectDecision(attempt: number, code: number | null, random: () => number, timing: ReconnectTiming = DEFAULT_RECONNECT_TIMING): ReconnectDecision {
  if (code !== null && FATAL_CLOSE_CODES.has(code)) return { kind: 'stop' };
  const r = Math.min(1, Math.max(0, random()));
  // A graceful restart: the server is coming straight back and nothing was lost, so the first try is (almost) immediate.
  if (code === CLOSE_CODES.serviceRestart && attempt === 0) return { kind: 'retry', delayMs: Math.round(r * timing.restartSpreadMs) };
  let step = Math.min(timing.maxMs, timing.baseMs * 2 ** Math.min(attempt, 30));
  if (code === CLOSE_CODES.rateLimited) step = Math.min(timing.maxMs, Math.max(step, timing.rateLimitedMinMs));
  return { kind: 'retry', delayMs: Math.round(step / 2 + (r * step) / 2) };
}

/**
 * The one exception to "4400 is final": the server refused our update because
 * another live connection holds our Yjs client id. For this page that is its
 * own old socket, which a network drop left open on the server; the server
 * drops it if it does not answer a ping, so one more try after that goes
 * through with every edit. Returns the wait before that try, or null: not
 * this refusal, or already tried since the last stable connection (a holder
 * that answers is someone else, and the refusal is final: no loop).
 *
 * @example
 * heldClientIdRetry(4400, CLIENT_ID_HELD.reason, false, Math.random) // → 6000…7000
 * heldClientIdRetry(4400, CLIENT_ID_HELD.reason, true, Math.random)  // → null
 */
export function heldClientIdRetry(code: number, reason: string, alreadyRetried: boolean, random: () => number): number | null {
  if (code !== CLOSE_CODES.badMessage || reason !== CLIENT_ID_HELD.reason || alreadyRetried) return null;
  return CLIENT_ID_HELD.retryAfterMs + Math.round(Math.min(1, Math.max(0, random())) * 1000);
}

/** How often a page whose session was removed (4404) looks whether it is back, when nobody tells it. */
export const GONE_RETRY_TIMING = { firstMs: 5000, maxMs: 60_000 } as const;

/**
 * The wait before the `attempt`-th look (0 for the first) whether a removed
 * session (4404) is back: a moderator's Undo brings it back with its notes,
 * and the page should come back with it. The event stream announces it at
 * once (lib/sessionReturn.ts); this slow, backing-off retry covers a page
 * whose stream missed it. 5 s, 10 s, 20 s, 40 s, then every 60 s, each
 * with equal jitter, so a room of pages does not knock together.
 *
 * @example
 * goneRetryDelay(0, Math.random) // → 2500…5000
 * goneRetryDelay(9, Math.random) // → 30000…60000
 */
export function goneRetryDelay(attempt: number, random: () => number): number {
  const r = Math.min(1, Math.max(0, random()));
  const step = Math.min(GONE_RETRY_TIMING.maxMs, GONE_RETRY_TIMING.firstMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + (r * step) / 2);
}
