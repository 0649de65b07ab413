import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  actionItemsToCsv,
  actionItemsToIcs,
  actionItemsToJson,
  actionItemsToMarkdown,
  type ActionItemExportRow,
} from '../../shared/actionItems/export.js';
import { tagKey } from '../../shared/actionItems/normalize.js';
import { canWriteNotes } from '../../shared/access.js';
import { isEventRef, isId } from '../../shared/ids.js';
import { actionItemStatusSchema } from '../../shared/schemas.js';
import { shortText } from '../../shared/sessionFields.js';
import { contentDisposition } from '../../shared/minutes/filename.js';
import { minutesLabels, type MinutesLabels } from '../../shared/minutes/labels.js';
import type { EventService } from '../events/eventService.js';
import { authorize } from '../http/auth.js';
import type { AccessResolver } from '../access/access.js';
import { DomainError } from '../domainError.js';
import { parseBody } from '../http/parseInput.js';
import { actionItemRowToDto } from '../storage/actionItemRepo.js';
import type { ActionItemRow, ActionItemStore } from '../storage/ports.js';
import type { ActionItemService } from './actionItemService.js';

export interface ActionItemRoutesDeps {
  repo: ActionItemStore;
  service: ActionItemService;
  events: EventService;
  access: AccessResolver;
  today(timezone: string): string;
}

const listQuerySchema = z.object({
  status: actionItemStatusSchema.optional(),
  owner: z.string().max(120).optional(),
  tag: z.string().max(120).optional(),
  session: z.string().regex(/^[a-z2-7]{16}$/, 'invalid session id').optional(),
  overdue: z.enum(['true', 'false', '1', '0']).optional(),
  format: z.enum(['json', 'csv', 'md', 'ics']).optional(),
});

const FORMATS = {
  json: { type: 'application/json; charset=utf-8', ext: 'json' },
  csv: { type: 'text/csv; charset=utf-8', ext: 'csv' },
  md: { type: 'text/markdown; charset=utf-8', ext: 'md' },
  ics: { type: 'text/calendar; charset=utf-8', ext: 'ics' },
} as const;

export function actionItemRoutes(deps: ActionItemRoutesDeps): Router {
  const r = Router();

  const exportRows = async (rows: ActionItemRow[], eventTitle: string, eventId: string): Promise<ActionItemExportRow[]> => {
    const sessions = new Map((await deps.events.sessionsOf(eventId)).map((s) => [s.id, s]));
    return rows.map((row) => ({
      ...actionItemRowToDto(row),
      sessionTitle: sessions.get(row.session_id)?.title ?? '',
      eventTitle,
      sessionStartsAt: sessions.get(row.session_id)?.startsAt ?? null,
    }));
  };

  /** title names the export (the session's or the event's); eventTitle always fills the rows' event field. */
  const send = async (
    res: Response,
    rows: ActionItemRow[],
    format: keyof typeof FORMATS | undefined,
    meta: { title: string; eventTitle: string; eventId: string; base: string; labels: MinutesLabels },
  ) => {
    if (!format) {
      res.json({ items: rows.map(actionItemRowToDto) });
      return;
    }
    const exported = await exportRows(rows, meta.eventTitle, meta.eventId);
    const body =
      format === 'csv'
        ? actionItemsToCsv(exported)
        : format === 'md'
          ? actionItemsToMarkdown(exported, meta.labels.actionItemsOf(meta.title))
          : format === 'ics'
            ? actionItemsToIcs(exported, { calendarName: meta.labels.actionItemsOf(meta.title), now: new Date() })
            : actionItemsToJson(exported);
    res.setHeader('Content-Type', FORMATS[format].type);
    res.setHeader('Content-Disposition', contentDisposition(`${meta.base}-action-items.${FORMATS[format].ext}`));
    res.send(body);
  };

  r.get('/sessions/:sessionId/action-items', async (req, res) => {
    const id = String(req.params.sessionId);
    if (!isId(id)) throw new DomainError('invalid_session_id');
    const session = await deps.events.findSession(id);
    await authorize(deps.access, req, session.event_id, 'view');
    const q = parseBody(listQuerySchema, req.query);
    const event = await deps.events.findEvent(session.event_id);
    await send(res, await deps.service.listSession(id), q.format, { title: session.title, eventTitle: event.title, eventId: event.id, base: session.title, labels: minutesLabels(event.language) });
  });

  r.get('/events/:eventId/action-items', async (req: Request, res) => {
    const ref = String(req.params.eventId);
    if (!isEventRef(ref)) throw new DomainError('invalid_event_ref');
    const event = await deps.events.findEvent(ref);
    await authorize(deps.access, req, event.id, 'view');
    const q = parseBody(listQuerySchema, req.query);
    const sessions = await deps.events.sessionsOf(event.id);
    const sessionIds = sessions.map((s) => s.id);
    const overdue = q.overdue === 'true' || q.overdue === '1';
    const tag = q.tag === undefined ? undefined : tagKey(q.tag);
    // A session's tags are its working groups (search's tag: and the minutes agree), so its items carry them too.
    const tagSessionIds = tag ? sessions.filter((s) => s.tags.some((x) => tagKey(x) === tag)).map((s) => s.id) : undefined;
    const filter = { status: q.status, owner: q.owner, tag: q.tag, tagSessionIds, sessionId: q.session, overdueOn: overdue ? deps.today(event.timezone) : undefined };
    const rows = await deps.service.listEvent(event.id, filter, sessionIds);
    await send(res, rows, q.format, { title: event.title, eventTitle: event.title, eventId: event.id, base: event.slug, labels: minutesLabels(event.language) });
  });

  r.patch('/action-items/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!isId(id)) throw new DomainError('invalid_action_item_id');
    const row = await deps.service.find(id);
    if (!row) throw new DomainError('action_item_not_found');
    const { role } = await authorize(deps.access, req, row.event_id, 'edit');
    const body = parseBody(z.strictObject({ status: actionItemStatusSchema }), req.body);
    // The status lands in the notes, so locked notes stay read-only here too.
    if (!canWriteNotes(role, { locked: (await deps.events.findSession(row.session_id)).locked === 1 })) throw new DomainError('locked');
    const updated = await deps.service.setStatus(id, body.status);
    res.json(actionItemRowToDto(updated));
  });

  r.post('/sessions/:sessionId/carry-forward', async (req, res) => {
    const id = String(req.params.sessionId);
    if (!isId(id)) throw new DomainError('invalid_session_id');
    const target = await deps.events.findSession(id);
    await authorize(deps.access, req, target.event_id, 'moderate');
    const body = parseBody(
      z.strictObject({
        fromSessionId: z.string().regex(/^[a-z2-7]{16}$/, 'invalid session id'),
        // The moderator's client sends the heading in its own language; the notes have no language of their own.
        heading: shortText(300).pipe(z.string().min(1)).optional(),
      }),
      req.body,
    );
    const source = await deps.events.findSession(body.fromSessionId);
    if (source.event_id !== target.event_id) throw new DomainError('carry_across_events');
    if (source.id === target.id) throw new DomainError('carry_into_itself');
    const heading = body.heading ?? minutesLabels((await deps.events.findEvent(target.event_id)).language).carriedForwardFrom(source.title);
    res.json(await deps.service.carryForward(source.id, heading, target.id));
  });

  return r;
}
