import { LIMITS } from '../limits.js';
import { normaliseRooms, type SessionFields } from '../sessionFields.js';
import { multiLine, singleLine } from '../text.js';
import type { IssuePlace, ScheduleIssues } from './issues.js';
import type { ImportedSession } from './types.js';
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

/** `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` or `YYYY年M月D日`. */
export function parseDate(s: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s.normalize('NFKC').trim()) ?? /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/.exec(s.normalize('NFKC').trim());
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return wallTimeValid({ ...d, hour: 0, minute: 0, second: 0 }) ? d : null;
}

/** `HH:MM` (24 h), `9:05`, `1:15 PM`, `13:00:00`, full-width digits too. */
export function parseTime(s: string): { hour: number; minute: number } | null {
  const m = /^(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*([ap]\.?m\.?)?$/i.exec(s.normalize('NFKC').trim());
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

/**
 * A row's date and its start and end times (local in `tz`, or full ISO
 * instants) → instants. A bad date is one problem, blamed on the date, not
 * one on each time. A row with no start is unscheduled: the caller warns.
 */
/** The longest session an end before its start is read as running past midnight. */
const PAST_MIDNIGHT_MAX_MS = 12 * 60 * 60 * 1000;

export function rowTimes(
  cells: { date: string | null; start: string | null; end: string | null; endDate?: string | null },
  tz: string,
  where: IssuePlace,
  issues: ScheduleIssues,
): { startsAt: string | null; endsAt: string | null } {
  const iso = (v: string | null) => (v && ISO_INSTANT.test(v.trim()) ? new Date(v.trim()).toISOString() : null);
  const unscheduled = { startsAt: null, endsAt: null };
  if (!cells.start) return unscheduled;
  const local = (['start', 'end'] as const).filter((k) => cells[k] && !iso(cells[k]));
  const dates: Partial<Record<'start' | 'end', ReturnType<typeof parseDate>>> = {};
  for (const column of local) {
    const text = column === 'end' && cells.endDate ? cells.endDate : cells.date;
    if (!text) {
      issues.add('date_missing', where, { column });
      return unscheduled;
    }
    dates[column] = parseDate(text);
    if (!dates[column]) {
      issues.add('invalid_date', where, { column: text === cells.date ? 'date' : 'end date', value: text.slice(0, 40) });
      return unscheduled;
    }
  }
  const instant = (column: 'start' | 'end'): string | null => {
    const value = cells[column];
    if (!value) return null;
    const asIso = iso(value);
    if (asIso) return asIso;
    const t = parseTime(value);
    if (!t) {
      issues.add('invalid_time', where, { column, value: value.slice(0, 40) });
      return null;
    }
    const w: WallTime = { ...dates[column]!, ...t, second: 0 };
    return new Date(zonedToUtc(w, tz)).toISOString();
  };
  const startsAt = instant('start');
  let endsAt = instant('end');
  // One date and an end before the start: 23:00–01:00 runs past midnight, as a schedule means it; 12:00–11:00
  // (23 hours) is a typo, and stays the end_before_start problem.
  if (startsAt && endsAt && local.includes('end') && !cells.endDate && Date.parse(endsAt) < Date.parse(startsAt)) {
    const d = dates.end!;
    const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
    const was = { endsAt, end: d };
    dates.end = { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
    endsAt = instant('end');
    if (!endsAt || Date.parse(endsAt) - Date.parse(startsAt) > PAST_MIDNIGHT_MAX_MS) {
      dates.end = was.end;
      endsAt = was.endsAt;
    }
  }
  return { startsAt, endsAt };
}

/** A session from whatever a parser read, with every text field normalised the way the API normalises it. */
export function importedSession(f: Pick<SessionFields, 'title' | 'startsAt' | 'endsAt'> & Partial<Omit<SessionFields, 'title' | 'startsAt' | 'endsAt'>>): ImportedSession {
  const names = (list: readonly string[] | undefined) => [...new Set((list ?? []).map(singleLine).filter(Boolean))];
  return {
    uid: f.uid ? singleLine(f.uid) || null : null,
    title: singleLine(f.title),
    startsAt: f.startsAt,
    endsAt: f.endsAt,
    rooms: normaliseRooms(f.rooms ?? []),
    track: f.track ? singleLine(f.track) || null : null,
    moderators: names(f.moderators),
    tags: names(f.tags),
    description: f.description ? multiLine(f.description) || null : null,
  };
}

/** Checks one session's fields against the limits the API enforces. */
export function checkSession(s: ImportedSession, issues: ScheduleIssues, where: IssuePlace): void {
  const long = (field: string, value: string | null, max: number) => {
    if (value && value.length > max) issues.add('too_long', where, { field, max });
  };
  if (!s.title) issues.add('title_required', where);
  long('title', s.title, LIMITS.titleMaxLength);
  if (s.rooms.length > LIMITS.maxRoomsPerSession) issues.add('too_many', where, { field: 'rooms', max: LIMITS.maxRoomsPerSession });
  if (s.rooms.some((r) => r.length > LIMITS.shortFieldMaxLength)) issues.add('too_long', where, { field: 'room', max: LIMITS.shortFieldMaxLength });
  long('track', s.track, LIMITS.shortFieldMaxLength);
  long('description', s.description, LIMITS.descriptionMaxLength);
  long('uid', s.uid, 300);
  if (s.moderators.length > LIMITS.maxModerators) issues.add('too_many', where, { field: 'moderators', max: LIMITS.maxModerators });
  if (s.moderators.some((m) => m.length > LIMITS.shortFieldMaxLength)) issues.add('too_long', where, { field: 'moderator', max: LIMITS.shortFieldMaxLength });
  if (s.tags.length > LIMITS.maxTags) issues.add('too_many', where, { field: 'tags', max: LIMITS.maxTags });
  if (s.tags.some((t) => t.length > LIMITS.tagMaxLength)) issues.add('too_long', where, { field: 'tag', max: LIMITS.tagMaxLength });
  if (s.startsAt && s.endsAt && Date.parse(s.endsAt) < Date.parse(s.startsAt)) issues.add('end_before_start', where);
}
