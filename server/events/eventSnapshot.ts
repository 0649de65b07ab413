import type { LiveCounts, SessionDto } from '../../shared/schemas.js';
import type { EventSnapshot } from '../eventStream/streamDeltas.js';
import { eventLanguageOf, type EventRepo } from '../storage/eventRepo.js';
import { sessionRowToDto, type SessionRepo } from '../storage/sessionRepo.js';

export interface SessionListDeps {
  sessions: Pick<SessionRepo, 'listByEvent'>;
  /** Note-takers and readers in a session's notes right now. */
  live(sessionId: string): LiveCounts;
}

/** An event's sessions as the API shows them, in schedule order, with their live counts. */
export function sessionsOf(deps: SessionListDeps, eventId: string): SessionDto[] {
  return deps.sessions.listByEvent(eventId).map((s) => sessionRowToDto(s, deps.live(s.id)));
}

/** What a new event stream starts from: the event's own fields (a moderator's changes reach open pages too) and its sessions. */
export function eventSnapshot(deps: SessionListDeps & { events: Pick<EventRepo, 'find'> }, eventId: string): EventSnapshot | null {
  const event = deps.events.find(eventId);
  return event ? { event: { title: event.title, timezone: event.timezone, language: eventLanguageOf(event) }, sessions: sessionsOf(deps, eventId) } : null;
}
