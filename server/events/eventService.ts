import type { JSONContent } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { slugify } from '../../shared/ids.js';
import { defaultSessionTemplate } from '../../shared/editor/template.js';
import { zoneChangeRows } from '../../shared/eventZone.js';
import { LIMITS } from '../../shared/limits.js';
import { ROLES, type Role } from '../../shared/roles.js';
import type {
  CreateEventInput,
  CreateEventResponse,
  CreateSessionInput,
  EventDto,
  EventLinks,
  EventWithSessionsDto,
  LiveCounts,
  PatchEventInput,
  PatchSessionInput,
  SessionDto,
  SessionState,
} from '../../shared/schemas.js';
import { eventLanguageOf, eventRowToDto } from '../storage/eventRepo.js';
import type { EventStore, NewSession, SessionStore, TokenStore } from '../storage/ports.js';
import type { EventRow, SessionRow } from '../storage/rows.js';
import { sessionRowToDto, sessionRowToFields, type SessionFields } from '../storage/sessionRepo.js';
import { DomainError } from '../domainError.js';
import { hashToken, newToken } from '../access/tokens.js';
import { newId } from '../newId.js';
import type { SchemaLoader } from '../notesSchemaLoader.js';
import { encodeNotesSeed } from '../notesSeed.js';
import { sessionsOf } from './eventSnapshot.js';

/** What the event service needs from the live collaboration side. */
export interface LiveSide {
  liveCounts(sessionId: string): LiveCounts;
  revokeTokens(hashes: readonly string[]): void;
  /** After revokeTokens: moderators' open pages (the projector's QR code) fetch the links again. */
  linksRotated(eventId: string, role: Role): void;
  setLocked(sessionId: string, locked: boolean): void;
  closeSession(sessionId: string): void;
}

export interface EventServiceDeps {
  events: EventStore;
  sessions: SessionStore;
  tokens: TokenStore;
  /** The editor schema, loaded when a template is set (creating a session does not need it). */
  schema: SchemaLoader;
  live: LiveSide;
  /** Tells subscribers (the SSE stream) that an event's sessions changed. */
  changed(eventId: string): void;
  now?: () => Date;
}

export function linkFor(origin: string, event: { slug: string }, token: string): string {
  return `${origin}/e/${encodeURIComponent(event.slug)}#k=${token}`;
}

/** Events, their sessions and their capability links. */
/** The heading levels the editor shows and the minutes write (H1–H6). */
const HEADING_LEVELS = { min: 1, max: 6 } as const;

/**
 * ProseMirror's check() validates structure, not attribute values: a heading
 * of level 9 passes it, then the editor shows it as H1 and the minutes as H6.
 * Refused here, so a template means the same thing everywhere.
 */
function checkHeadingLevels(doc: PMNode): void {
  doc.descendants((n, pos) => {
    if (n.type.name !== 'heading') return true;
    const level: unknown = n.attrs.level;
    if (typeof level !== 'number' || !Number.isInteger(level) || level < HEADING_LEVELS.min || level > HEADING_LEVELS.max) {
      throw new Error(`heading level must be an integer from ${HEADING_LEVELS.min} to ${HEADING_LEVELS.max}, got ${JSON.stringify(level) ?? 'nothing'} (heading at position ${pos})`);
    }
    return false;
  });
}

export class EventService {
  constructor(private readonly deps: EventServiceDeps) {}

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  async findEvent(ref: string): Promise<EventRow> {
    const row = await this.deps.events.find(ref);
    if (!row) throw new DomainError('event_not_found');
    return row;
  }

  async findSession(id: string): Promise<SessionRow> {
    const row = await this.deps.sessions.find(id);
    if (!row) throw new DomainError('session_not_found');
    return row;
  }

  async createEvent(input: CreateEventInput, origin: string): Promise<CreateEventResponse> {
    const now = this.now();
    const id = newId();
    let slug = input.slug ?? slugify(input.title);
    if (input.slug && (await this.deps.events.isSlugTaken(input.slug))) {
      throw new DomainError('slug_taken', { slug: input.slug });
    }
    if (!slug || slug.length < 2) slug = id;
    if (await this.deps.events.isSlugTaken(slug)) slug = `${slug.slice(0, 50)}-${id.slice(0, 6)}`;
    const timezone = input.timezone ?? 'UTC';
    const language = input.language ?? 'en';
    const tokens = Object.fromEntries(ROLES.map((r) => [r, newToken()])) as unknown as EventLinks;
    await this.deps.events.create(
      { id, slug, title: input.title, timezone, language },
      ROLES.map((role) => ({ role, token: tokens[role], hash: hashToken(tokens[role]) })),
      now,
    );
    const event = eventRowToDto(await this.findEvent(id));
    return { event, links: this.links(origin, event, tokens), tokens };
  }

