import express, { Router } from 'express';
import { isEventRef } from '../../shared/ids.js';
import { LIMITS } from '../../shared/limits.js';
import type { EventService } from '../domain/eventService.js';
import { requireRole } from '../http/auth.js';
import { HttpError } from '../http/httpError.js';
import type { SessionRepo } from '../storage/sessionRepo.js';
import type { TokenRepo } from '../storage/tokenRepo.js';
import { importSchedule } from './scheduleImport.js';

export interface ScheduleRoutesDeps {
  events: EventService;
  sessions: SessionRepo;
  tokens: TokenRepo;
}

/** Mounted before the JSON body parser: the importer reads the raw bytes of any of its three formats. */
export function scheduleRoutes(deps: ScheduleRoutesDeps): Router {
  const r = Router();
  r.post(
    '/events/:eventId/schedule',
    express.raw({ type: () => true, limit: LIMITS.maxScheduleBytes }),
    (req, res) => {
      const ref = String(req.params.eventId);
      if (!isEventRef(ref)) throw new HttpError(400, 'invalid_id', 'invalid event id or slug');
      const event = deps.events.findEvent(ref);
      requireRole(deps.tokens, req, event.id, 'moderate');
      const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
      const unscheduled = req.query.unscheduled;
      if (unscheduled !== undefined && unscheduled !== 'import' && unscheduled !== 'skip') {
        throw new HttpError(400, 'invalid_request', 'unscheduled must be "import" or "skip"');
      }
      const body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
      if (body.length === 0) throw new HttpError(400, 'invalid_request', 'the request body is empty: send the schedule file');
      const result = importSchedule({ events: deps.events, sessions: deps.sessions }, event.id, body, req.get('content-type') ?? '', { dryRun, unscheduled });
      res.json(result);
    },
  );
  return r;
}
