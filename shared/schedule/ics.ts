import { LIMITS } from '../limits.js';
import { checkSession, splitList } from './fields.js';
import { isKnownTimeZone, wallTimeValid, zonedToUtc, type WallTime } from './timezone.js';
import { ScheduleErrors, type ImportedSession, type ScheduleParseResult } from './types.js';

/** Recurrences are expanded up to this many occurrences within this many days, or rejected. */
export const MAX_OCCURRENCES = 60;
export const MAX_RECURRENCE_DAYS = 366;
const MAX_LINE = 10_000;

interface Prop {
  name: string;
  params: Record<string, string>;
  value: string;
  line: number;
}

interface Component {
  type: string;
  props: Prop[];
  children: Component[];
  line: number;
}

/** Splits unfolded content lines into components. */
function parseComponents(lines: { text: string; line: number }[], errors: ScheduleErrors): Component | null {
  const root: Component = { type: 'ROOT', props: [], children: [], line: 0 };
  const stack: Component[] = [root];
  for (const { text, line } of lines) {
    if (!text.trim()) continue;
    if (text.length > MAX_LINE) {
      errors.add({ line, message: `line longer than ${MAX_LINE} characters` });
      continue;
    }
    const prop = parseProp(text, line);
    if (!prop) {
      errors.add({ line, message: 'not an iCalendar content line (NAME:value)' });
      continue;
    }
    if (prop.name === 'BEGIN') {
      if (stack.length > 8) {
        errors.add({ line, message: 'components nested too deeply' });
        return null;
      }
      const c: Component = { type: prop.value.toUpperCase(), props: [], children: [], line };
      stack[stack.length - 1]!.children.push(c);
      stack.push(c);
    } else if (prop.name === 'END') {
      const top = stack.pop();
      if (!top || top.type !== prop.value.toUpperCase()) {
        errors.add({ line, message: `END:${prop.value} does not match BEGIN:${top?.type ?? '(none)'}` });
        return null;
      }
    } else stack[stack.length - 1]!.props.push(prop);
  }
  if (stack.length > 1) {
    errors.add({ line: stack[stack.length - 1]!.line, message: `BEGIN:${stack[stack.length - 1]!.type} is never ended` });
    return null;
  }
  return root;
}

