import type { JSONContent } from '@tiptap/core';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { isEventRef } from '../../shared/ids.js';
import { roleSchema, createEventInputSchema, createSessionInputSchema, patchEventInputSchema } from '../../shared/schemas.js';
import type { EventService } from './eventService.js';
import { bearerToken, authorize } from '../http/auth.js';
import type { AccessResolver } from '../access/access.js';
import { DomainError } from '../domainError.js';
import { parseBody } from '../http/parseInput.js';
import type { EventStreamHub } from '../eventStream/streamHub.js';

export interface EventRoutesDeps {
  events: EventService;
  access: AccessResolver;
  stream: EventStreamHub;
  adminToken: string | null;
  origin(req: Request): string;
}

function eventRef(req: Request): string {
  const ref = String(req.params.eventId ?? '');
  if (!isEventRef(ref)) throw new DomainError('invalid_event_ref');
  return ref;
}

export function eventRoutes(deps: EventRoutesDeps): Router {
  const r = Router();

  r.post('/events', async (req, res) => {
    if (deps.adminToken && bearerToken(req) !== deps.adminToken) {
      throw new DomainError('admin_token_required');
    }
    const input = parseBody(createEventInputSchema, req.body);
    res.status(201).json(await deps.events.createEvent(input, deps.origin(req)));
  });

  r.get('/events/:eventId', async (req, res) => {
    const event = await deps.events.findEvent(eventRef(req));
    const { role } = await authorize(deps.access, req, event.id, 'view');
    res.json(await deps.events.eventWithSessions(event.id, role));
  });

  r.patch('/events/:eventId', async (req, res) => {
    const event = await deps.events.findEvent(eventRef(req));
    await authorize(deps.access, req, event.id, 'moderate');
    const patched = await deps.events.patchEvent(event.id, parseBody(patchEventInputSchema, req.body));
    deps.stream.changed(event.id);
    res.json(patched);
  });

  r.get('/events/:eventId/stream', async (req, res) => {
    const event = await deps.events.findEvent(eventRef(req));
    const { tokenHash, role } = await authorize(deps.access, req, event.id, 'view');
    await deps.stream.subscribe(event.id, { tokenHash, address: req.socket.remoteAddress ?? 'unknown', role }, res);
  });

  r.post('/events/:eventId/sessions', async (req, res) => {
    const event = await deps.events.findEvent(eventRef(req));
    await authorize(deps.access, req, event.id, 'moderate');
    const input = parseBody(createSessionInputSchema, req.body);
    res.status(201).json(await deps.events.createSession(event.id, input));
  });

  r.get('/events/:eventId/template', async (req, res) => {
    const event = await deps.events.findEvent(eventRef(req));
    await authorize(deps.access, req, event.id, 'view');
    res.json({ template: deps.events.templateOf(event) });
  });

  r.put('/events/:eventId/template', async (req, res) => {
    const event = await deps.events.findEvent(eventRef(req));
    await authorize(deps.access, req, event.id, 'moderate');
    const body = parseBody(
      z.strictObject({ template: z.looseObject({ type: z.literal('doc') }).nullable() }),
      req.body,
    );
    res.json({ template: await deps.events.setTemplate(event.id, body.template as JSONContent | null) });
  });

  r.get('/events/:eventId/links', async (req, res) => {
    const event = await deps.events.findEvent(eventRef(req));
    await authorize(deps.access, req, event.id, 'moderate');
    res.json({ links: await deps.events.currentLinks(event.id, deps.origin(req)) });
  });

  r.post('/events/:eventId/links/:role/rotate', async (req, res) => {
    const event = await deps.events.findEvent(eventRef(req));
    await authorize(deps.access, req, event.id, 'moderate');
    const role = roleSchema.safeParse(req.params.role);
    if (!role.success) throw new DomainError('invalid_role');
    res.json(await deps.events.rotateLink(event.id, role.data, deps.origin(req)));
  });

  return r;
}
