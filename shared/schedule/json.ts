import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { parseRoomList } from '../sessionFields.js';
import { checkSession, importedSession, rowTimes } from './fields.js';
import { problemsMessage, ScheduleIssues } from './issues.js';
import { isKnownTimeZone, offsetAt } from './timezone.js';
import type { ImportedFrom, ImportedSession, ScheduleParseResult } from './types.js';

const text = (max: number) => z.string().max(max);
const names = z.union([z.array(text(LIMITS.shortFieldMaxLength)).max(LIMITS.maxModerators), text(2000)]);

const sessionSchema = z.object({
  title: text(LIMITS.titleMaxLength),
  day: text(40).optional(),
  date: text(40).optional(),
  start: text(40).optional(),
  end: text(40).optional(),
  /** One room, or several as `A; B`. */
  room: text(LIMITS.shortFieldMaxLength * 4).nullable().optional(),
  rooms: z.union([z.array(text(LIMITS.shortFieldMaxLength)).max(LIMITS.maxRoomsPerSession), text(LIMITS.shortFieldMaxLength * 4)]).nullable().optional(),
  track: text(LIMITS.shortFieldMaxLength).nullable().optional(),
  moderators: names.optional(),
  tags: names.optional(),
  description: text(LIMITS.descriptionMaxLength).nullable().optional(),
  uid: text(300).nullable().optional(),
});

const fileSchema = z.object({
  title: text(LIMITS.titleMaxLength).optional(),
  timezone: text(64).optional(),
  sessions: z.array(z.unknown()),
});

const list = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : (v ?? '').split(/\s*[;,、]\s*/));

/** A zod issue as a schedule problem: a code the UI can translate, never zod's English. */
function addZodIssue(issues: ScheduleIssues, issue: z.core.$ZodIssue, prefix: (string | number)[]): void {
  const fullPath = [...prefix, ...issue.path];
  const path = fullPath.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
  const field = String([...issue.path].reverse().find((k) => typeof k === 'string') ?? 'sessions');
  if (issue.code === 'invalid_type') issues.add('json_wrong_type', { path }, { expected: issue.expected });
  else if (issue.code === 'too_big' && issue.origin === 'string') issues.add('too_long', { path }, { field, max: Number(issue.maximum) });
  else if (issue.code === 'too_big') issues.add('too_many', { path }, { field, max: Number(issue.maximum) });
  else issues.add('json_not_schedule', { path });
}

/** `{ title?, timezone?, sessions: [{ title, day|date, start, end, room|rooms, track?, moderators?, tags? }] }`. */
export function parseJson(source: string, eventTimezone: string): ScheduleParseResult {
  const issues = new ScheduleIssues();
  const invalid = (): ScheduleParseResult => ({ ok: false, code: 'invalid_schedule', message: problemsMessage('the schedule', issues.list), details: issues.list });
  let raw: unknown;
  try {
    // JSON.parse makes "__proto__" an own data property, never the prototype; zod then copies only known keys.
    raw = JSON.parse(source);
  } catch (err) {
    const position = /position (\d+)/.exec(err instanceof Error ? err.message : '');
    issues.add('json_syntax', position ? { line: lineAt(source, Number(position[1])) } : {});
    return invalid();
  }
  const file = fileSchema.safeParse(raw);
  if (!file.success) {
    issues.add('json_not_schedule');
    return invalid();
  }
  if (file.data.sessions.length > LIMITS.maxSessionsPerEvent) {
    issues.add('too_many_sessions', { path: 'sessions' }, { count: file.data.sessions.length, max: LIMITS.maxSessionsPerEvent });
    return invalid();
  }
  let tz = eventTimezone;
  if (file.data.timezone) {
    if (isKnownTimeZone(file.data.timezone)) tz = file.data.timezone;
    else issues.add('unknown_timezone', { path: 'timezone' }, { tzid: file.data.timezone.slice(0, 64) });
  }
  const warnings = new ScheduleIssues();
  const sessions: ImportedSession[] = [];
  const sources: ImportedFrom[] = [];
  file.data.sessions.forEach((item, i) => {
    const path = `sessions[${i}]`;
    const parsed = sessionSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) addZodIssue(issues, issue, ['sessions', i]);
      return;
    }
    const s = parsed.data;
    const times = rowTimes({ date: s.date ?? s.day ?? null, start: s.start ?? null, end: s.end ?? null }, tz, { path }, issues);
    const rooms = Array.isArray(s.rooms) ? s.rooms : parseRoomList(s.rooms ?? s.room);
    const session = importedSession({ uid: s.uid ?? null, title: s.title, ...times, rooms, track: s.track ?? null, moderators: list(s.moderators), tags: list(s.tags), description: s.description ?? null });
    checkSession(session, issues, { path });
    if (session.title && !s.start) warnings.add('no_start_time', { path });
    sessions.push(session);
    sources.push({ path });
  });
  if (issues.any) return invalid();
  // As for an .ics file: times read in a zone that is not the event's show at other clock times in the event.
  const first = sessions.find((s) => s.startsAt);
  if (tz !== eventTimezone && first && offsetAt(tz, Date.parse(first.startsAt!)) !== offsetAt(eventTimezone, Date.parse(first.startsAt!))) {
    warnings.add('timezone_differs', {}, { file: tz, event: eventTimezone });
  }
  return { ok: true, title: file.data.title ?? null, timezone: file.data.timezone ?? null, sessions, sources, warnings: warnings.list };
}

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}
