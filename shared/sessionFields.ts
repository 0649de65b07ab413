import { z } from 'zod';
import { LIMITS } from './limits.js';
import { multiLine, singleLine } from './text.js';

/**
 * What a session is, declared once. The API's zod schemas, the DTO, the
 * schedule importers and their planner, storage and the minutes all use this
 * shape (or a Pick/Omit of it), so a new field is added here and nowhere else.
 */
export interface SessionFields {
  /** iCalendar UID of the imported event (per occurrence for recurring ones), else null. */
  uid: string | null;
  title: string;
  /** ISO 8601 UTC instants; a session without a start is "unscheduled". */
  startsAt: string | null;
  endsAt: string | null;
  /**
   * The rooms the session takes place in, in the order given. Several rooms
   * make one session (`Room A;Room B`); none means no particular room, which
   * the grid shows across every room (a plenary).
   */
  rooms: string[];
  track: string | null;
  moderators: string[];
  tags: string[];
  description: string | null;
}

/** Every field, in the order previews list changes. */
export const SESSION_FIELD_NAMES = ['title', 'startsAt', 'endsAt', 'rooms', 'track', 'moderators', 'tags', 'description', 'uid'] as const satisfies readonly (keyof SessionFields)[];

/** Room names that mean "every room": a plenary. Compared after NFKC and lower-casing. */
const ALL_ROOMS = new Set(['all', 'all rooms', '*', '全会場', '全部屋', '全室', 'すべて', '全て']);

/**
 * Rooms as stored: each one a single trimmed line, without empties or
 * duplicates; a list that names "all rooms" is a plenary, stored as [].
 */
export function normaliseRooms(rooms: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of rooms) {
    const room = singleLine(raw);
    if (!room) continue;
    if (ALL_ROOMS.has(room.normalize('NFKC').toLowerCase())) return [];
    if (!out.includes(room)) out.push(room);
  }
  return out;
}

/** Rooms as people type them in one cell or field: `Room A; Room B` (also a full-width ；). */
export function parseRoomList(text: string | null | undefined): string[] {
  return normaliseRooms((text ?? '').split(/[;；]/));
}

/** The rooms as one line of text, the way headers and cards show them. */
export function roomsText(rooms: readonly string[]): string {
  return rooms.join(', ');
}

/** A single-line text field: control characters (CR/LF included) become a space. */
export const shortText = (max: number) => z.string().transform(singleLine).pipe(z.string().max(max));
/** A multi-line text field (descriptions). */
export const longText = (max: number) => z.string().transform(multiLine).pipe(z.string().max(max));

const dedupe = (list: string[]) => [...new Set(list)];
const nameList = (maxItems: number, maxLength: number) =>
  z.array(shortText(maxLength).pipe(z.string().min(1))).max(maxItems).transform(dedupe);

export const isoInstantSchema = z.iso.datetime({ offset: true });
export const roomsSchema = z.array(shortText(LIMITS.shortFieldMaxLength)).max(LIMITS.maxRoomsPerSession).transform(normaliseRooms);

/** The editable fields of a session (everything but the import UID), as the API accepts them. */
export const sessionFieldsSchema = z.strictObject({
  title: shortText(LIMITS.titleMaxLength).pipe(z.string().min(1, 'title is required')),
  startsAt: isoInstantSchema.nullable().optional(),
  endsAt: isoInstantSchema.nullable().optional(),
  rooms: roomsSchema.optional(),
  track: shortText(LIMITS.shortFieldMaxLength).nullable().optional(),
  moderators: nameList(LIMITS.maxModerators, LIMITS.shortFieldMaxLength).optional(),
  tags: nameList(LIMITS.maxTags, LIMITS.tagMaxLength).optional(),
  description: longText(LIMITS.descriptionMaxLength).nullable().optional(),
});

/** Compile-time check that the schema covers exactly the declared fields (minus the UID). */
type SchemaKeys = keyof z.output<typeof sessionFieldsSchema>;
type DeclaredKeys = Exclude<keyof SessionFields, 'uid'>;
const _sameKeys: [SchemaKeys] extends [DeclaredKeys] ? ([DeclaredKeys] extends [SchemaKeys] ? true : never) : never = true;
void _sameKeys;
