import type { Role } from '../../shared/roles.js';
import type { ActionItemStatus, EventLanguage, SessionState } from '../../shared/schemas.js';
import type { SessionFields } from '../../shared/sessionFields.js';
import type { DocStore } from './docStore.js';
import type { EventRow, SessionRow } from './rows.js';

/*
 * The storage ports: everything the server stores goes through these
 * interfaces. Every method returns a Promise, so a networked database fits
 * behind them; SQLite (server/storage/*Repo.ts) is one implementation, and
 * `ports.contract.ts` is the behaviour every implementation must show.
 *
 * Operations that must commit together are one method each (a unit of work):
 * an implementation runs them in one transaction; callers never see one.
 * Records keep the column names of the SQL schema (rows.ts), which both
 * SQLite and PostgreSQL return as they are.
 */

export type { EventRow, SessionRow } from './rows.js';
export type { SessionFields } from '../../shared/sessionFields.js';

export interface NewEvent {
  id: string;
  slug: string;
  title: string;
  timezone: string;
  language: EventLanguage;
}

/** A capability token as stored: looked up by its hash; the token itself is kept so links can be shown again. */
export interface NewToken {
  role: Role;
  token: string;
  hash: string;
}

export interface EventStore {
  /** Looks an event up by id or slug. */
  find(ref: string): Promise<EventRow | undefined>;
  hasAny(): Promise<boolean>;
  isSlugTaken(slug: string): Promise<boolean>;
  /** Creates the event with its links' tokens, all or nothing. */
  create(event: NewEvent, tokens: readonly NewToken[], now: string): Promise<void>;
  /** Updates the event and, in the same unit, the fields of some of its sessions (a zone change that keeps local times). */
  update(id: string, fields: { title: string; timezone: string; language: EventLanguage }, sessions: readonly SessionUpdate[], now: string): Promise<void>;
  setTemplate(id: string, templateJson: string | null, now: string): Promise<void>;
}

export interface SessionControls {
  locked: boolean;
  state: SessionState;
  nowDiscussing: string | null;
}

/** A new session and the first update of its notes (the template it starts from). */
export interface NewSession {
  id: string;
  fields: SessionFields;
  seed: Uint8Array;
}

export interface SessionUpdate {
  id: string;
  fields: SessionFields;
}

export interface SessionStore {
  /** A session that is not deleted. */
  find(id: string): Promise<SessionRow | undefined>;
  /** A deleted session, for undelete. */
  findDeleted(id: string): Promise<SessionRow | undefined>;
  /** The event's sessions that are not deleted, in schedule order (unscheduled last). */
  listByEvent(eventId: string): Promise<SessionRow[]>;
  /**
   * Creates sessions with their seeded notes and updates others, all or
   * nothing (a schedule import; one new session is the same with one entry).
   * A seed is the document's first update; it leaves `notes_updated_at` null,
   * since nobody wrote notes yet.
   */
  createWithNotes(eventId: string, creates: readonly NewSession[], updates: readonly SessionUpdate[], now: string): Promise<void>;
  /** Writes a session's fields and controls together. */
  update(id: string, fields: SessionFields, controls: SessionControls, now: string): Promise<void>;
  /** Soft delete: the session and its notes stay in storage, and `undelete` brings them back. */
  delete(id: string, now: string): Promise<void>;
  undelete(id: string, now: string): Promise<boolean>;
}

/** Who took notes in a session (names as they chose them). */
export interface ContributorStore {
  /** Records the names (first and last time), in one unit. */
  add(sessionId: string, names: readonly string[], now: string): Promise<void>;
  /** The names, first contributor first. */
  list(sessionId: string): Promise<string[]>;
}

export interface ResolvedToken {
  eventId: string;
  role: Role;
  hash: string;
}