function parseProp(text: string, line: number): Prop | null {
  // The value starts at the first colon outside a quoted parameter value.
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon <= 0) return null;
  const [name, ...rawParams] = splitOutsideQuotes(text.slice(0, colon), ';');
  if (!name || !/^[A-Za-z0-9-]+$/.test(name)) return null;
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { name: name.toUpperCase(), params, value: text.slice(colon + 1), line };
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of s) {
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function unescapeText(v: string): string {
  return v.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Splits a TEXT list (CATEGORIES) on unescaped commas. */
function splitTextList(v: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\' && i + 1 < v.length) {
      cur += c + v[i + 1];
      i++;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((x) => unescapeText(x).trim()).filter(Boolean);
}

function parseDateTime(v: string): { wall: WallTime; utc: boolean; dateOnly: boolean } | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$/.exec(v.trim());
  if (!m) return null;
  const wall: WallTime = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
  if (!wallTimeValid(wall)) return null;
  return { wall, utc: m[7] === 'Z', dateOnly: m[4] === undefined };
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The date of e.g. "2SU" or "-1SU" in a month. */
function nthWeekday(year: number, month: number, spec: string): number | null {
  const m = /^([+-]?\d)?(SU|MO|TU|WE|TH|FR|SA)$/.exec(spec);
  if (!m) return null;
  const n = Number(m[1] ?? 1);
  const wd = WEEKDAYS.indexOf(m[2]!);
  if (n > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    return 1 + ((wd - first + 7) % 7) + (n - 1) * 7;
  }
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lastWd = new Date(Date.UTC(year, month - 1, lastDay)).getUTCDay();
  return lastDay - ((lastWd - wd + 7) % 7) + (n + 1) * 7;
}

function parseOffset(v: string | undefined): number | null {
  const m = /^([+-])(\d{2})(\d{2})(\d{2})?$/.exec((v ?? '').trim());
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : null;
}

function rrule(value: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of value.split(';')) {
    const [k, v] = part.split('=');
    if (k && v) out[k.toUpperCase()] = v.toUpperCase();
  }
  return out;
}

/** A zone defined only by the file's VTIMEZONE: STANDARD/DAYLIGHT with yearly BYMONTH/BYDAY rules. */
function vtimezoneResolver(tz: Component): (w: WallTime) => number | null {
  const rules = tz.children
    .filter((c) => c.type === 'STANDARD' || c.type === 'DAYLIGHT')
    .map((c) => {
      const get = (n: string) => c.props.find((p) => p.name === n)?.value;
      const start = parseDateTime(get('DTSTART') ?? '');
      const r = rrule(get('RRULE') ?? '');
      return { start, offset: parseOffset(get('TZOFFSETTO')), month: r.BYMONTH ? Number(r.BYMONTH) : start?.wall.month ?? 1, byday: r.BYDAY ?? null };
    })
    .filter((r): r is typeof r & { offset: number } => r.offset !== null && r.start !== null);
  return (w) => {
    if (rules.length === 0) return null;
    const local = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    let best: { at: number; offset: number } | null = null;
    for (const year of [w.year - 1, w.year]) {
      for (const r of rules) {
        const day = r.byday ? nthWeekday(year, r.month, r.byday) : r.start!.wall.day;
        if (day === null) continue;
        const at = Date.UTC(year, (r.byday ? r.month : r.start!.wall.month) - 1, day, r.start!.wall.hour, r.start!.wall.minute);
        if (at <= local && (!best || at > best.at)) best = { at, offset: r.offset };
      }
    }
    return best ? local - best.offset * 60_000 : local - rules[0]!.offset * 60_000;
  };
}

function parseDuration(v: string): number | null {
  const m = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(v.trim());
  if (!m) return null;
  const ms = ((+(m[2] ?? 0) * 7 + +(m[3] ?? 0)) * 86_400 + +(m[4] ?? 0) * 3600 + +(m[5] ?? 0) * 60 + +(m[6] ?? 0)) * 1000;
  return m[1] === '-' ? -ms : ms;
}

const MODERATORS = /(?:^|\n|\.\s)\s*(?:moderators?|chairs?|facilitators?|モデレータ[ー]?)\s*[:：]\s*([^\n]{1,300}?)(?:\.\s|\.$|\n|$)/iu;

/**
 * iCalendar as schedule sites export it (VEVENTs with TZID local times, UTC
 * or floating times; folded and escaped text). Recurring events expand to at
 * most MAX_OCCURRENCES within MAX_RECURRENCE_DAYS, or the file is rejected.
 */
export function parseIcs(text: string, eventTimezone: string, fileLines?: readonly number[]): ScheduleParseResult {
  const errors = new ScheduleErrors();
  const lines = text.split(/\r?\n/).map((t, i) => ({ text: t, line: fileLines?.[i] ?? i + 1 }));
  const root = parseComponents(lines, errors);
  const cal = root?.children.find((c) => c.type === 'VCALENDAR');
  if (!root || !cal) {
    if (!errors.any) errors.add({ message: 'no BEGIN:VCALENDAR' });
    return { ok: false, code: 'invalid_schedule', message: 'not a valid iCalendar file', details: errors.issues };
  }
  const calProp = (n: string) => cal.props.find((p) => p.name === n)?.value;
  const fileTz = calProp('X-WR-TIMEZONE');
  const floatingTz = fileTz && isKnownTimeZone(fileTz) ? fileTz : eventTimezone;
  const customZones = new Map<string, (w: WallTime) => number | null>();
  for (const z of cal.children.filter((c) => c.type === 'VTIMEZONE')) {
    const id = z.props.find((p) => p.name === 'TZID')?.value;
    if (id) customZones.set(id, vtimezoneResolver(z));
  }

  // Asking Intl about a zone builds a formatter; a file names the same zone hundreds of times.
  const zoneChecks = new Map<string, boolean>();
  const knownZone = (tz: string): boolean => {
    let known = zoneChecks.get(tz);
    if (known === undefined) zoneChecks.set(tz, (known = isKnownTimeZone(tz)));
    return known;
  };

  /** How a property's wall times become instants: UTC, a known IANA zone, the file's VTIMEZONE, or floating. */
  const resolverFor = (p: Prop, utc: boolean): ((w: WallTime) => number) | { error: string } => {
    if (utc) return (w) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    const tzid = p.params.TZID;
    if (!tzid) return (w) => zonedToUtc(w, floatingTz);
    if (knownZone(tzid)) return (w) => zonedToUtc(w, tzid);
    const custom = customZones.get(tzid);
    if (!custom) return { error: `unknown time zone "${tzid.slice(0, 60)}" (no matching VTIMEZONE)` };
    return (w) => custom(w) ?? Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  };

  const instant = (p: Prop | undefined): { ms: number; wall: WallTime; toUtc: (w: WallTime) => number } | { error: string } | null => {
    if (!p) return null;
    const dt = parseDateTime(p.value);
    if (!dt) return { error: `${p.name} "${p.value.slice(0, 40)}" is not a date-time` };
    const toUtc = resolverFor(p, dt.utc);
    if ('error' in toUtc) return toUtc;
    return { ms: toUtc(dt.wall), wall: dt.wall, toUtc };
  };

  const sessions: ImportedSession[] = [];
  for (const ev of cal.children.filter((c) => c.type === 'VEVENT')) {
    const prop = (n: string) => ev.props.find((p) => p.name === n);
    const all = (n: string) => ev.props.filter((p) => p.name === n);
    const at = (message: string, p?: Prop) => errors.add({ line: p?.line ?? ev.line, message });
    if (prop('STATUS')?.value.toUpperCase() === 'CANCELLED') continue;
    const start = instant(prop('DTSTART'));
    if (!start) {
      at('VEVENT without DTSTART');
      continue;
    }
    if ('error' in start) {
      at(start.error, prop('DTSTART'));
      continue;
    }
    let durationMs: number | null = null;
    const end = instant(prop('DTEND'));
    if (end && 'error' in end) at(end.error, prop('DTEND'));
    else if (end) durationMs = end.ms - start.ms;
    else if (prop('DURATION')) {
      durationMs = parseDuration(prop('DURATION')!.value);
      if (durationMs === null) at('DURATION is not a duration', prop('DURATION'));
    }
    const description = prop('DESCRIPTION') ? unescapeText(prop('DESCRIPTION')!.value).trim() : null;
    const mods = description ? MODERATORS.exec(description)?.[1] : undefined;
    const base: Omit<ImportedSession, 'startsAt' | 'endsAt' | 'uid'> = {
      title: unescapeText(prop('SUMMARY')?.value ?? '').trim(),
      room: prop('LOCATION') ? unescapeText(prop('LOCATION')!.value).trim() || null : null,
      track: null,
      moderators: splitList(mods),
      tags: all('CATEGORIES').flatMap((p) => splitTextList(p.value)),
      description,
    };
    const uid = prop('UID')?.value.trim() || null;
    let starts = [start.ms];
    const rule = prop('RRULE');
    if (rule) {
      const exdates = all('EXDATE').flatMap((p) => p.value.split(',').slice(0, MAX_OCCURRENCES * 4).map((v) => instant({ ...p, value: v })));
      const expanded = expand(rule, start.wall, start.toUtc, exdates);
      if ('error' in expanded) {
        at(expanded.error, rule);
        continue;
      }
      starts = expanded.starts;
    }
    for (const ms of starts) {
      const s: ImportedSession = {
        ...base,
        uid: uid && rule ? `${uid}#${new Date(ms).toISOString()}` : uid,
        startsAt: new Date(ms).toISOString(),
        endsAt: durationMs !== null ? new Date(ms + durationMs).toISOString() : null,
      };
      checkSession(s, errors, { line: ev.line });
      sessions.push(s);
    }
    if (sessions.length > LIMITS.maxSessionsPerEvent) {
      return { ok: false, code: 'invalid_schedule', message: `too many sessions (the limit is ${LIMITS.maxSessionsPerEvent})`, details: [] };
    }
  }
  if (errors.any) return { ok: false, code: 'invalid_schedule', message: `the calendar has ${errors.issues.length} problem(s)`, details: errors.issues };
  return { ok: true, title: calProp('X-WR-CALNAME') ? unescapeText(calProp('X-WR-CALNAME')!).trim() : null, timezone: fileTz && isKnownTimeZone(fileTz) ? fileTz : null, sessions, warnings: [] };
}

function expand(
  rule: Prop,
  startWall: WallTime,
  toUtc: (w: WallTime) => number,
  exdates: ({ ms: number } | { error: string } | null)[],
): { starts: number[] } | { error: string } {
  const r = rrule(rule.value);
  const freq = r.FREQ;
  if (freq !== 'DAILY' && freq !== 'WEEKLY') return { error: `RRULE FREQ=${(freq ?? '?').slice(0, 20)} is not supported (only DAILY and WEEKLY)` };
  const interval = Math.max(1, Math.min(365, Number(r.INTERVAL ?? 1) || 1));
  const count = r.COUNT !== undefined ? Number(r.COUNT) : null;
  const until = r.UNTIL ? parseDateTime(r.UNTIL) : null;
  if (r.UNTIL && !until) return { error: `RRULE UNTIL=${r.UNTIL.slice(0, 40)} is not a date-time` };
  if (count === null && !until) return { error: `RRULE without COUNT or UNTIL would repeat forever; at most ${MAX_OCCURRENCES} occurrences within ${MAX_RECURRENCE_DAYS} days are imported` };
  if (count !== null && (!Number.isInteger(count) || count < 0 || count > MAX_OCCURRENCES)) {
    return { error: `RRULE COUNT=${r.COUNT!.slice(0, 40)} is more than the ${MAX_OCCURRENCES} occurrences Roundtable imports` };
  }
  const startMs = toUtc(startWall);
  // UNTIL in UTC (Z) is an instant; otherwise it is a wall time like DTSTART.
  const untilMs = !until ? Infinity : until.utc ? Date.UTC(until.wall.year, until.wall.month - 1, until.wall.day, until.wall.hour, until.wall.minute, until.wall.second) : toUtc(until.wall);
  if (untilMs !== Infinity && untilMs > startMs + MAX_RECURRENCE_DAYS * 86_400_000) return { error: `RRULE UNTIL is more than ${MAX_RECURRENCE_DAYS} days after the first occurrence` };
  const byday = freq === 'WEEKLY' && r.BYDAY ? r.BYDAY.split(',').map((d) => WEEKDAYS.indexOf(d.slice(-2))).filter((d) => d >= 0) : null;
  const excluded = new Set(exdates.flatMap((e) => (e && 'ms' in e ? [e.ms] : [])));
  const starts: number[] = [];
  // EXDATEs remove occurrences after COUNT has been applied (RFC 5545 3.8.5.1).
  let generated = 0;
  // Steps are taken on the wall clock, so a weekly 09:00 session stays at 09:00 across a DST switch.
  for (let dayIndex = 0; dayIndex <= MAX_RECURRENCE_DAYS; dayIndex++) {
    const day = new Date(Date.UTC(startWall.year, startWall.month - 1, startWall.day + dayIndex));
    const wall: WallTime = { ...startWall, year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    const ms = toUtc(wall);
    if (ms > untilMs || (count !== null && generated >= count)) break;
    const weekday = day.getUTCDay();
    const include =
      freq === 'DAILY'
        ? dayIndex % interval === 0
        : Math.floor(dayIndex / 7) % interval === 0 && (byday ? byday.includes(weekday) : dayIndex % 7 === 0);
    if (include) generated++;
    if (include && !excluded.has(ms)) starts.push(ms);
    if (starts.length > MAX_OCCURRENCES) return { error: `RRULE creates more than ${MAX_OCCURRENCES} occurrences` };
  }
  return { starts };
}
