import { Router } from 'express';
import { z } from 'zod';
import { contributorsToCsv, contributorsToMarkdown } from '../../shared/contributors/export.js';
import { buildContributors, type ContributorDto } from '../../shared/contributors/report.js';
import { isEventRef } from '../../shared/ids.js';
import { contentDisposition } from '../../shared/minutes/filename.js';
import { minutesLabels } from '../../shared/minutes/labels.js';
import type { EventService } from '../events/eventService.js';
import { authorize } from '../http/auth.js';
import type { AccessResolver } from '../access/access.js';
import { DomainError } from '../domainError.js';
import { parseBody } from '../http/parseInput.js';
import type { ActionItemStore, ContributorStore, SessionStore } from '../storage/ports.js';
import type { AuthorCharCounts } from './authorCharCounts.js';

export interface ContributorsRoutesDeps {
  events: EventService;
  access: AccessResolver;
  sessions: Pick<SessionStore, 'listByEvent'>;
  contributors: Pick<ContributorStore, 'list'>;
  actionItems: Pick<ActionItemStore, 'listByEvent'>;
  counts: AuthorCharCounts;
  /** Brings the search index's counts up to the notes before reading them. */
  flush(eventId: string): void | Promise<void>;
}

const querySchema = z.object({ format: z.enum(['json', 'csv', 'md']).optional() });

const list = (json: string): string[] => {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

/** `GET /api/events/:eventId/contributors[?format=csv|md]`: who took notes, moderated and owns action items (any link). */
export function contributorsRoutes(deps: ContributorsRoutesDeps): Router {
  const r = Router();
  r.get('/events/:eventId/contributors', async (req, res) => {
    const ref = String(req.params.eventId);
    if (!isEventRef(ref)) throw new DomainError('invalid_event_ref');
    const event = await deps.events.findEvent(ref);
    await authorize(deps.access, req, event.id, 'view');
    const { format } = parseBody(querySchema, req.query);
    await deps.flush(event.id);
    const rows: ContributorDto[] = buildContributors({
      sessions: await Promise.all(
        (await deps.sessions.listByEvent(event.id)).map(async (s) => ({ id: s.id, title: s.title, moderators: list(s.moderators), noteTakers: await deps.contributors.list(s.id) })),
      ),
      actionItems: (await deps.actionItems.listByEvent(event.id)).map((i) => ({ owners: list(i.owners), status: i.status })),
      chars: await deps.counts.byEvent(event.id),
    });
    res.setHeader('Cache-Control', 'no-store');
    if (!format || format === 'json') {
      res.json(rows);
      return;
    }
    const labels = minutesLabels(event.language);
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'text/markdown; charset=utf-8');
    res.setHeader('Content-Disposition', contentDisposition(`${event.slug}-contributors.${format}`));
    res.send(format === 'csv' ? contributorsToCsv(rows) : contributorsToMarkdown(rows, event.title, labels));
  });
  return r;
}
