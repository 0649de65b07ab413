import { z } from 'zod';
import { LIMITS } from './limits.js';
import { ROLES } from './roles.js';
import { SLUG_PATTERN } from './ids.js';
import { isoInstantSchema, sessionFieldsSchema, shortText, type SessionFields } from './sessionFields.js';

export { isoInstantSchema, sessionFieldsSchema };

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A single-line field: control characters (CR/LF included) become a space, then it is trimmed. */
const cleanText = shortText;

// Rules zod cannot name itself carry their error code (shared/errors.ts) in `params`.
export const timezoneSchema = z.string().max(64).refine(isTimeZone, { message: 'unknown IANA time zone', params: { code: 'unknown_time_zone' } });

export const roleSchema = z.enum(ROLES);
export const sessionStateSchema = z.enum(['scheduled', 'live', 'ended']);
export type SessionState = z.infer<typeof sessionStateSchema>;

/**
 * An event's language: it chooses the default template of new sessions and
 * the language of the fixed words in its minutes. Not the UI language, which
 * each reader chooses for themselves.
 */
export const EVENT_LANGUAGES = ['en', 'ja'] as const;
export const eventLanguageSchema = z.enum(EVENT_LANGUAGES);
export type EventLanguage = z.infer<typeof eventLanguageSchema>;

export const createEventInputSchema = z.strictObject({
  title: cleanText(LIMITS.titleMaxLength).pipe(z.string().min(1, 'title is required')),
  slug: z
    .string()
    .refine((s) => SLUG_PATTERN.test(s), { message: 'lowercase letters, digits and dashes, 1–64 characters', params: { code: 'invalid_slug' } })
    .optional(),
  timezone: timezoneSchema.optional(),
  /** Default `en`; the app sends the creator's UI language. */
  language: eventLanguageSchema.optional(),
});
export type CreateEventInput = z.infer<typeof createEventInputSchema>;

export const patchEventInputSchema = z.strictObject({
  title: cleanText(LIMITS.titleMaxLength).pipe(z.string().min(1)).optional(),
  timezone: timezoneSchema.optional(),
  language: eventLanguageSchema.optional(),
  /**
   * With a new `timezone`: `true` keeps every session's local time (09:00
   * stays 09:00, so the moment moves: fixing a zone chosen by mistake);
   * `false` (default) keeps the moments, so local times change.
   */
  keepLocalTimes: z.boolean().optional(),
});
export type PatchEventInput = z.infer<typeof patchEventInputSchema>;

export const createSessionInputSchema = sessionFieldsSchema.refine(
  (s) => !s.startsAt || !s.endsAt || Date.parse(s.endsAt) >= Date.parse(s.startsAt),
  { message: 'endsAt must not be before startsAt', path: ['endsAt'], params: { code: 'ends_before_start' } },
);
export type CreateSessionInput = z.infer<typeof createSessionInputSchema>;

export const patchSessionInputSchema = sessionFieldsSchema.partial().extend({
  locked: z.boolean().optional(),
  state: sessionStateSchema.optional(),
  nowDiscussing: cleanText(LIMITS.titleMaxLength).nullable().optional(),
});
export type PatchSessionInput = z.infer<typeof patchSessionInputSchema>;

export interface LiveCounts {
  editors: number;
  viewers: number;
}

export interface EventDto {
  id: string;
  slug: string;
  title: string;
  timezone: string;
  language: EventLanguage;
  createdAt: string;
  updatedAt: string;
}

/** A session as the API returns it: the declared fields (without the import UID) plus its live state. */
export interface SessionDto extends Omit<SessionFields, 'uid'> {
  id: string;
  eventId: string;
  locked: boolean;
  state: SessionState;
  nowDiscussing: string | null;
  createdAt: string;
  updatedAt: string;
  /** Last time the notes changed, or null when nobody has written yet. */
  notesUpdatedAt: string | null;
  live: LiveCounts;
}

export interface EventWithSessionsDto extends EventDto {
  sessions: SessionDto[];
  /** The role of the token used for this request. */
  role: z.infer<typeof roleSchema>;
}

export interface EventLinks {
  edit: string;
  view: string;
  moderate: string;
}

export interface CreateEventResponse {
  event: EventDto;
  links: EventLinks;
  tokens: EventLinks;
}

export const actionItemStatusSchema = z.enum(['open', 'done']);
export type ActionItemStatus = z.infer<typeof actionItemStatusSchema>;

export interface ActionItemDto {
  id: string;
  sessionId: string;
  text: string;
  owners: string[];
  due: string | null;
  tags: string[];
  status: ActionItemStatus;
}

/** Error bodies and their codes live in shared/errors.ts. */
export type { ApiErrorBody } from './errors.js';
