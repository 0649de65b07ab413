import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { checkSession, toInstant } from './fields.js';
import { isKnownTimeZone } from './timezone.js';
import { ScheduleErrors, type ImportedSession, type ScheduleParseResult } from './types.js';

const text = (max: number) => z.string().max(max);
const names = z.union([z.array(text(LIMITS.shortFieldMaxLength)).max(LIMITS.maxModerators), text(2000)]);

const sessionSchema = z.object({
  title: text(LIMITS.titleMaxLength),
  day: text(40).optional(),
  date: text(40).optional(),
  start: text(40).optional(),
  end: text(40).optional(),
  room: text(LIMITS.shortFieldMaxLength).nullable().optional(),
  track: text(LIMITS.shortFieldMaxLength).nullable().optional(),
  moderators: names.optional(),
  tags: names.optional(),
  description: text(LIMITS.descriptionMaxLength).nullable().optional(),
  uid: text(300).nullable().optional(),
});

const fileSchema = z.object({
  title: text(LIMITS.titleMaxLength).optional(),
  timezone: text(64).optional(),
  sessions: z.array(z.unknown()).max(LIMITS.maxSessionsPerEvent, `too many sessions (the limit is ${LIMITS.maxSessionsPerEvent})`),
});

const list = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : (v ?? '').split(/\s*[;,]\s*/)).map((s) => s.trim()).filter(Boolean);

/** `{ title?, timezone?, sessions: [{ title, day|date, start, end, room, track?, moderators?, tags? }] }`. */
export function parseJson(source: string, eventTimezone: string): ScheduleParseResult {
  let raw: unknown;
  try {
    // JSON.parse makes "__proto__" an own data property, never the prototype; zod then copies only known keys.
    raw = JSON.parse(source);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAt(source, Number(position[1])) : undefined;
    return { ok: false, code: 'invalid_schedule', message: `not valid JSON: ${message}`, details: [{ ...(line ? { line } : {}), message }] };
  }
  const file = fileSchema.safeParse(raw);
  if (!file.success) {
    return { ok: false, code: 'invalid_schedule', message: 'the JSON does not look like a schedule', details: file.error.issues.slice(0, 50).map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  const errors = new ScheduleErrors();
  let tz = eventTimezone;
  if (file.data.timezone) {
    if (isKnownTimeZone(file.data.timezone)) tz = file.data.timezone;
    else errors.add({ path: 'timezone', message: `unknown time zone "${file.data.timezone}"` });
  }
  const sessions: ImportedSession[] = [];
  file.data.sessions.forEach((item, i) => {
    const path = `sessions[${i}]`;
    const parsed = sessionSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.add({ path: [path, ...issue.path].join('.'), message: issue.message });
      return;
    }
    const s = parsed.data;
    const date = s.date ?? s.day ?? null;
    const start = toInstant(date, s.start ?? null, tz);
    const end = toInstant(date, s.end ?? null, tz);
    for (const [label, v] of [['start', start], ['end', end]] as const) if (v && 'error' in v) errors.add({ path: `${path}.${label}`, message: v.error });
    const session: ImportedSession = {
      uid: s.uid ?? null,
      title: s.title.trim(),
      startsAt: start && 'iso' in start ? start.iso : null,
      endsAt: end && 'iso' in end ? end.iso : null,
      room: s.room?.trim() || null,
      track: s.track?.trim() || null,
      moderators: list(s.moderators),
      tags: list(s.tags),
      description: s.description?.trim() || null,
    };
    checkSession(session, errors, { path });
    sessions.push(session);
  });
  if (errors.any) return { ok: false, code: 'invalid_schedule', message: `the schedule has ${errors.issues.length} problem(s)`, details: errors.issues };
  return { ok: true, title: file.data.title ?? null, timezone: file.data.timezone ?? null, sessions, warnings: [] };
}

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}
