import { localDate } from '../../shared/schedule/timezone.js';
import type { ContributorStore, EventStore, SessionStore } from '../storage/ports.js';
import { sessionRowToFields } from '../storage/sessionRepo.js';
import type { SessionContext } from './tagger.js';

/** What parsing a session's action items needs: its event, its local date (year-less due dates), and the names that may own items. */
export async function sessionContext(
  deps: { events: Pick<EventStore, 'find'>; sessions: Pick<SessionStore, 'find'>; contributors: Pick<ContributorStore, 'list'> },
  sessionId: string,
): Promise<SessionContext | null> {
  const session = await deps.sessions.find(sessionId);
  const event = session ? await deps.events.find(session.event_id) : undefined;
  if (!session || !event) return null;
  const knownNames = [...sessionRowToFields(session).moderators, ...(await deps.contributors.list(sessionId))];
  return { eventId: event.id, sessionDate: session.starts_at ? localDate(session.starts_at, event.timezone) : null, knownNames };
}
