import ICAL from 'ical.js';
import { offsetAt } from './timezone.js';

const WEEK = 7 * 86_400_000;

export interface ZoneTransition {
  /** The instant the offset changes. */
  at: number;
  /** UTC offsets in minutes before and after. */
  from: number;
  to: number;
}

/**
 * Every offset change of an IANA zone between two instants, found from the
 * runtime's own zone data (Intl): one probe a week, then a bisection to the
 * minute, about 80 probes (0.4 ms) a year. Two changes within one week
 * would be missed; no zone has had them.
 */
export function zoneTransitions(tz: string, fromMs: number, toMs: number): { initial: number; transitions: ZoneTransition[] } {
  const initial = offsetAt(tz, fromMs);
  const transitions: ZoneTransition[] = [];
  let prevAt = fromMs;
  let prevOffset = initial;
  for (let t = Math.min(fromMs + WEEK, toMs); ; t = Math.min(t + WEEK, toMs)) {
    const offset = offsetAt(tz, t);
    if (offset === prevOffset) {
      if (t >= toMs) break;
      prevAt = t;
      continue;
    }
    // The change lies in (prevAt, t]: bisect to the minute.
    let lo = prevAt;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(tz, mid) === prevOffset) lo = mid;
      else hi = mid;
    }
    transitions.push({ at: hi, from: prevOffset, to: offset });
    prevAt = t;
    prevOffset = offset;
    if (t >= toMs) break;
  }
  return { initial, transitions };
}

const names = new Map<string, Intl.DateTimeFormat>();
function shortName(tz: string, at: number): string {
  let f = names.get(tz);
  if (!f) names.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' })));
  return f.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? tz;
}

/** The wall time at instant `at` in a fixed offset (minutes), as a floating ical.js time. */
function wallAt(at: number, offset: number): ICAL.Time {
  const d = new Date(at + offset * 60_000);
  return ICAL.Time.fromData({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), isDate: false });
}

/**
 * A VTIMEZONE for `tzid` with the rules of the IANA zone `iana` over the
 * given ranges of years (each from the start of its first to the end of its
 * last year): one STANDARD or DAYLIGHT block per offset change, with its
 * exact local start, so historic rule changes come out right. Used to give ical.js the zones a file only names (IANA or Windows
 * ids), and to describe the event's zone in the calendar feed.
 */
export function vtimezoneFor(tzid: string, iana: string, years: readonly (readonly [fromYear: number, toYear: number])[]): ICAL.Component {
  const periods = years.map(([fromYear, toYear]) => {
    const from = Date.UTC(fromYear, 0, 1);
    return { from, ...zoneTransitions(iana, from, Date.UTC(toYear + 1, 0, 1)) };
  });
  const lowest = Math.min(...periods.flatMap((p) => [p.initial, ...p.transitions.map((t) => t.to)]));
  const vtz = new ICAL.Component('vtimezone');
  vtz.addPropertyWithValue('tzid', tzid);
  const period = (at: number, offsetFrom: number, offsetTo: number) => {
    const block = new ICAL.Component(offsetTo > lowest ? 'daylight' : 'standard');
    block.addPropertyWithValue('dtstart', wallAt(at, offsetFrom));
    block.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromSeconds(offsetFrom * 60));
    block.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromSeconds(offsetTo * 60));
    block.addPropertyWithValue('tzname', shortName(iana, at));
    vtz.addSubcomponent(block);
  };
  for (const p of periods) {
    period(p.from, p.initial, p.initial);
    for (const t of p.transitions) period(t.at, t.from, t.to);
  }
  return vtz;
}

/** Years as ranges that cover each given year and the next (recurrences reach up to 366 days on). */
export function yearRanges(years: Iterable<number>): [number, number][] {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const y of sorted) {
    const last = out.at(-1);
    if (last && y <= last[1] + 1) last[1] = Math.max(last[1], y + 1);
    else out.push([y, y + 1]);
  }
  return out;
}
