import { Router } from 'express';
import { isId } from '../../shared/ids.js';
import type { EventService } from '../events/eventService.js';
import { authorize } from '../http/auth.js';
import type { AccessResolver } from '../access/access.js';
import { DomainError } from '../domainError.js';
import { DocumentUnreadable } from '../collab/loadDocument.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';

export interface RepairRouteDeps {
  registry: Pick<RoomRegistry, 'repair'>;
  events: Pick<EventService, 'findSession'>;
  access: AccessResolver;
}

/**
 * POST /api/sessions/:sessionId/repair (moderate): makes damaged notes
 * writable again (see RoomRegistry.repair). Answers `{ repaired: false }`
 * for notes that are not damaged, and 409 `unreadable` when nothing of them
 * can be read (only a database backup helps then).
 */
export function repairRoutes(deps: RepairRouteDeps): Router {
  const r = Router();
  r.post('/sessions/:sessionId/repair', async (req, res) => {
    const id = String(req.params.sessionId ?? '');
    if (!isId(id)) throw new DomainError('invalid_session_id');
    const row = await deps.events.findSession(id);
    await authorize(deps.access, req, row.event_id, 'moderate');
    try {
      res.json(await deps.registry.repair(id));
    } catch (err) {
      if (err instanceof DocumentUnreadable) {
        throw new DomainError('notes_unreadable');
      }
      throw err;
    }
  });
  return r;
}
