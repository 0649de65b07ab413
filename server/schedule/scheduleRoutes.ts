import express, { Router, type Request } from 'express';
import { isEventRef } from '../../shared/ids.js';
import { LIMITS } from '../../shared/limits.js';
import { isKnownTimeZone } from '../../shared/schedule/timezone.js';
import type { EventService } from '../events/eventService.js';
import { authorize } from '../http/auth.js';
import type { AccessResolver } from '../access/access.js';
import { DomainError } from '../domainError.js';
import type { SessionStore, TokenStore } from '../storage/ports.js';
import { authorizeFeed, calendarFeed, feedUrl } from './calendarFeed.js';
import { importSchedule } from './scheduleImport.js';

export interface ScheduleRoutesDeps {
  events: EventService;
  sessions: Pick<SessionStore, 'listByEvent'>;
  tokens: Pick<TokenStore, 'activeTokens'>;
  access: AccessResolver;
  /** Base URL for links (the request's host when null). */
  origin(req: Request): string;
  now?: () => Date;
}

function eventRef(req: Request): string {
  const ref = String(req.params.eventId ?? '');
  if (!isEventRef(ref)) throw new DomainError('invalid_event_ref');
  return ref;
}

const sampleLang = (req: Request) => (req.query.lang === 'ja' ? 'ja' : 'en');

/** Mounted before the JSON body parser: the importer reads the raw bytes of any of its three formats. */
export function scheduleRoutes(deps: ScheduleRoutesDeps): Router {
  const r = Router();
  r.post(
    '/events/:eventId/schedule',
    express.raw({ type: () => true, limit: LIMITS.maxScheduleBytes }),
    async (req, res) => {
      const event = await deps.events.findEvent(eventRef(req));
      await authorize(deps.access, req, event.id, 'moderate');
      const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
      const unscheduled = req.query.unscheduled;
      if (unscheduled !== undefined && unscheduled !== 'import' && unscheduled !== 'skip') {
        throw new DomainError('invalid_choice', { field: 'unscheduled', allowed: 'import, skip' });
      }
      const body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
      if (body.length === 0) throw new DomainError('empty_body');
      const result = await importSchedule({ events: deps.events, sessions: deps.sessions }, event.id, body, req.get('content-type') ?? '', { dryRun, unscheduled });
      res.json(result);
    },
  );

  r.get('/events/:eventId/calendar.ics', async (req, res) => {
    const event = await deps.events.findEvent(eventRef(req));
    await authorizeFeed(deps.access, req, event.id);
    res.type('text/calendar; charset=utf-8');
    res.setHeader('Content-Disposition', `inline; filename="${event.slug}.ics"`);
    res.send(await calendarFeed(deps, event, deps.origin(req), deps.now?.() ?? new Date()));
  });

  r.get('/events/:eventId/calendar-link', async (req, res) => {
    const event = await deps.events.findEvent(eventRef(req));
    await authorize(deps.access, req, event.id, 'view');
    const view = (await deps.tokens.activeTokens(event.id)).view;
    if (!view) throw new DomainError('no_link', { role: 'view' });
    const url = feedUrl(deps.origin(req), event, view);
    res.json({ url, webcal: url.replace(/^https?:/, 'webcal:') });
  });

  // Samples for the import dialog, made from the parser's own column names; nothing secret in them.
  // They load (with ical.js) when first asked for.
  const samples = () => import('../../shared/schedule/samples.js');
  r.get('/schedule/sample.csv', async (req, res) => {
    const { sampleCsv } = await samples();
    const lang = sampleLang(req);
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="roundtable-sample-${lang}.csv"`);
    res.send('\uFEFF' + sampleCsv(lang));
  });
  r.get('/schedule/sample.ics', async (req, res) => {
    const { sampleIcs } = await samples();
    const lang = sampleLang(req);
    const tz = typeof req.query.tz === 'string' && req.query.tz.length <= 64 && isKnownTimeZone(req.query.tz) ? req.query.tz : 'UTC';
    res.type('text/calendar; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="roundtable-sample-${lang}.ics"`);
    res.send(sampleIcs(lang, tz));
  });
  return r;
}
