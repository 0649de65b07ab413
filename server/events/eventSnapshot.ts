import type { LiveCounts, SessionDto } from '../../shared/schemas.js';
import type { EventSnapshot } from '../eventStream/streamDeltas.js';
import { eventLanguageOf } from '../storage/eventRepo.js';
import type { EventStore, SessionStore } from '../storage/ports.js';
import { sessionRowToDto } from '../storage/sessionRepo.js';

export interface SessionListDeps {
  sessions: Pick<SessionStore, 'listByEvent'>;
  /** Note-takers and readers in a session's notes right now. */
  live(sessionId: string): LiveCounts;
}

/** An event's sessions as the API shows them, in schedule order, with their live counts. */
export async function sessionsOf(deps: SessionListDeps, eventId: string): Promise<SessionDto[]> {
  return (await deps.sessions.listByEvent(eventId)).map((s) => sessionRowToDto(s, deps.live(s.id)));
}

/** What a new event stream starts from: the event's own fields (a moderator's changes reach open pages too) and its sessions. */
export async function eventSnapshot(deps: SessionListDeps & { events: Pick<EventStore, 'find'> }, eventId: string): Promise<EventSnapshot | null> {
  const event = await deps.events.find(eventId);
  return event ? { event: { title: event.title, timezone: event.timezone, language: eventLanguageOf(event) }, sessions: await sessionsOf(deps, eventId) } : null;
}
