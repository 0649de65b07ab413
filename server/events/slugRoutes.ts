import { Router, type Request } from 'express';
import { SLUG_PATTERN } from '../../shared/ids.js';
import type { GuessCounter } from '../http/guessLimiter.js';
import { DomainError } from '../domainError.js';

export interface SlugRoutesDeps {
  /** Whether an event already answers to this name (as its slug or its id). */
  isTaken(slug: string): Promise<boolean>;
  /** Counts every look-up per address: the answers list which events exist, so guessing is cut off like join codes. */
  limiter: GuessCounter;
}

/**
 * `GET /api/slugs/:slug` → `{ available }`: the home page checks a chosen
 * short name while it is typed. No token: slugs are in public URLs anyway.
 */
export function slugRoutes(deps: SlugRoutesDeps): Router {
  const r = Router();
  r.get('/slugs/:slug', async (req: Request, res) => {
    const address = req.socket.remoteAddress ?? 'unknown';
    if (await deps.limiter.blocked(address)) throw new DomainError('rate_limited');
    await deps.limiter.fail(address);
    const slug = String(req.params.slug ?? '');
    if (!SLUG_PATTERN.test(slug)) throw new DomainError('invalid_slug');
    res.json({ available: !(await deps.isTaken(slug)) });
  });
  return r;
}
