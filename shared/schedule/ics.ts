import ICAL from 'ical.js';
import { LIMITS } from '../limits.js';
import { parseRoomList } from '../sessionFields.js';
import { splitFeedDescription } from './feedDescription.js';
import { checkSession, importedSession, splitList } from './fields.js';
import { problemsMessage, ScheduleIssues, type IssuePlace } from './issues.js';
import { scanIcs, type ScannedEvent } from './icsScan.js';
import { expandOccurrences } from './recurrence.js';
import { offsetAt, wallTimeValid, zonedToUtc, type WallTime } from './timezone.js';
import type { ImportedFrom, ImportedSession, ScheduleParseResult } from './types.js';
import { vtimezoneFor, yearRanges } from './vtimezone.js';
import { ianaZoneFor } from './zones.js';

export { MAX_OCCURRENCES, MAX_RECURRENCE_DAYS } from './recurrence.js';

/** The PRODID of Roundtable's own calendar feed; its DESCRIPTION ends with lines the importer takes back off. */
export const ROUNDTABLE_PRODID = '-//Roundtable//Schedule//EN';

/** "Moderator: a, b" in a DESCRIPTION (sched and similar feeds say "Speakers:"). */
const MODERATORS = /(?:^|\n|\.\s)\s*(?:moderators?|chairs?|facilitators?|speakers?|presenters?|モデレータ[ー]?|司会|登壇者)\s*[:：]\s*([^\n]{1,300}?)(?:\.\s|\.$|\n|$)/iu;
const DATE_TIME_PROPS = ['DTSTART', 'DTEND', 'RECURRENCE-ID', 'EXDATE', 'RDATE'] as const;
const DATE_TIME = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/;
const DURATION = /^[+-]?P(?:\d+W|(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)$/;
const DAY = 86_400_000;
/** A schedule lives in a few zones and years; more would only make the zone tables expensive to build. */
const MAX_ZONES = 20;
const MAX_YEARS = 20;

/** Checks date-time values as written (ical.js turns "2016-04-25" into an invalid time without a word). */
function checkDateValues(ev: ScannedEvent, issues: ScheduleIssues): void {
  for (const p of ev.props) {
    if ((DATE_TIME_PROPS as readonly string[]).includes(p.name)) {
      const period = /VALUE=PERIOD/i.test(p.params);
      for (const v of p.value.split(',')) {
        const text = period ? v.split('/')[0]! : v;
        const m = DATE_TIME.exec(text.trim());
        const ok = m && wallTimeValid({ year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) });
        if (!ok || (period && !/^[^/]+\/(?:\d{8}T\d{6}Z?|[+-]?P\w+)$/.test(v.trim()))) {
          issues.add('ics_bad_datetime', { line: p.line }, { property: p.name, value: v.slice(0, 40) });
          break;
        }
      }
    } else if (p.name === 'DURATION' && !(DURATION.test(p.value.trim()) && p.value.trim().length > 1 && !/^[+-]?PT?$/.test(p.value.trim()))) {
      issues.add('ics_bad_duration', { line: p.line }, { value: p.value.slice(0, 40) });
    }
  }
}

const text = (c: ICAL.Component, name: string): string | null => {
  const v = c.getFirstPropertyValue(name);
  return typeof v === 'string' ? v : null;
};

/**
 * iCalendar as calendar apps and schedule sites export it (Google Calendar,
 * Outlook, Nextcloud, sched …), read by ical.js: TZID local times (IANA names,
 * Windows names, or the file's own VTIMEZONE with historic rules), UTC and
 * floating times (in X-WR-TIMEZONE, else the event's zone), DURATION,
 * all-day events, RRULE/RDATE/EXDATE and RECURRENCE-ID overrides. Roundtable's
 * rules sit on top: bounded recurrences, a UID per occurrence, and all or
 * nothing with every problem listed by line.
 */
