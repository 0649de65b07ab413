import { localDate } from '../../shared/schedule/timezone.js';
import type { EventRepo } from '../storage/eventRepo.js';
import { sessionRowToFields, type SessionRepo } from '../storage/sessionRepo.js';
import type { SessionContext } from './tagger.js';

/** What parsing a session's action items needs: its event, its local date (year-less due dates), and the names that may own items. */
export function sessionContext(deps: { events: Pick<EventRepo, 'find'>; sessions: Pick<SessionRepo, 'find' | 'contributors'> }, sessionId: string): SessionContext | null {
  const session = deps.sessions.find(sessionId);
  const event = session ? deps.events.find(session.event_id) : undefined;
  if (!session || !event) return null;
  const knownNames = [...sessionRowToFields(session).moderators, ...deps.sessions.contributors(sessionId)];
  return { eventId: event.id, sessionDate: session.starts_at ? localDate(session.starts_at, event.timezone) : null, knownNames };
}
