import { LIMITS } from '../../shared/limits.js';
import { offsetAt, zonedToUtc } from '../../shared/schedule/timezone.js';
import type { PatchSessionInput, SessionDto } from '../../shared/schemas.js';
import { parseRoomList } from '../../shared/sessionFields.js';
import type { MessageKey } from '../i18n/en.js';

/** The edit form's fields, as text: times are local to the event's zone. */
export interface SessionFormValues {
  title: string;
  date: string;
  start: string;
  end: string;
  rooms: string;
  moderators: string;
  tags: string;
  description: string;
}

export type SessionFormField = keyof SessionFormValues;
export type SessionFormErrors = Partial<Record<SessionFormField, { key: MessageKey; vars?: Record<string, string | number> }>>;

const pad = (n: number) => String(n).padStart(2, '0');
function wall(iso: string, tz: string): { date: string; time: string } {
  const ms = Date.parse(iso);
  const d = new Date(ms + offsetAt(tz, ms) * 60_000);
  return { date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` };
}

export function formValues(s: SessionDto, tz: string): SessionFormValues {
  const start = s.startsAt ? wall(s.startsAt, tz) : null;
  return {
    title: s.title,
    date: start?.date ?? '',
    start: start?.time ?? '',
    end: s.endsAt ? wall(s.endsAt, tz).time : '',
    rooms: s.rooms.join('; '),
    moderators: s.moderators.join(', '),
    tags: s.tags.join(', '),
    description: s.description ?? '',
  };
}

const list = (text: string) => [...new Set(text.split(/[,、，]/).map((x) => x.trim()).filter(Boolean))];

function instant(date: string, time: string, tz: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, min] = time.split(':').map(Number) as [number, number];
  return zonedToUtc({ year: y, month: m, day: d, hour: h, minute: min, second: 0 }, tz);
}

const nextDay = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/** An end earlier than the start by the clock, within this much, is on the next day (23:30–00:30). */
const OVERNIGHT_MAX_MS = 12 * 3_600_000;

/**
 * A session's date, start and end (local to the event's zone) as instants, shared by the Add and Edit forms: a time
 * needs a date, a date needs a start, and an end before the start is on the next day when that makes a session of
 * under 12 hours (past midnight), an error otherwise. No date and no times: unscheduled (null).
 */
export function checkSessionTimes(v: Pick<SessionFormValues, 'date' | 'start' | 'end'>, tz: string): { errors: SessionFormErrors; startsAt: string | null; endsAt: string | null } {
  if (!v.date && (v.start || v.end)) return { errors: { date: { key: 'session.edit.error.timeNeedsDate' } }, startsAt: null, endsAt: null };
  if (v.date && !v.start) return { errors: { start: { key: 'session.edit.error.dateNeedsStart' } }, startsAt: null, endsAt: null };
  if (!v.date) return { errors: {}, startsAt: null, endsAt: null };
  const startMs = instant(v.date, v.start, tz);
  let endMs = v.end ? instant(v.date, v.end, tz) : null;
  if (endMs !== null && endMs < startMs) {
    const overnight = instant(nextDay(v.date), v.end, tz);
    if (overnight - startMs < OVERNIGHT_MAX_MS) endMs = overnight;
  }
  const errors: SessionFormErrors = endMs !== null && endMs < startMs ? { end: { key: 'session.edit.error.endBeforeStart' } } : {};
  return { errors, startsAt: new Date(startMs).toISOString(), endsAt: endMs === null ? null : new Date(endMs).toISOString() };
}

/**
 * Checks the form the way the server will, with messages in the UI language,
 * and builds a PATCH with only what changed (so an untouched time of an
 * all-day or overnight session is never rewritten).
 */
export function checkSessionForm(v: SessionFormValues, initial: SessionFormValues, tz: string): { errors: SessionFormErrors; patch: PatchSessionInput } {
  const errors: SessionFormErrors = {};
  const patch: PatchSessionInput = {};
  const title = v.title.trim();
  if (!title) errors.title = { key: 'session.edit.error.titleRequired' };
  else if (title.length > LIMITS.titleMaxLength) errors.title = { key: 'session.edit.error.tooLong', vars: { max: LIMITS.titleMaxLength } };
  if (v.title !== initial.title) patch.title = title;

  const timesChanged = v.date !== initial.date || v.start !== initial.start || v.end !== initial.end;
  if (timesChanged) {
    const times = checkSessionTimes(v, tz);
    Object.assign(errors, times.errors);
    if (!times.errors.date && !times.errors.start && !times.errors.end) {
      patch.startsAt = times.startsAt;
      patch.endsAt = times.endsAt;
    }
  }

  const rooms = parseRoomList(v.rooms);
  if (rooms.length > LIMITS.maxRoomsPerSession) errors.rooms = { key: 'session.edit.error.tooMany', vars: { max: LIMITS.maxRoomsPerSession } };
  else if (rooms.some((r) => r.length > LIMITS.shortFieldMaxLength)) errors.rooms = { key: 'session.edit.error.tooLong', vars: { max: LIMITS.shortFieldMaxLength } };
  if (v.rooms !== initial.rooms) patch.rooms = rooms;

  for (const [field, max, maxLength] of [['moderators', LIMITS.maxModerators, LIMITS.shortFieldMaxLength], ['tags', LIMITS.maxTags, LIMITS.tagMaxLength]] as const) {
    const values = list(v[field]);
    if (values.length > max) errors[field] = { key: 'session.edit.error.tooMany', vars: { max } };
    else if (values.some((x) => x.length > maxLength)) errors[field] = { key: 'session.edit.error.tooLong', vars: { max: maxLength } };
    if (v[field] !== initial[field]) patch[field] = values;
  }
  if (v.description.length > LIMITS.descriptionMaxLength) errors.description = { key: 'session.edit.error.tooLong', vars: { max: LIMITS.descriptionMaxLength } };
  if (v.description !== initial.description) patch.description = v.description.trim() || null;
  return { errors, patch };
}
