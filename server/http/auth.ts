import type { Request } from 'express';
import { TOKEN_PATTERN } from '../../shared/ids.js';
import { roleAllows, type Role } from '../../shared/roles.js';
import type { TokenRepo } from '../storage/tokenRepo.js';
import { HttpError } from './httpError.js';

export function bearerToken(req: Request): string | null {
  const header = req.get('authorization');
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

/**
 * Checks that the request's token belongs to `eventId` with at least `needed`.
 * Unknown tokens and tokens of other events are the same 401 so that tokens
 * cannot be probed event by event.
 */
export function requireRole(tokens: TokenRepo, req: Request, eventId: string, needed: Role): Role {
  const token = bearerToken(req);
  if (!token) throw new HttpError('token_required');
  const resolved = TOKEN_PATTERN.test(token) ? tokens.resolve(token) : undefined;
  if (!resolved || resolved.eventId !== eventId) throw new HttpError('link_invalid');
  if (!roleAllows(resolved.role, needed)) {
    throw new HttpError('insufficient_role', { needed, role: resolved.role });
  }
  return resolved.role;
}
