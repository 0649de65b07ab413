import { offsetAt, zonedToUtc, type WallTime } from './schedule/timezone.js';
import type { SessionDto } from './schemas.js';

/** The wall-clock time an instant shows in an IANA zone. */
export function wallTimeIn(instant: string, timeZone: string): WallTime {
  const ms = Date.parse(instant);
  const local = new Date(ms + offsetAt(timeZone, ms) * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/**
 * The instant that shows in `toZone` the wall-clock time `instant` shows in
 * `fromZone`: 09:00 in Europe/London → 09:00 in Asia/Tokyo. Times that do not
 * exist in the new zone (a spring-forward gap) move forward, as the importer
 * reads them.
 */
export function sameLocalTime(instant: string, fromZone: string, toZone: string): string {
  const ms = Date.parse(instant);
  return new Date(zonedToUtc(wallTimeIn(instant, fromZone), toZone) + (((ms % 1000) + 1000) % 1000)).toISOString();
}

export type TimedSession = Pick<SessionDto, 'id' | 'title' | 'startsAt' | 'endsAt'>;

export interface ZoneChangeRow {
  id: string;
  title: string;
  before: { startsAt: string; endsAt: string | null };
  after: { startsAt: string; endsAt: string | null };
}

/**
 * What a change of the event's zone does to each session with a time, in
 * schedule order. `keepLocalTimes` keeps the wall-clock times (the moments
 * move); otherwise the moments stay and the local times change. The server
 * applies exactly this, so the preview and the result cannot differ.
 */
export function zoneChangeRows(sessions: readonly TimedSession[], fromZone: string, toZone: string, keepLocalTimes: boolean): ZoneChangeRow[] {
  const move = (at: string | null) => (at && keepLocalTimes ? sameLocalTime(at, fromZone, toZone) : at);
  return sessions
    .filter((s): s is TimedSession & { startsAt: string } => s.startsAt !== null)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.title.localeCompare(b.title))
    .map((s) => ({
      id: s.id,
      title: s.title,
      before: { startsAt: s.startsAt, endsAt: s.endsAt },
      after: { startsAt: move(s.startsAt)!, endsAt: move(s.endsAt) },
    }));
}
