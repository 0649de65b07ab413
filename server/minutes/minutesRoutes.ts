import { Router, type Response } from 'express';
import { z } from 'zod';
import { isEventRef, isId } from '../../shared/ids.js';
import { contentDisposition } from '../../shared/minutes/filename.js';
import { minutesLabels } from '../../shared/minutes/labels.js';
import type { EventService } from '../events/eventService.js';
import { authorize } from '../http/auth.js';
import type { AccessResolver } from '../access/access.js';
import { DomainError } from '../domainError.js';
import { parseBody } from '../http/parseInput.js';
import type { RenderJob } from './renderJob.js';
import { RenderRefused, type MinutesRenderer } from './renderPool.js';
import type { MinutesSource } from './minutesSource.js';
import { CONTENT_TYPES, EVENT_FORMATS, SESSION_FORMATS } from './renderMinutes.js';

export interface MinutesRoutesDeps {
  source: MinutesSource;
  events: EventService;
  access: AccessResolver;
  /** Renders every format off the event loop (server/minutes/renderPool.ts). */
  renderer: MinutesRenderer;
}

/** Renders through the pool; its refusals become clear 4xx/5xx answers. */
async function render(renderer: MinutesRenderer, job: RenderJob, res: Response): Promise<Uint8Array> {
  try {
    return await renderer.render(job);
  } catch (err) {
    if (!(err instanceof RenderRefused)) throw err;
    if (err.code === 'export_busy') res.setHeader('Retry-After', '5');
    throw DomainError.of(err.code, err.params);
  }
}

/**
 * Sends the bytes as they are: `res.send` would hash them for an ETag on the
 * event loop (tens of milliseconds for a big export), and minutes are never cached.
 */
function sendBytes(res: Response, type: string, disposition: string, body: Uint8Array): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', disposition);
  res.setHeader('Content-Length', String(body.byteLength));
  res.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

/** Minutes downloads: any token of the event may export (tokens never appear inside). */
export function minutesRoutes(deps: MinutesRoutesDeps): Router {
  const r = Router();

  r.get('/sessions/:sessionId/minutes', async (req, res) => {
    const id = String(req.params.sessionId);
    if (!isId(id)) throw new DomainError('invalid_session_id');
    const session = await deps.events.findSession(id);
    await authorize(deps.access, req, session.event_id, 'view');
    const { format } = parseBody(z.object({ format: z.enum(SESSION_FORMATS).default('md') }), req.query);
    const event = await deps.events.findEvent(session.event_id);
    const body = await render(deps.renderer, { scope: 'session', format, minutes: await deps.source.sessionInput(event, session) }, res);
    sendBytes(res, CONTENT_TYPES[format], contentDisposition(`${event.slug} - ${session.title}.${format}`), body);
  });

  r.get('/events/:eventId/minutes', async (req, res) => {
    const ref = String(req.params.eventId);
    if (!isEventRef(ref)) throw new DomainError('invalid_event_ref');
    const event = await deps.events.findEvent(ref);
    await authorize(deps.access, req, event.id, 'view');
    const { format } = parseBody(z.object({ format: z.enum(EVENT_FORMATS).default('md') }), req.query);
    const body = await render(deps.renderer, { scope: 'event', format, minutes: await deps.source.eventInput(event) }, res);
    sendBytes(res, CONTENT_TYPES[format], contentDisposition(`${minutesLabels(event.language).minutesFile(event.title)}.${format}`), body);
  });

  return r;
}
