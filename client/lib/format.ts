import { localDate } from '../../shared/schedule/timezone.js';

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hour12: false };
const DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
const DAY_YEAR: Intl.DateTimeFormatOptions = { ...DAY, year: 'numeric' };
const LOCAL: Intl.DateTimeFormatOptions = { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };

// Building an Intl.DateTimeFormat costs far more than using one, and the session page formats every
// action item's date on each render (one per keystroke in a long note): formatters are immutable, kept
// per language, zone and shape (a few dozen at most).
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: string, timeZone: string | undefined, shape: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone ?? ''}|${shape === TIME ? 't' : shape === DAY ? 'd' : shape === DAY_YEAR ? 'y' : 'l'}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { ...shape, ...(timeZone ? { timeZone } : {}) });
    formatters.set(key, f);
  }
  return f;
}

/** Times are shown in the event's time zone; the viewer's own time is offered on hover. */
export function formatTime(iso: string | null, timeZone: string, lang: string): string {
  if (!iso) return '';
  return formatter(lang, timeZone, TIME).format(new Date(iso));
}

export function formatDay(iso: string | null, timeZone: string, lang: string, withYear = false): string {
  if (!iso) return '';
  return formatter(lang, timeZone, withYear ? DAY_YEAR : DAY).format(new Date(iso));
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
  return formatter(lang, undefined, LOCAL).format(new Date(iso));
}

export function timeRange(s: { startsAt: string | null; endsAt: string | null }, tz: string, lang: string): string {
  if (!s.startsAt) return '';
  return `${formatDay(s.startsAt, tz, lang)} ${formatTime(s.startsAt, tz, lang)}${s.endsAt ? `–${formatTime(s.endsAt, tz, lang)}` : ''}`;
}

/**
 * The times alone when the session is on `now`'s day in the event's zone, else with its day (and year when
 * that differs): a screen showing one session all day must not let one moved to another day read as today's.
 */
export function timeRangeFromToday(s: { startsAt: string | null; endsAt: string | null }, tz: string, lang: string, now: number): string {
  if (!s.startsAt) return '';
  const day = sessionLocalDate(s.startsAt, tz);
  const today = sessionLocalDate(new Date(now).toISOString(), tz);
  const times = `${formatTime(s.startsAt, tz, lang)}${s.endsAt ? `–${formatTime(s.endsAt, tz, lang)}` : ''}`;
  if (day === null || today === null || day === today) return times;
  return `${formatDay(s.startsAt, tz, lang, day.slice(0, 4) !== today.slice(0, 4))} ${times}`;
}
