import { Router } from 'express';
import { z } from 'zod';
import { isEventRef } from '../../shared/ids.js';
import { parseSearchQuery, SEARCH_LIMITS } from '../../shared/search/query.js';
import type { EventService } from '../events/eventService.js';
import { authorize } from '../http/auth.js';
import type { AccessResolver } from '../access/access.js';
import { DomainError } from '../domainError.js';
import { parseBody } from '../http/parseInput.js';
import type { SearchService } from './searchService.js';

export interface SearchRoutesDeps {
  service: SearchService;
  events: EventService;
  access: AccessResolver;
  /** Starts catching up sessions whose index is behind (answers do not wait for it). */
  refresh(eventId: string): void;
}

const querySchema = z.object({
  q: z.string().max(SEARCH_LIMITS.maxQueryChars),
  limit: z.coerce.number().int().min(1).max(SEARCH_LIMITS.maxResults).optional(),
});

/** `GET /api/events/:eventId/search?q=&limit=`: any link of the event; everything a view link may read, nothing more. */
export function searchRoutes(deps: SearchRoutesDeps): Router {
  const r = Router();
  r.get('/events/:eventId/search', async (req, res) => {
    const ref = String(req.params.eventId);
    if (!isEventRef(ref)) throw new DomainError('invalid_event_ref');
    const event = await deps.events.findEvent(ref);
    await authorize(deps.access, req, event.id, 'view');
    const q = parseBody(querySchema, req.query);
    const parsed = parseSearchQuery(q.q);
    if (!parsed.ok) {
      const { code, ...params } = parsed.error;
      throw DomainError.of(code, params);
    }
    deps.refresh(event.id);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.service.search(event.id, parsed.query, q.limit ?? SEARCH_LIMITS.defaultResults));
  });
  return r;
}
