import type { Request } from 'express';
import type { Role } from '../../shared/roles.js';
import type { Access, AccessResolver } from '../access/access.js';

export function bearerToken(req: Request): string | null {
  const header = req.get('authorization');
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

/** The request's link (its Bearer token) for `eventId`, with at least `needed`; throws the access module's errors. */
export function authorize(access: AccessResolver, req: Request, eventId: string, needed: Role): Promise<Access> {
  return access.require(bearerToken(req), eventId, needed);
}
