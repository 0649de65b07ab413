import { Router, type Request } from 'express';
import { isId } from '../../shared/ids.js';
import { patchSessionInputSchema } from '../../shared/schemas.js';
import type { EventService } from './eventService.js';
import { authorize } from '../http/auth.js';
import type { AccessResolver } from '../access/access.js';
import { DomainError } from '../domainError.js';
import { parseBody } from '../http/parseInput.js';

export interface SessionRoutesDeps {
  events: EventService;
  access: AccessResolver;
}

function sessionId(req: Request): string {
  const id = String(req.params.sessionId ?? '');
  if (!isId(id)) throw new DomainError('invalid_session_id');
  return id;
}

export function sessionRoutes(deps: SessionRoutesDeps): Router {
  const r = Router();

  r.get('/sessions/:sessionId', async (req, res) => {
    const row = await deps.events.findSession(sessionId(req));
    await authorize(deps.access, req, row.event_id, 'view');
    res.json(await deps.events.sessionDto(row.id));
  });

  r.patch('/sessions/:sessionId', async (req, res) => {
    const row = await deps.events.findSession(sessionId(req));
    await authorize(deps.access, req, row.event_id, 'moderate');
    res.json(await deps.events.patchSession(row.id, parseBody(patchSessionInputSchema, req.body)));
  });

  r.delete('/sessions/:sessionId', async (req, res) => {
    const row = await deps.events.findSession(sessionId(req));
    await authorize(deps.access, req, row.event_id, 'moderate');
    await deps.events.deleteSession(row.id);
    res.status(204).end();
  });

  // Undo of a delete: the session comes back with its notes. Undeleting one that is back already is a no-op.
  r.post('/sessions/:sessionId/undelete', async (req, res) => {
    const id = sessionId(req);
    const deletedOf = await deps.events.eventOfDeletedSession(id);
    const eventId = deletedOf ?? (await deps.events.findSession(id)).event_id;
    await authorize(deps.access, req, eventId, 'moderate');
    res.json(deletedOf ? await deps.events.undeleteSession(id, eventId) : await deps.events.sessionDto(id));
  });

  return r;
}