/** Capability tokens (created with their event by `EventStore.create`). */
export interface TokenStore {
  /** The active token with this hash. */
  resolve(hash: string): Promise<ResolvedToken | undefined>;
  /** The active token per role (the newest if several). */
  activeTokens(eventId: string): Promise<Partial<Record<Role, string>>>;
  /** Revokes every active token of the role and stores the new one, together; resolves with the revoked hashes. */
  rotate(eventId: string, role: Role, token: { token: string; hash: string }, now: string): Promise<string[]>;
}

export interface ActionItemRow {
  id: string;
  event_id: string;
  session_id: string;
  text: string;
  /** JSON array. */
  owners: string;
  due: string | null;
  /** JSON array. */
  tags: string;
  status: ActionItemStatus;
  source: string;
  position: string;
  linked_id: string | null;
  first_seen_at: string;
  updated_at: string;
  removed_at: string | null;
}

export interface ActionItemUpsert {
  id: string;
  eventId: string;
  sessionId: string;
  text: string;
  owners: string[];
  due: string | null;
  tags: string[];
  status: ActionItemStatus;
  source: string;
  position: string;
}

export interface ActionItemFilter {
  status?: ActionItemStatus;
  owner?: string;
  tag?: string;
  /** Sessions whose own tags include `tag`: a session's tags are its working groups, so all its items match (as in search's tag:). */
  tagSessionIds?: readonly string[];
  sessionId?: string;
  overdueOn?: string;
}

/** The action-item index: derived from the documents, never the source of truth for text. */
export interface ActionItemStore {
  /** Upserts, removes (softly) and moves items, all in one unit. */
  apply(upserts: readonly ActionItemUpsert[], removedIds: readonly string[], now: string, moved?: readonly { id: string; position: string }[]): Promise<void>;
  /** A live (not removed) item. */
  find(id: string): Promise<ActionItemRow | undefined>;
  /** The session each id was ever indexed in, removed or not (ids never indexed are absent). */
  sessionsOf(ids: readonly string[]): Promise<Map<string, string>>;
  /** A session's live items, in document order. */
  listBySession(sessionId: string): Promise<ActionItemRow[]>;
  /** An event's live items of sessions not deleted, in schedule order, filtered. */
  listByEvent(eventId: string, filter?: ActionItemFilter): Promise<ActionItemRow[]>;
  setStatus(id: string, status: ActionItemStatus, now: string): Promise<void>;
  /**
   * Links a carried-forward copy to its original. Linked items form one group
   * keyed by the first original's id, so carrying an item forward again (A → B
   * → C) keeps all of them in step.
   */
  link(copyId: string, originalId: string): Promise<void>;
  /** The other live items linked to `row` (carried-forward copies and their originals). */
  linkedTo(row: ActionItemRow): Promise<ActionItemRow[]>;
}

export interface JoinTarget {
  eventSlug: string;
  sessionId: string;
  role: 'edit' | 'view';
  /** The link's current token: a rotated link kills its codes. */
  token: string;
}

export interface NewJoinCode {
  code: string;
  eventId: string;
  sessionId: string;
  role: 'edit' | 'view';
  tokenHash: string;
  now: string;
  expiresAt: string;
}

/** Short join codes. A code resolves only while it is unexpired, its token unrevoked and its session not deleted. */
export interface JoinCodeStore {
  insert(row: NewJoinCode): Promise<void>;
  /** A live code for the same session, role and token that stays valid until at least `validUntil`. */
  reusable(sessionId: string, role: 'edit' | 'view', tokenHash: string, validUntil: string): Promise<{ code: string; expiresAt: string } | undefined>;
  resolve(code: string, now: string): Promise<JoinTarget | undefined>;
  purgeExpired(now: string): Promise<void>;
}

/** Every storage port the server depends on; `openStorage` (SQLite) returns them, and so will PostgreSQL. */
export interface StoragePorts {
  docs: DocStore;
  events: EventStore;
  sessions: SessionStore;
  contributors: ContributorStore;
  tokens: TokenStore;
  actionItems: ActionItemStore;
  joinCodes: JoinCodeStore;
}
