import type { EventLinks } from '../../shared/schemas.js';
import type { Role } from '../../shared/roles.js';
import { tokenFromHash } from '../lib/tokens.js';

export type JoinRole = 'edit' | 'view';

/**
 * The link the join panel shows for one session. A moderator picks the edit
 * or the view link (their own moderate token is never put on the screen);
 * anyone else shows the link they opened the projector with, which is at
 * most an edit link.
 */
export function joinLink(opts: { origin: string; slug: string; sessionId: string; role: Role; token: string; links: EventLinks | null; chosen: JoinRole }): { url: string; role: JoinRole } | null {
  const path = `/e/${encodeURIComponent(opts.slug)}/s/${opts.sessionId}`;
  if (opts.role !== 'moderate') return { url: `${opts.origin}${path}#k=${opts.token}`, role: opts.role === 'edit' ? 'edit' : 'view' };
  if (!opts.links) return null;
  try {
    const link = new URL(opts.links[opts.chosen]);
    const token = tokenFromHash(link.hash);
    return token ? { url: `${link.origin}${path}#k=${token}`, role: opts.chosen } : null;
  } catch {
    return null;
  }
}