  links(origin: string, event: { slug: string }, tokens: Partial<Record<Role, string>>): EventLinks {
    const link = (role: Role) => (tokens[role] ? linkFor(origin, event, tokens[role]!) : '');
    return { edit: link('edit'), view: link('view'), moderate: link('moderate') };
  }

  /** The current links, for moderators who need to copy them again. */
  async currentLinks(eventRef: string, origin: string): Promise<EventLinks> {
    const event = await this.findEvent(eventRef);
    return this.links(origin, event, await this.deps.tokens.activeTokens(event.id));
  }

  async eventWithSessions(eventRef: string, role: Role): Promise<EventWithSessionsDto> {
    const event = await this.findEvent(eventRef);
    return { ...eventRowToDto(event), sessions: await this.sessionsOf(event.id), role };
  }

  sessionsOf(eventId: string): Promise<SessionDto[]> {
    return sessionsOf({ sessions: this.deps.sessions, live: (id) => this.deps.live.liveCounts(id) }, eventId);
  }

  /**
   * Renames the event, changes its language or moves it to another zone.
   * A new zone keeps every session's moment by default (local times change);
   * with `keepLocalTimes` every session keeps its wall-clock time instead, in
   * the same transaction, for the organiser who picked the wrong zone.
   */
  async patchEvent(eventRef: string, patch: PatchEventInput): Promise<EventDto> {
    const event = await this.findEvent(eventRef);
    const timezone = patch.timezone ?? event.timezone;
    const now = this.now();
    const sessions = await this.deps.sessions.listByEvent(event.id);
    const moves =
      patch.keepLocalTimes && timezone !== event.timezone
        ? zoneChangeRows(sessions.map((s) => ({ id: s.id, title: s.title, startsAt: s.starts_at, endsAt: s.ends_at })), event.timezone, timezone, true).filter(
            (m) => m.after.startsAt !== m.before.startsAt || m.after.endsAt !== m.before.endsAt,
          )
        : [];
    const rows = new Map(sessions.map((s) => [s.id, s]));
    await this.deps.events.update(
      event.id,
      { title: patch.title ?? event.title, timezone, language: patch.language ?? eventLanguageOf(event) },
      moves.map((m) => ({ id: m.id, fields: { ...sessionRowToFields(rows.get(m.id)!), startsAt: m.after.startsAt, endsAt: m.after.endsAt } })),
      now,
    );
    this.deps.changed(event.id);
    return eventRowToDto(await this.findEvent(event.id));
  }

  /** The template new sessions of this event start from. */
  templateOf(event: EventRow): JSONContent {
    if (event.template) return JSON.parse(event.template) as JSONContent;
    return defaultSessionTemplate(eventLanguageOf(event));
  }

  /**
   * Sets the template for sessions created from now on; existing notes are
   * never touched. The template must be a valid document of the notes schema.
   */
  async setTemplate(eventRef: string, template: JSONContent | null): Promise<JSONContent> {
    const event = await this.findEvent(eventRef);
    if (template !== null) {
      try {
        const node = (await this.deps.schema()).nodeFromJSON(template);
        node.check();
        if (node.type.name !== 'doc') throw new Error('the template must be a doc node');
        checkHeadingLevels(node);
        // Stored complete, every default the schema fills in written out: sessions are seeded from it without the schema.
        template = node.toJSON() as JSONContent;
      } catch (err) {
        throw new DomainError('invalid_template', { reason: err instanceof Error ? err.message : String(err) });
      }
    }
    await this.deps.events.setTemplate(event.id, template === null ? null : JSON.stringify(template), this.now());
    return this.templateOf(await this.findEvent(event.id));
  }

  async createSession(eventRef: string, input: CreateSessionInput & { uid?: string | null }): Promise<SessionDto> {
    const event = await this.findEvent(eventRef);
    const count = (await this.deps.sessions.listByEvent(event.id)).length;
    if (count >= LIMITS.maxSessionsPerEvent) throw new DomainError('too_many_sessions', { max: LIMITS.maxSessionsPerEvent });
    const id = newId();
    const fields: SessionFields = {
      title: input.title,
      startsAt: normaliseInstant(input.startsAt),
      endsAt: normaliseInstant(input.endsAt),
      rooms: input.rooms ?? [],
      track: input.track ?? null,
      moderators: input.moderators ?? [],
      tags: input.tags ?? [],
      description: input.description ?? null,
      uid: input.uid ?? null,
    };
    const seed = encodeNotesSeed(this.templateOf(event));
    const now = this.now();
    // Session and seed commit together, before anyone can open the session:
    // the seed is the document's first update and can never be inserted twice.
    await this.deps.sessions.createWithNotes(event.id, [{ id, fields, seed }], [], now);
    this.deps.changed(event.id);
    return sessionRowToDto(await this.findSession(id), this.deps.live.liveCounts(id));
  }

