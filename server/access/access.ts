import { TOKEN_PATTERN } from '../../shared/ids.js';
import { roleAllows, type Role } from '../../shared/roles.js';
import { DomainError } from '../domainError.js';
import type { EventRow } from '../storage/rows.js';
import type { EventStore, TokenStore } from '../storage/ports.js';
import { hashToken } from './tokens.js';

/** What a link token grants: one event, one role. `tokenHash` names the link (rotating it ends its sockets and streams). */
export interface Access {
  event: EventRow;
  role: Role;
  tokenHash: string;
}

/** Who may open a session's notes over the WebSocket. */
export type SessionAccess = { ok: true; role: Role; tokenHash: string } | { ok: false; why: 'unknown_session' | 'link_invalid' };

export interface AccessDeps {
  tokens: Pick<TokenStore, 'resolve'>;
  events: Pick<EventStore, 'find'>;
}

/**
 * Resolves capability tokens, once, for every door: the HTTP API (Bearer
 * header), the calendar feed (`?k=`) and the WebSocket upgrade (`?token=`).
 */
export class AccessResolver {
  constructor(private readonly deps: AccessDeps) {}

  /** The event and role a token grants, or null for a malformed, unknown or rotated token. */
  async resolve(token: string): Promise<Access | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const tokenHash = hashToken(token);
    const found = await this.deps.tokens.resolve(tokenHash);
    if (!found) return null;
    const event = await this.deps.events.find(found.eventId);
    return event ? { event, role: found.role, tokenHash } : null;
  }

  /**
   * Who may open a session's notes over the WebSocket: `unknown_session` for
   * a session that does not exist (its event id is null), `link_invalid` for
   * a token that does not open this session's event.
   */
  async forSession(eventId: string | null, token: string): Promise<SessionAccess> {
    if (eventId === null) return { ok: false, why: 'unknown_session' };
    const access = await this.resolve(token);
    if (!access || access.event.id !== eventId) return { ok: false, why: 'link_invalid' };
    return { ok: true, role: access.role, tokenHash: access.tokenHash };
  }

  /**
   * The access a token gives to `eventId`, at least `needed`. Unknown tokens
   * and tokens of other events are the same `link_invalid`, so tokens cannot
   * be probed event by event.
   */
  async require(token: string | null, eventId: string, needed: Role): Promise<Access> {
    if (!token) throw new DomainError('token_required');
    const access = await this.resolve(token);
    if (!access || access.event.id !== eventId) throw new DomainError('link_invalid');
    if (!roleAllows(access.role, needed)) throw new DomainError('insufficient_role', { needed, role: access.role });
    return access;
  }
}
