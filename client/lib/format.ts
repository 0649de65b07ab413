import { localDate } from '../../shared/schedule/timezone.js';

/** Times are shown in the event's time zone; the viewer's own time is offered on hover. */
export function formatTime(iso: string | null, timeZone: string, lang: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

export function formatDay(iso: string | null, timeZone: string, lang: string, withYear = false): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}) }).format(new Date(iso));
}

/** Whether calendar dates (YYYY-MM-DD) fall in more than one year: then day labels need the year ("Mon 29 Dec" twice a year apart). */
export const spansYears = (dates: readonly string[]): boolean => new Set(dates.filter(Boolean).map((d) => d.slice(0, 4))).size > 1;

/** The session's calendar date in the event's zone, or null (no start, or a zone this browser does not know). */
export function sessionLocalDate(startsAt: string | null | undefined, timeZone: string): string | null {
  if (!startsAt) return null;
  try {
    return localDate(startsAt, timeZone);
  } catch {
    return null;
  }
}

export function formatLocal(iso: string | null, lang: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}

export function timeRange(s: { startsAt: string | null; endsAt: string | null }, tz: string, lang: string): string {
  if (!s.startsAt) return '';
  return `${formatDay(s.startsAt, tz, lang)} ${formatTime(s.startsAt, tz, lang)}${s.endsAt ? `–${formatTime(s.endsAt, tz, lang)}` : ''}`;
}
