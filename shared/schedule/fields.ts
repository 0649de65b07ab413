import { LIMITS } from '../limits.js';
import type { ImportedSession, ScheduleErrors } from './types.js';
import { wallTimeValid, zonedToUtc, type WallTime } from './timezone.js';

/** Splits "a; b", "a, b and c" lists of names or tags. */
export function splitList(value: string | null | undefined, separators = /\s*(?:;|,|、|\band\b|&)\s*/u): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const part of value.split(separators)) {
    const v = part.trim();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

/** `YYYY-MM-DD` or `YYYY/MM/DD`. */
export function parseDate(s: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s.trim());
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return wallTimeValid({ ...d, hour: 0, minute: 0, second: 0 }) ? d : null;
}

/** `HH:MM` (24 h), `9:05`, `1:15 PM`, `13:00:00`. */
export function parseTime(s: string): { hour: number; minute: number } | null {
  const m = /^(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*([ap]\.?m\.?)?$/i.exec(s.trim());
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const ampm = m[3]?.toLowerCase().replace(/\./g, '');
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    if (ampm === 'pm' && hour !== 12) hour += 12;
    if (ampm === 'am' && hour === 12) hour = 0;
  } else if (!m[2]) return null;
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** A date + local time in `tz`, or a full ISO instant with offset. */
export function toInstant(date: string | null, time: string | null, tz: string): { iso: string } | { error: string } | null {
  if (time && ISO_INSTANT.test(time.trim())) return { iso: new Date(time.trim()).toISOString() };
  if (!time) return null;
  if (!date) return { error: 'a time needs a date' };
  const d = parseDate(date);
  if (!d) return { error: `"${date}" is not a date (use YYYY-MM-DD)` };
  const t = parseTime(time);
  if (!t) return { error: `"${time}" is not a time (use HH:MM)` };
  const w: WallTime = { ...d, ...t, second: 0 };
  return { iso: new Date(zonedToUtc(w, tz)).toISOString() };
}

/** Checks one session's fields against the limits; reports problems with the source line. */
export function checkSession(s: ImportedSession, errors: ScheduleErrors, where: { line?: number; path?: string }): void {
  const at = (message: string) => errors.add({ ...where, message });
  if (!s.title.trim()) at('title is required');
  if (s.title.length > LIMITS.titleMaxLength) at(`title is longer than ${LIMITS.titleMaxLength} characters`);
  for (const [name, v] of [['room', s.room], ['track', s.track]] as const) {
    if (v && v.length > LIMITS.shortFieldMaxLength) at(`${name} is longer than ${LIMITS.shortFieldMaxLength} characters`);
  }
  if (s.description && s.description.length > LIMITS.descriptionMaxLength) at(`description is longer than ${LIMITS.descriptionMaxLength} characters`);
  if (s.moderators.length > LIMITS.maxModerators) at(`more than ${LIMITS.maxModerators} moderators`);
  if (s.moderators.some((m) => m.length > LIMITS.shortFieldMaxLength)) at(`a moderator name is longer than ${LIMITS.shortFieldMaxLength} characters`);
  if (s.tags.length > LIMITS.maxTags) at(`more than ${LIMITS.maxTags} tags`);
  if (s.tags.some((t) => t.length > LIMITS.tagMaxLength)) at(`a tag is longer than ${LIMITS.tagMaxLength} characters`);
  if (s.startsAt && s.endsAt && Date.parse(s.endsAt) < Date.parse(s.startsAt)) at('end is before start');
}
