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

export const timezoneSchema = z.string().max(64).refine(isTimeZone, { message: 'unknown IANA time zone' });

export const roleSchema = z.enum(ROLES);
export const sessionStateSchema = z.enum(['scheduled', 'live', 'ended']);
export type SessionState = z.infer<typeof sessionStateSchema>;

export const createEventInputSchema = z.strictObject({
  title: cleanText(LIMITS.titleMaxLength).pipe(z.string().min(1, 'title is required')),
  slug: z.string().regex(SLUG_PATTERN, 'slug: lowercase letters, digits and dashes, 1–64 characters').optional(),
  timezone: timezoneSchema.optional(),
});
export type CreateEventInput = z.infer<typeof createEventInputSchema>;

export const patchEventInputSchema = z.strictObject({
  title: cleanText(LIMITS.titleMaxLength).pipe(z.string().min(1)).optional(),
  timezone: timezoneSchema.optional(),
});

export const createSessionInputSchema = sessionFieldsSchema.refine(
  (s) => !s.startsAt || !s.endsAt || Date.parse(s.endsAt) >= Date.parse(s.startsAt),
  { message: 'endsAt must not be before startsAt', path: ['endsAt'] },
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

export interface ApiErrorBody {
  error: { code: string; message: string; details?: { code?: string; line?: number; row?: number; path?: string; params?: Record<string, string | number>; message: string }[] };
}
