import { Router } from 'express';
import { z } from 'zod';
import { isEventRef, isId } from '../../shared/ids.js';
import { contentDisposition } from '../../shared/minutes/filename.js';
import { minutesLabels } from '../../shared/minutes/labels.js';
import type { EventService } from '../domain/eventService.js';
import { requireRole } from '../http/auth.js';
import { HttpError, parseBody } from '../http/httpError.js';
import type { TokenRepo } from '../storage/tokenRepo.js';
import { createWorkerRenderer, type BinaryRenderer } from '../minutes/renderPool.js';
import type { MinutesSource } from './minutesData.js';
import { CONTENT_TYPES, EVENT_FORMATS, SESSION_FORMATS, renderEventMinutes, renderSessionMinutes } from './renderMinutes.js';

export interface MinutesRoutesDeps {
  source: MinutesSource;
  events: EventService;
  tokens: TokenRepo;
  /** Renders DOCX/PDF; defaults to a worker thread so a big export never stalls live editing. */
  binary?: BinaryRenderer;
}

/** Minutes downloads: any token of the event may export (tokens never appear inside). */
export function minutesRoutes(deps: MinutesRoutesDeps): Router {
  const r = Router();
  const binary = deps.binary ?? createWorkerRenderer();

  r.get('/sessions/:sessionId/minutes', async (req, res) => {
    const id = String(req.params.sessionId);
    if (!isId(id)) throw new HttpError('invalid_session_id');
    const session = deps.events.findSession(id);
    requireRole(deps.tokens, req, session.event_id, 'view');
    const { format } = parseBody(z.object({ format: z.enum(SESSION_FORMATS).default('md') }), req.query);
    const event = deps.events.findEvent(session.event_id);
    const body = await renderSessionMinutes(await deps.source.session(event, session), format, binary);
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', contentDisposition(`${event.slug} - ${session.title}.${format}`));
    res.send(typeof body === 'string' ? body : Buffer.from(body));
  });

  r.get('/events/:eventId/minutes', async (req, res) => {
    const ref = String(req.params.eventId);
    if (!isEventRef(ref)) throw new HttpError('invalid_event_ref');
    const event = deps.events.findEvent(ref);
    requireRole(deps.tokens, req, event.id, 'view');
    const { format } = parseBody(z.object({ format: z.enum(EVENT_FORMATS).default('md') }), req.query);
    const body = await renderEventMinutes(await deps.source.event(event), format, binary);
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', contentDisposition(`${minutesLabels(event.language).minutesFile(event.title)}.${format}`));
    res.send(typeof body === 'string' ? body : Buffer.from(body));
  });

  return r;
}
