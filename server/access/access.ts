import { TOKEN_PATTERN } from '../../shared/ids.js';
import { roleAllows, type Role } from '../../shared/roles.js';
import { DomainError } from '../domainError.js';
import type { EventRepo } from '../storage/eventRepo.js';
import type { EventRow } from '../storage/rows.js';
import type { TokenRepo } from '../storage/tokenRepo.js';
import { hashToken } from './tokens.js';

/** What a link token grants: one event, one role. `tokenHash` names the link (rotating it ends its sockets and streams). */
export interface Access {
  event: EventRow;
  role: Role;
  tokenHash: string;
}

export interface AccessDeps {
  tokens: Pick<TokenRepo, 'resolve'>;
  events: Pick<EventRepo, 'find'>;
}

/**
 * Resolves capability tokens, once, for every door: the HTTP API (Bearer
 * header), the calendar feed (`?k=`) and the WebSocket upgrade (`?token=`).
 */
export class AccessResolver {
  constructor(private readonly deps: AccessDeps) {}

  /** The event and role a token grants, or null for a malformed, unknown or rotated token. */
  resolve(token: string): Access | null {
    if (!TOKEN_PATTERN.test(token)) return null;
    const tokenHash = hashToken(token);
    const found = this.deps.tokens.resolve(tokenHash);
    if (!found) return null;
    const event = this.deps.events.find(found.eventId);
    return event ? { event, role: found.role, tokenHash } : null;
  }

  /**
   * Who may open a session's notes over the WebSocket: `unknown_session` for
   * a session that does not exist (its event id is null), `link_invalid` for
   * a token that does not open this session's event.
   */
  forSession(eventId: string | null, token: string): { ok: true; role: Role; tokenHash: string } | { ok: false; why: 'unknown_session' | 'link_invalid' } {
    if (eventId === null) return { ok: false, why: 'unknown_session' };
    const access = this.resolve(token);
    if (!access || access.event.id !== eventId) return { ok: false, why: 'link_invalid' };
    return { ok: true, role: access.role, tokenHash: access.tokenHash };
  }

  /**
   * The access a token gives to `eventId`, at least `needed`. Unknown tokens
   * and tokens of other events are the same `link_invalid`, so tokens cannot
   * be probed event by event.
   */
  require(token: string | null, eventId: string, needed: Role): Access {
    if (!token) throw new DomainError('token_required');
    const access = this.resolve(token);
    if (!access || access.event.id !== eventId) throw new DomainError('link_invalid');
    if (!roleAllows(access.role, needed)) throw new DomainError('insufficient_role', { needed, role: access.role });
    return access;
  }
}
