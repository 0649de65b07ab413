import { formatJoinCode, normalizeJoinCode } from '../../shared/ids.js';
import { parseEventLink } from '../lib/tokens.js';

export type RejoinTarget =
  /** A join code: the server's /j/ page turns it into the session link with its current token. */
  | { kind: 'code'; url: string }
  /** A link: remember its token for the event, and open `url`. */
  | { kind: 'link'; eventRef: string; token: string; url: string };

/**
 * Where a pasted "new link or join code" leads. A link to this same event
 * (the event page, or any of its sessions) reopens the page the person is on
 * with the new key; a link to another event opens that link as it is.
 *
 * @example
 * rejoinTarget('bc57-pxxk', here) // → { kind: 'code', url: '/j/BC57-PXXK' }
 */
export function rejoinTarget(input: string, here: { eventRef: string; path: string }): RejoinTarget | null {
  const text = input.trim();
  const code = normalizeJoinCode(text.replace(/^.*\/j\//, ''));
  if (code) return { kind: 'code', url: `/j/${formatJoinCode(code)}` };
  const link = parseEventLink(text);
  if (!link) return null;
  const path = link.eventRef === here.eventRef ? here.path : link.path;
  return { kind: 'link', eventRef: link.eventRef, token: link.token, url: `${path}#k=${link.token}` };
}
