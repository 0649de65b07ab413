import { CLOSE_CODES } from '../../shared/closeCodes.js';

/**
 * Why the server refused what a client sent, as a metric label: a fixed set,
 * so no client-chosen text (and never a title, name or token) can become a
 * label value.
 */
export const REFUSAL_REASONS = ['malformed', 'too_large', 'nesting', 'nodes', 'text_length', 'read_only', 'locked', 'rate_limited', 'awareness'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Close codes counted in `roundtable_connections_closed_total{code}`: the documented ones, everything else is `other`. */
const KNOWN_CODES: ReadonlySet<number> = new Set(Object.values(CLOSE_CODES));

export function closeCodeLabel(code: number): string {
  return KNOWN_CODES.has(code) ? String(code) : 'other';
}

/**
 * The refusal a server-sent close code stands for, or null when the close
 * refuses nothing the client sent (a restart, a rotated link, a storage fault).
 * The reason text is read only to tell the limits apart; it is one of the
 * server's own fixed strings (server/collab).
 */
export function refusalOf(code: number, reason: string): RefusalReason | null {
  switch (code) {
    case CLOSE_CODES.messageTooBig:
      return 'too_large';
    case CLOSE_CODES.badMessage:
      if (reason.includes('nests too deeply')) return 'nesting';
      if (reason.includes('too many nodes')) return 'nodes';
      if (reason.includes('text node too long')) return 'text_length';
      return 'malformed';
    case CLOSE_CODES.forbiddenWrite:
      return reason.includes('locked') ? 'locked' : 'read_only';
    case CLOSE_CODES.rateLimited:
      return 'rate_limited';
    case CLOSE_CODES.awarenessRejected:
      return 'awareness';
    default:
      return null;
  }
}
