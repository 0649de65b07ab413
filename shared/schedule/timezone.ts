/** Wall-clock times in IANA zones → UTC instants, with the DST rules documented below. */

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// Building an Intl.DateTimeFormat costs far more than using one, and these run per commit and per
// render; formatters are immutable, and there are only as many as IANA zones, so they are kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of an instant in an IANA time zone; throws RangeError for an unknown zone. */
export function localDate(instant: Date | string, timeZone: string): string {
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(timeZone, f);
  }
  const parts = f.formatToParts(typeof instant === 'string' ? new Date(instant) : instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The zone's UTC offset in minutes at an instant. */
export function offsetAt(tz: string, epochMs: number): number {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/**
 * Converts a wall time in `tz` to an instant. A time skipped by a spring-
 * forward gap (02:30 on the night clocks jump) is moved forward by the gap
 * (03:30); a time that occurs twice in the autumn takes the earlier instant
 * (daylight time).
 */
export function zonedToUtc(w: WallTime, tz: string): number {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const before = offsetAt(tz, naive - 86_400_000);
  const after = offsetAt(tz, naive + 86_400_000);
  const candidates = [...new Set([before, after])].map((off) => naive - off * 60_000).filter((t) => offsetAt(tz, t) * 60_000 === naive - t);
  if (candidates.length > 0) return Math.min(...candidates);
  // In the gap: interpret with the offset before the jump.
  return naive - before * 60_000;
}

export function wallTimeValid(w: WallTime): boolean {
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > 31 || w.hour > 24 || w.minute > 59 || w.second > 60) return false;
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day));
  return d.getUTCMonth() === w.month - 1 && d.getUTCDate() === w.day;
}