export function parseIcs(source: string, eventTimezone: string, fileLines?: readonly number[]): ScheduleParseResult {
  const issues = new ScheduleIssues();
  const invalid = (): ScheduleParseResult => ({ ok: false, code: 'invalid_schedule', message: problemsMessage('the calendar', issues.list), details: issues.list });
  const scanned = scanIcs(source, fileLines, issues);
  if (!scanned || issues.any) return invalid();
  // Events with unreadable dates are reported and left out; the rest are still read, so the file's problems come all at once.
  const unreadable = new Set<number>();
  scanned.forEach((ev, i) => {
    const before = issues.list.length;
    checkDateValues(ev, issues);
    if (issues.list.length > before) unreadable.add(i);
  });

  let vcal: ICAL.Component;
  try {
    const jcal = ICAL.parse(source) as unknown[];
    const roots = (typeof jcal[0] === 'string' ? [jcal] : jcal) as unknown[][];
    vcal = new ICAL.Component(roots.find((r) => r[0] === 'vcalendar') as unknown[]);
  } catch {
    // The scan accepts every line ical.js is known to refuse; this is the library's own surprise.
    issues.add('ics_bad_line');
    return invalid();
  }
  const events = vcal.getAllSubcomponents('vevent');
  if (events.length !== scanned.length) {
    issues.add('ics_bad_line');
    return invalid();
  }

  // Time zones. A TZID Roundtable knows (IANA or Windows) uses the runtime's zone data, which has
  // every historic rule; other TZIDs use the file's VTIMEZONE. Either way ical.js gets a VTIMEZONE
  // for each, so it compares EXDATE, RECURRENCE-ID and UNTIL across zones correctly.
  const calZoneName = text(vcal, 'x-wr-timezone');
  const calZone = calZoneName ? ianaZoneFor(calZoneName) : undefined;
  const floatingTz = calZone || eventTimezone;
  const fileZones = new Map(vcal.getAllSubcomponents('vtimezone').map((z) => [String(z.getFirstPropertyValue('tzid') ?? ''), z]));
  const years = new Set(scanned.flatMap((e) => e.props.filter((p) => p.name === 'DTSTART').map((p) => Number(p.value.slice(0, 4)))));
  if (years.size > MAX_YEARS) {
    issues.add('too_many_years', {}, { max: MAX_YEARS });
    return invalid();
  }
  const ranges = yearRanges(years.size ? years : [new Date().getUTCFullYear()]);
  const ianaOf = new Map<string, string>();
  let tooManyZones = false;
  const addZone = (tzid: string, iana: string) => {
    if (ianaOf.has(tzid)) return;
    ianaOf.set(tzid, iana);
    const own = fileZones.get(tzid);
    if (own) vcal.removeSubcomponent(own);
    vcal.addSubcomponent(vtimezoneFor(tzid, iana, ranges));
  };
  const floatingId = `Roundtable-floating/${floatingTz}`;
  addZone(floatingId, floatingTz);
  const tzidUse = new Map<string, number>();
  // Asking Intl about a zone builds a formatter; a file names the same zone hundreds of times.
  const resolved = new Map<string, string | undefined>();
  const zoneFor = (tzid: string) => {
    if (!resolved.has(tzid)) {
      if (resolved.size >= MAX_ZONES) tooManyZones = true;
      else resolved.set(tzid, ianaZoneFor(tzid));
    }
    return resolved.get(tzid);
  };
  events.forEach((ev, i) => {
    if (unreadable.has(i) || tooManyZones) return;
    for (const name of ['dtstart', 'dtend', 'recurrence-id', 'exdate', 'rdate']) {
      for (const prop of ev.getAllProperties(name)) {
        const tzid = prop.getParameter('tzid');
        const first = String((prop.toJSON() as unknown[])[3] ?? '');
        if (typeof tzid === 'string' && tzid) {
          const iana = zoneFor(tzid);
          if (tooManyZones) return;
          if (iana) addZone(tzid, iana);
          else if (!fileZones.has(tzid)) {
            issues.add('unknown_timezone', { line: scanned[i]!.props.find((p) => p.name === name.toUpperCase())?.line ?? scanned[i]!.line }, { tzid: tzid.slice(0, 60) });
            unreadable.add(i);
          }
          if (name === 'dtstart') tzidUse.set(tzid, (tzidUse.get(tzid) ?? 0) + 1);
        } else if (prop.type === 'date-time' && !first.endsWith('Z')) {
          // Floating local time: read in the calendar's (or the event's) zone, like everything else.
          prop.setParameter('tzid', floatingId);
        }
      }
    }
  });
  if (tooManyZones) {
    issues.add('too_many_timezones', {}, { max: MAX_ZONES });
    return invalid();
  }

  const instantOf = (t: ICAL.Time): number => {
    const wall: WallTime = { year: t.year, month: t.month, day: t.day, hour: t.isDate ? 0 : t.hour, minute: t.isDate ? 0 : t.minute, second: t.isDate ? 0 : t.second };
    if (t.isDate) return zonedToUtc(wall, floatingTz);
    const tzid = t.zone?.tzid;
    if (tzid === 'UTC' || tzid === 'Z') return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
    const iana = tzid ? ianaOf.get(tzid) : undefined;
    if (iana) return zonedToUtc(wall, iana);
    if (tzid && fileZones.has(tzid)) return t.toUnixTime() * 1000;
    return zonedToUtc(wall, floatingTz);
  };

  const ours = text(vcal, 'prodid') === ROUNDTABLE_PRODID;
  const warnings = new ScheduleIssues();
  const sessions: ImportedSession[] = [];
  const sources: ImportedFrom[] = [];
  // RECURRENCE-ID overrides, by UID and the instant of the occurrence they replace.
  const overrides = new Map<string, Map<number, { component: ICAL.Component; index: number; used: boolean }>>();
  const masters: number[] = [];
  events.forEach((ev, i) => {
    if (unreadable.has(i)) return;
    const recurrenceId = ev.getFirstPropertyValue('recurrence-id');
    const uid = text(ev, 'uid');
    if (recurrenceId instanceof ICAL.Time && uid) {
      const byInstant = overrides.get(uid) ?? new Map();
      byInstant.set(instantOf(recurrenceId), { component: ev, index: i, used: false });
      overrides.set(uid, byInstant);
    } else masters.push(i);
  });

  const emit = (component: ICAL.Component, index: number, uid: string | null, startMs: number, endMs: number | null) => {
    const where: IssuePlace = { line: scanned[index]!.line };
    const raw = text(component, 'description');
    const { description, moderators } = ours && raw ? splitFeedDescription(raw) : { description: raw, moderators: splitList(raw ? MODERATORS.exec(raw)?.[1] : undefined) };
    const s = importedSession({
      uid,
      title: text(component, 'summary') ?? '',
      startsAt: new Date(startMs).toISOString(),
      endsAt: endMs !== null ? new Date(endMs).toISOString() : null,
      rooms: parseRoomList(text(component, 'location')),
      moderators,
      tags: component.getAllProperties('categories').flatMap((p) => p.getValues().map(String)),
      description,
    });
    checkSession(s, issues, where);
    sessions.push(s);
    sources.push(where);
    if (sessions.length > LIMITS.maxSessionsPerEvent) throw new TooManySessions();
  };

  /** Start and end of one component's own DTSTART/DTEND/DURATION. */
  const spanOf = (c: ICAL.Component, index: number): { start: ICAL.Time; startMs: number; endMs: number | null } | null => {
    const start = c.getFirstPropertyValue('dtstart');
    if (!(start instanceof ICAL.Time)) {
      issues.add('ics_no_start', { line: scanned[index]!.line });
      return null;
    }
    const startMs = instantOf(start);
    const end = c.getFirstPropertyValue('dtend');
    const duration = c.getFirstPropertyValue('duration');
    if (start.isDate) warnings.add('all_day', { line: scanned[index]!.line });
    let endMs: number | null = null;
    if (end instanceof ICAL.Time) endMs = instantOf(end);
    else if (duration instanceof ICAL.Duration) {
      if (start.isDate) {
        const e = start.clone();
        e.addDuration(duration);
        endMs = instantOf(e);
      } else endMs = startMs + duration.toSeconds() * 1000;
    } else if (start.isDate) {
      const e = start.clone();
      e.day += 1;
      endMs = instantOf(e);
    }
    return { start, startMs, endMs };
  };

  try {
    for (const i of masters) {
      const ev = events[i]!;
      const where: IssuePlace = { line: scanned[i]!.line };
      try {
        if (text(ev, 'status')?.toUpperCase() === 'CANCELLED') continue;
        const span = spanOf(ev, i);
        if (!span) continue;
        const uid = text(ev, 'uid')?.trim() || null;
        const recurring = ev.hasProperty('rrule') || ev.hasProperty('rdate');
        if (!recurring) {
          emit(ev, i, uid, span.startMs, span.endMs);
          continue;
        }
        const occurrences = expandOccurrences({ component: ev, scanned: scanned[i]!, dtstart: span.start, startMs: span.startMs, instantOf, issues });
        if (!occurrences) continue;
        const own = uid ? overrides.get(uid) : undefined;
        for (const t of occurrences) {
          const ms = instantOf(t);
          const occurrenceUid = uid ? `${uid}#${new Date(ms).toISOString()}` : null;
          const moved = own?.get(ms);
          if (moved) {
            moved.used = true;
            if (text(moved.component, 'status')?.toUpperCase() === 'CANCELLED') continue;
            const movedSpan = spanOf(moved.component, moved.index);
            if (movedSpan) emit(moved.component, moved.index, occurrenceUid, movedSpan.startMs, movedSpan.endMs);
            continue;
          }
          let endMs: number | null = null;
          if (span.endMs !== null) {
            if (t.isDate) {
              // All-day: the same number of days, whatever DST does in between.
              const e = t.clone();
              e.day += Math.round((span.endMs - span.startMs) / DAY);
              endMs = instantOf(e);
            } else endMs = ms + (span.endMs - span.startMs);
          }
          emit(ev, i, occurrenceUid, ms, endMs);
        }
      } catch (err) {
        if (err instanceof TooManySessions) throw err;
        issues.add('ics_unreadable_event', { ...where, uid: text(ev, 'uid')?.slice(0, 80), summary: text(ev, 'summary')?.slice(0, 80) });
      }
    }
    // An override of an occurrence no rule produces (or whose master is not in the file) stands on its own.
    for (const [uid, byInstant] of overrides) {
      for (const [ms, o] of byInstant) {
        if (o.used || text(o.component, 'status')?.toUpperCase() === 'CANCELLED') continue;
        const span = spanOf(o.component, o.index);
        if (span) emit(o.component, o.index, `${uid}#${new Date(ms).toISOString()}`, span.startMs, span.endMs);
      }
    }
  } catch (err) {
    if (!(err instanceof TooManySessions)) throw err;
    issues.add('too_many_sessions', {}, { count: `${LIMITS.maxSessionsPerEvent}+`, max: LIMITS.maxSessionsPerEvent });
    return invalid();
  }
  if (issues.any) return invalid();

  // The file's own zone: X-WR-TIMEZONE, else the zone most of its events start in.
  const mostUsed = [...tzidUse.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const fileTz = calZone || (mostUsed ? ianaOf.get(mostUsed) : undefined) || null;
  const first = sessions.find((s) => s.startsAt);
  if (fileTz && first && offsetAt(fileTz, Date.parse(first.startsAt!)) !== offsetAt(eventTimezone, Date.parse(first.startsAt!))) {
    warnings.add('timezone_differs', {}, { file: fileTz, event: eventTimezone });
  }
  const name = text(vcal, 'x-wr-calname');
  return { ok: true, title: name ? name.trim() || null : null, timezone: fileTz, sessions, sources, warnings: warnings.list };
}

class TooManySessions extends Error {}
