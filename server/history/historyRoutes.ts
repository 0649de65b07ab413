import { Router, type Request } from 'express';
import { z } from 'zod';
import { historyQuerySchema, nameVersionBodySchema, restoreBodySchema, revertAuthorBodySchema, versionQuerySchema } from '../../shared/history/history.js';
import { isId } from '../../shared/ids.js';
import type { Role } from '../../shared/roles.js';
import type { AccessResolver } from '../access/access.js';
import { DomainError } from '../domainError.js';
import type { EventService } from '../events/eventService.js';
import { authorize } from '../http/auth.js';
import { parseBody } from '../http/parseInput.js';
import type { SessionRow } from '../storage/rows.js';
import type { HistoryService } from './historyService.js';

export interface HistoryRoutesDeps {
  history: HistoryService;
  events: Pick<EventService, 'findSession'>;
  access: AccessResolver;
}

const revParams = z.object({ rev: z.coerce.number().int().min(1).max(2 ** 31) });

/**
 * The history API (README, HTTP API): the revisions, a revision's notes
 * (json with authorship, md, txt) or a diff, the authors of the current
 * notes, named versions, restore and revert-author. Reading needs any link;
 * restoring the edit link (423 while a moderator has locked the notes);
 * naming versions and reverting an author the moderate link.
 */
export function historyRoutes(deps: HistoryRoutesDeps): Router {
  const r = Router();
  const session = async (req: Request, needed: Role): Promise<{ row: SessionRow; role: Role }> => {
    const id = String(req.params.sessionId ?? '');
    if (!isId(id)) throw new DomainError('invalid_session_id');
    const row = await deps.events.findSession(id);
    return { row, role: (await authorize(deps.access, req, row.event_id, needed)).role };
  };

  r.get('/sessions/:sessionId/history', async (req, res) => {
    const { row } = await session(req, 'view');
    const q = parseBody(historyQuerySchema, req.query);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.history.list(row.id, q));
  });

  r.get('/sessions/:sessionId/history/:rev', async (req, res) => {
    const { row } = await session(req, 'view');
    const { rev } = parseBody(revParams, { rev: req.params.rev });
    const q = parseBody(versionQuerySchema, req.query);
    res.setHeader('Cache-Control', 'no-store');
    const format = q.format ?? 'json';
    if (format === 'json') {
      res.json(await deps.history.version(row.id, rev, { diff: q.diff }));
      return;
    }
    res.setHeader('Content-Type', format === 'md' ? 'text/markdown; charset=utf-8' : 'text/plain; charset=utf-8');
    res.send(await deps.history.versionText(row.id, rev, format));
  });

  r.get('/sessions/:sessionId/authors', async (req, res) => {
    const { row } = await session(req, 'view');
    res.setHeader('Cache-Control', 'no-store');
    res.json(await deps.history.authorsNow(row.id));
  });

  r.get('/sessions/:sessionId/versions', async (req, res) => {
    const { row } = await session(req, 'view');
    res.setHeader('Cache-Control', 'no-store');
    res.json({ versions: await deps.history.versions(row.id) });
  });

  r.post('/sessions/:sessionId/versions', async (req, res) => {
    const { row } = await session(req, 'moderate');
    const body = parseBody(nameVersionBodySchema, req.body);
    res.status(201).json(await deps.history.nameVersion(row.id, body.rev, body.name));
  });

  r.post('/sessions/:sessionId/restore', async (req, res) => {
    const { row, role } = await session(req, 'edit');
    const body = parseBody(restoreBodySchema, req.body);
    if (row.locked === 1 && role !== 'moderate') throw new DomainError('notes_locked');
    res.json(await deps.history.restore(row.id, body.rev, body.blockId, body.by));
  });

  r.post('/sessions/:sessionId/revert-author', async (req, res) => {
    const { row } = await session(req, 'moderate');
    const body = parseBody(revertAuthorBodySchema, req.body);
    res.json(await deps.history.revertAuthor(row.id, body.name, Date.parse(body.since), body.by));
  });

  return r;
}
