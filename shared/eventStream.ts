// zod's tree-shakable build: this module is in the browser bundle, where full zod would add ~90 KB.
import * as z from 'zod/mini';
import { ROLES, type Role } from './roles.js';
import type { EventLanguage, LiveCounts, SessionDto } from './schemas.js';

/**
 * The messages of `GET /api/events/:eventId/stream` (Server-Sent Events).
 *
 * The full session list travels once, as `snapshot`, when a stream opens;
 * after that only what changed: a session added, changed or removed, the
 * event's own fields, or one session's live counts. A client that misses
 * anything (its stream was closed because it read too slowly, or the network
 * dropped) reconnects and starts again from a fresh snapshot, so deltas never
 * need sequence numbers.
 *
 * On the wire each message is `event: <type>` plus `data: <the message as JSON>`
 * (the `type` is repeated inside, so one schema parses every data line).
 *
 * @example
 * ```ts
 * let view: EventStreamView | null = null;
 * const msg = parseEventStreamMessage(JSON.parse(dataLine));
 * if (msg) view = applyEventStreamMessage(view, msg);
 * ```
 */
export type EventStreamMessage =
  | { type: 'snapshot'; event: EventStreamEventFields; sessions: SessionDto[] }
  | { type: 'sessionAdded'; session: SessionDto }
  | { type: 'sessionChanged'; session: SessionDto }
  | { type: 'sessionRemoved'; sessionId: string }
  | { type: 'eventChanged'; event: EventStreamEventFields }
  | { type: 'live'; sessionId: string; live: LiveCounts }
  | { type: 'actionItems'; sessionId: string }
  /**
   * A moderator rotated the event's `role` link. Sent only to streams opened with the moderate link (the only
   * ones that may read links): they fetch the links again (the projector's QR code). Never carries a token.
   */
  | { type: 'linksRotated'; role: Role }
  /** The link this stream was opened with was rotated: the stream ends and reconnecting with it is refused (401). */
  | { type: 'revoked' }
  | { type: 'ping' };

export type EventStreamMessageType = EventStreamMessage['type'];

/** The event's own fields that ride on the stream (a moderator's rename reaches open pages). */
export interface EventStreamEventFields {
  title: string;
  timezone: string;
  language: EventLanguage;
}

const count = z.int().check(z.nonnegative());
const liveCountsSchema = z.object({ editors: count, viewers: count });

/**
 * A session as the stream carries it. Loose, so fields added to SessionDto
 * later reach clients even before this schema names them.
 */
export const streamSessionSchema = z.looseObject({
  id: z.string(),
  eventId: z.string(),
  title: z.string(),
  startsAt: z.nullable(z.string()),
  endsAt: z.nullable(z.string()),
  rooms: z.array(z.string()),
  track: z.nullable(z.string()),
  moderators: z.array(z.string()),
  tags: z.array(z.string()),
  description: z.nullable(z.string()),
  locked: z.boolean(),
  state: z.enum(['scheduled', 'live', 'ended']),
  nowDiscussing: z.nullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  notesUpdatedAt: z.nullable(z.string()),
  live: liveCountsSchema,
}) satisfies z.ZodMiniType<SessionDto>;

const eventFieldsSchema = z.object({ title: z.string(), timezone: z.string(), language: z.enum(['en', 'ja']) });

export const eventStreamMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), event: eventFieldsSchema, sessions: z.array(streamSessionSchema) }),
  z.object({ type: z.literal('sessionAdded'), session: streamSessionSchema }),
  z.object({ type: z.literal('sessionChanged'), session: streamSessionSchema }),
  z.object({ type: z.literal('sessionRemoved'), sessionId: z.string() }),
  z.object({ type: z.literal('eventChanged'), event: eventFieldsSchema }),
  z.object({ type: z.literal('live'), sessionId: z.string(), live: liveCountsSchema }),
  z.object({ type: z.literal('actionItems'), sessionId: z.string() }),
  z.object({ type: z.literal('linksRotated'), role: z.enum(ROLES) }),
  z.object({ type: z.literal('revoked') }),
  z.object({ type: z.literal('ping') }),
]) satisfies z.ZodMiniType<EventStreamMessage>;

/** A validated message, or null for anything this client does not understand (ignored, never fatal). */
export function parseEventStreamMessage(data: unknown): EventStreamMessage | null {
  const parsed = eventStreamMessageSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/** What a client knows from the stream: the event's fields and its sessions, in the server's order. */
export interface EventStreamView {
  event: EventStreamEventFields;
  sessions: SessionDto[];
}

/**
 * Applies one message to a view (a pure function; the input is not changed).
 * Deltas before the first snapshot have nothing to apply to and leave the
 * view null.
 */
export function applyEventStreamMessage(view: EventStreamView | null, msg: EventStreamMessage): EventStreamView | null {
  if (msg.type === 'snapshot') return { event: msg.event, sessions: msg.sessions };
  if (!view) return null;
  switch (msg.type) {
    case 'sessionAdded':
    case 'sessionChanged': {
      const at = view.sessions.findIndex((s) => s.id === msg.session.id);
      if (at < 0) return { ...view, sessions: sortSessions([...view.sessions, msg.session]) };
      const sessions = view.sessions.slice();
      sessions[at] = msg.session;
      // A moved session (new start or room) takes its new place in the list.
      const moved = view.sessions[at]!.startsAt !== msg.session.startsAt || roomsKey(view.sessions[at]!) !== roomsKey(msg.session) || view.sessions[at]!.title !== msg.session.title;
      return { ...view, sessions: moved ? sortSessions(sessions) : sessions };
    }
    case 'sessionRemoved':
      return { ...view, sessions: view.sessions.filter((s) => s.id !== msg.sessionId) };
    case 'eventChanged':
      return { ...view, event: msg.event };
    case 'live': {
      const at = view.sessions.findIndex((s) => s.id === msg.sessionId);
      if (at < 0) return view;
      const sessions = view.sessions.slice();
      sessions[at] = { ...sessions[at]!, live: msg.live };
      return { ...view, sessions };
    }
    default:
      return view;
  }
}

/** Rooms as the database stores and orders them: their JSON text. */
const roomsKey = (s: Pick<SessionDto, 'rooms'>) => JSON.stringify(s.rooms);

/** The order the server lists sessions in: scheduled first by start, then rooms (as stored, JSON text), then title; binary comparison, as SQLite's. */
export function sortSessions(sessions: SessionDto[]): SessionDto[] {
  const cmp = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  return sessions.sort(
    (a, b) => Number(a.startsAt === null) - Number(b.startsAt === null) || cmp(a.startsAt, b.startsAt) || cmp(roomsKey(a), roomsKey(b)) || cmp(a.title, b.title),
  );
}
