import type { Request } from 'express';
import { writeScheduleIcs, type CalendarSession } from '../../shared/schedule/icsWriter.js';
import type { EventRow } from '../storage/rows.js';
import type { SessionRepo } from '../storage/sessionRepo.js';
import { sessionRowToFields } from '../storage/sessionRepo.js';
import type { TokenRepo } from '../storage/tokenRepo.js';
import { bearerToken, authorize } from '../http/auth.js';
import type { AccessResolver } from '../access/access.js';
import { DomainError } from '../domainError.js';

/** The query parameter that carries the token of a calendar subscription (this route only). */
export const FEED_TOKEN_PARAM = 'k';

/**
 * Who may read the feed. Calendar apps cannot send headers, so the token
 * may come as `?k=` here, and only here; and there only the view token is
 * accepted, because a subscription URL ends up in calendar servers and their
 * logs. A Bearer header works with any link, as everywhere else.
 */
export function authorizeFeed(access: AccessResolver, req: Request, eventId: string): void {
  if (bearerToken(req)) {
    authorize(access, req, eventId, 'view');
    return;
  }
  const k = req.query[FEED_TOKEN_PARAM];
  const granted = access.require(typeof k === 'string' && k ? k : null, eventId, 'view');
  if (granted.role !== 'view') throw new DomainError('feed_needs_view_link');
}

/** The subscription URL of an event's feed: always with the view token, whichever link asked. */
export function feedUrl(origin: string, event: EventRow, viewToken: string): string {
  return `${origin}/api/events/${encodeURIComponent(event.slug)}/calendar.ics?${FEED_TOKEN_PARAM}=${viewToken}`;
}

/** The event's schedule as iCalendar; each session links to its notes with the view link. */
export function calendarFeed(deps: { sessions: SessionRepo; tokens: TokenRepo }, event: EventRow, origin: string, now: Date): string {
  const view = deps.tokens.activeTokens(event.id).view;
  const sessions: CalendarSession[] = deps.sessions.listByEvent(event.id).map((row) => ({
    id: row.id,
    ...sessionRowToFields(row),
    updatedAt: row.updated_at,
    notesUrl: view ? `${origin}/e/${encodeURIComponent(event.slug)}/s/${row.id}#k=${view}` : null,
  }));
  return writeScheduleIcs({ title: event.title, timezone: event.timezone, sessions, now });
}
