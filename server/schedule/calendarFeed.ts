import type { Request } from 'express';
import type { CalendarSession } from '../../shared/schedule/icsWriter.js';
import type { EventRow } from '../storage/rows.js';
import { sessionRowToFields } from '../storage/sessionRepo.js';
import type { SessionStore, TokenStore } from '../storage/ports.js';
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
export async function authorizeFeed(access: AccessResolver, req: Request, eventId: string): Promise<void> {
  if (bearerToken(req)) {
    await authorize(access, req, eventId, 'view');
    return;
  }
  const k = req.query[FEED_TOKEN_PARAM];
  const granted = await access.require(typeof k === 'string' && k ? k : null, eventId, 'view');
  if (granted.role !== 'view') throw new DomainError('feed_needs_view_link');
}

/** The subscription URL of an event's feed: always with the view token, whichever link asked. */
export function feedUrl(origin: string, event: EventRow, viewToken: string): string {
  return `${origin}/api/events/${encodeURIComponent(event.slug)}/calendar.ics?${FEED_TOKEN_PARAM}=${viewToken}`;
}

/** The event's schedule as iCalendar; each session links to its notes with the view link. */
export async function calendarFeed(deps: { sessions: Pick<SessionStore, 'listByEvent'>; tokens: Pick<TokenStore, 'activeTokens'> }, event: EventRow, origin: string, now: Date): Promise<string> {
  const view = (await deps.tokens.activeTokens(event.id)).view;
  const sessions: CalendarSession[] = (await deps.sessions.listByEvent(event.id)).map((row) => ({
    id: row.id,
    ...sessionRowToFields(row),
    updatedAt: row.updated_at,
    notesUrl: view ? `${origin}/e/${encodeURIComponent(event.slug)}/s/${row.id}#k=${view}` : null,
  }));
  // ical.js loads with the first feed asked for, not with every server.
  const { writeScheduleIcs } = await import('../../shared/schedule/icsWriter.js');
  return writeScheduleIcs({ title: event.title, timezone: event.timezone, sessions, now });
}