  /**
   * Creates and updates many sessions in one transaction (schedule import):
   * all of it lands, or none of it.
   */
  async applyImport(eventId: string, creates: readonly SessionFields[], updates: readonly { id: string; fields: SessionFields }[]): Promise<SessionDto[]> {
    const event = await this.findEvent(eventId);
    const seed = encodeNotesSeed(this.templateOf(event));
    const now = this.now();
    const fresh: NewSession[] = creates.map((c) => ({ id: newId(), fields: toFields(c), seed }));
    await this.deps.sessions.createWithNotes(event.id, fresh, updates.map((u) => ({ id: u.id, fields: toFields(u.fields) })), now);
    this.deps.changed(event.id);
    return Promise.all(fresh.map((c) => this.sessionDto(c.id)));
  }

  async sessionDto(id: string): Promise<SessionDto> {
    return sessionRowToDto(await this.findSession(id), this.deps.live.liveCounts(id));
  }

  async patchSession(id: string, patch: PatchSessionInput): Promise<SessionDto> {
    const row = await this.findSession(id);
    const before = sessionRowToFields(row);
    const fields: SessionFields = {
      ...before,
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.startsAt !== undefined ? { startsAt: normaliseInstant(patch.startsAt) } : {}),
      ...(patch.endsAt !== undefined ? { endsAt: normaliseInstant(patch.endsAt) } : {}),
      ...(patch.rooms !== undefined ? { rooms: patch.rooms } : {}),
      ...(patch.track !== undefined ? { track: patch.track } : {}),
      ...(patch.moderators !== undefined ? { moderators: patch.moderators } : {}),
      ...(patch.tags !== undefined ? { tags: patch.tags } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
    };
    if (fields.startsAt && fields.endsAt && Date.parse(fields.endsAt) < Date.parse(fields.startsAt)) {
      throw new DomainError('ends_before_start');
    }
    const controls = {
      locked: patch.locked ?? row.locked === 1,
      state: (patch.state ?? row.state) as SessionState,
      nowDiscussing: patch.nowDiscussing !== undefined ? patch.nowDiscussing || null : row.now_discussing,
    };
    const now = this.now();
    await this.deps.sessions.update(id, fields, controls, now);
    if (controls.locked !== (row.locked === 1)) this.deps.live.setLocked(id, controls.locked);
    this.deps.changed(row.event_id);
    return this.sessionDto(id);
  }

  async deleteSession(id: string): Promise<void> {
    const row = await this.findSession(id);
    await this.deps.sessions.delete(id, this.now());
    this.deps.live.closeSession(id);
    this.deps.changed(row.event_id);
  }

  /**
   * Brings a deleted session back, with its notes (deleting never removed
   * them). Join codes died with the deletion and stay dead.
   */
  async undeleteSession(id: string, eventId: string): Promise<SessionDto> {
    const row = await this.deps.sessions.findDeleted(id);
    if (!row || row.event_id !== eventId) throw new DomainError('session_not_found');
    if ((await this.deps.sessions.listByEvent(row.event_id)).length >= LIMITS.maxSessionsPerEvent) throw new DomainError('too_many_sessions', { max: LIMITS.maxSessionsPerEvent });
    await this.deps.sessions.undelete(id, this.now());
    this.deps.changed(row.event_id);
    return this.sessionDto(id);
  }

  /** The event a session belongs to, deleted or not (undelete needs it before the session is back). */
  async eventOfDeletedSession(id: string): Promise<string | null> {
    return (await this.deps.sessions.findDeleted(id))?.event_id ?? null;
  }

  async rotateLink(eventRef: string, role: Role, origin: string): Promise<{ role: Role; link: string; token: string }> {
    const event = await this.findEvent(eventRef);
    const token = newToken();
    const revoked = await this.deps.tokens.rotate(event.id, role, { token, hash: hashToken(token) }, this.now());
    this.deps.live.revokeTokens(revoked);
    this.deps.live.linksRotated(event.id, role);
    return { role, link: linkFor(origin, event, token), token };
  }
}

function toFields(s: SessionFields): SessionFields {
  return { ...s, startsAt: normaliseInstant(s.startsAt), endsAt: normaliseInstant(s.endsAt) };
}

function normaliseInstant(value: string | null | undefined): string | null {
  if (!value) return null;
  return new Date(value).toISOString();
}
