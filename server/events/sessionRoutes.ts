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

  r.get('/sessions/:sessionId', (req, res) => {
    const row = deps.events.findSession(sessionId(req));
    authorize(deps.access, req, row.event_id, 'view');
    res.json(deps.events.sessionDto(row.id));
  });

  r.patch('/sessions/:sessionId', (req, res) => {
    const row = deps.events.findSession(sessionId(req));
    authorize(deps.access, req, row.event_id, 'moderate');
    res.json(deps.events.patchSession(row.id, parseBody(patchSessionInputSchema, req.body)));
  });

  r.delete('/sessions/:sessionId', (req, res) => {
    const row = deps.events.findSession(sessionId(req));
    authorize(deps.access, req, row.event_id, 'moderate');
    deps.events.deleteSession(row.id);
    res.status(204).end();
  });

  // Undo of a delete: the session comes back with its notes. Undeleting one that is back already is a no-op.
  r.post('/sessions/:sessionId/undelete', (req, res) => {
    const id = sessionId(req);
    const eventId = deps.events.eventOfDeletedSession(id) ?? deps.events.findSession(id).event_id;
    authorize(deps.access, req, eventId, 'moderate');
    res.json(deps.events.eventOfDeletedSession(id) ? deps.events.undeleteSession(id, eventId) : deps.events.sessionDto(id));
  });

  return r;
}
