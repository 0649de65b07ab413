import type { JSONContent } from '@tiptap/core';
import type { SchemaLoader } from '../notesSchemaLoader.js';
import { defaultSessionTemplate, TEMPLATE_HEADINGS, type TemplateLanguage } from '../../shared/editor/template.js';
import type { MinutesEvent, MinutesSession } from '../../shared/minutes/model.js';
import { actionItemRowToDto } from '../storage/actionItemRepo.js';
import type { ActionItemService } from '../actionItems/actionItemService.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import type { EventRow, SessionRow } from '../storage/rows.js';
import type { DocStore } from '../storage/docStore.js';
import { eventLanguageOf } from '../storage/eventRepo.js';
import { DomainError } from '../domainError.js';
import type { ActionItemStore, ContributorStore, SessionStore } from '../storage/ports.js';
import { sessionRowToFields } from '../storage/sessionRepo.js';
import { resolveEvent, resolveSession, type MinutesEventInput, type MinutesSessionInput } from './renderJob.js';
import { readNotesState } from './notesJson.js';

export interface MinutesSourceDeps {
  sessions: Pick<SessionStore, 'listByEvent'>;
  contributors: Pick<ContributorStore, 'list'>;
  actionItems: Pick<ActionItemStore, 'listBySession'>;
  actionItemService?: Pick<ActionItemService, 'pending'>;
  /** Live rooms hold the newest state; the CLI, which runs without a server, has none. */
  registry: Pick<RoomRegistry, 'get'>;
  docStore: Pick<DocStore, 'load'>;
  /** The editor schema, loaded by the first export. */
  schema: SchemaLoader;
  /** History: Note-takers by how much of the notes each wrote, and the notes of a past version (server/history). */
  history?: MinutesHistory;
}

export interface MinutesHistory {
  /** People by characters of the current notes they wrote, most first (empty when nobody is known). */
  noteTakers(sessionId: string): Promise<string[]>;
  /** A past version: its notes' state, its note-takers, the action items in it. Throws 404 for an unknown one. */
  version(sessionId: string, rev: number): Promise<{ state: Uint8Array; noteTakers: string[]; actionItemIds: ReadonlySet<string> }>;
}

/**
 * Heading texts of the templates a session of this event may have started
 * from (the event's own, and the default ones it replaced, in every language:
 * the event's language may have changed since).
 */
export function scaffoldHeadings(event: Pick<EventRow, 'template'>): string[] {
  const out = new Set<string>();
  // Iterative: a stored template is only as deep as the schema check let it be, but walks here never trust depth.
  const walk = (root: JSONContent) => {
    const stack: unknown[] = [root];
    while (stack.length) {
      const n = stack.pop() as JSONContent | null | undefined;
      if (typeof n !== 'object' || n === null) continue;
      if (n.type === 'heading') out.add((Array.isArray(n.content) ? n.content : []).map((c) => (typeof c?.text === 'string' ? c.text : '')).join('').trim());
      else if (Array.isArray(n.content)) for (const c of n.content) stack.push(c);
    }
  };
  for (const language of Object.keys(TEMPLATE_HEADINGS) as TemplateLanguage[]) walk(defaultSessionTemplate(language));
  if (event.template) {
    try {
      walk(JSON.parse(event.template) as JSONContent);
    } catch {
      // A template that does not parse has no headings to recognise.
    }
  }
  out.delete('');
  return [...out];
}

/**
 * Gathers what the pure minutes renderers need, from storage and live rooms.
 * The `…Input` forms carry the notes as their Yjs state (cheap to take on the
 * event loop; the render pool reads them); `session()` and `event()` read
 * them here, for the CLI.
 */
export class MinutesSource {
  constructor(private readonly deps: MinutesSourceDeps) {}

  async session(event: EventRow, session: SessionRow): Promise<MinutesSession> {
    return resolveSession(await this.sessionInput(event, session), await this.deps.schema());
  }

  async event(event: EventRow, onProgress?: (done: number, total: number) => void): Promise<MinutesEvent> {
    return resolveEvent(await this.eventInput(event, onProgress), await this.deps.schema());
  }

  async sessionInput(event: EventRow, session: SessionRow, opts: { version?: number } = {}): Promise<MinutesSessionInput> {
    const f = sessionRowToFields(session);
    if (opts.version !== undefined && !this.deps.history) throw new DomainError('history_unavailable');
    const version = opts.version !== undefined && this.deps.history ? await this.deps.history.version(session.id, opts.version) : undefined;
    // Pending tagging is computed on a copy: exporting the minutes never writes into the notes.
    const pending = version ? null : ((await this.deps.actionItemService?.pending(session.id)) ?? null);
    const authored = version?.noteTakers ?? (await this.deps.history?.noteTakers(session.id)) ?? [];
    const items = (pending?.items ?? (await this.deps.actionItems.listBySession(session.id))).map(actionItemRowToDto);
    return {
      event: { title: event.title, timezone: event.timezone, language: eventLanguageOf(event) },
      session: {
        id: session.id,
        title: f.title,
        startsAt: f.startsAt,
        endsAt: f.endsAt,
        rooms: f.rooms,
        moderators: f.moderators,
        tags: f.tags,
      },
      // Who wrote the notes, by how much of them is theirs; sessions without authorship keep who edited.
      noteTakers: authored.length ? authored : await this.deps.contributors.list(session.id),
      notesState: version ? [version.state] : pending ? [pending.notesState] : await readNotesState(session.id, this.deps),
      scaffoldHeadings: scaffoldHeadings(event),
      actionItems: version ? items.filter((i) => version.actionItemIds.has(i.id)) : items,
    };
  }

  async eventInput(event: EventRow, onProgress?: (done: number, total: number) => void): Promise<MinutesEventInput> {
    const rows = await this.deps.sessions.listByEvent(event.id);
    const sessions: MinutesSessionInput[] = [];
    for (const row of rows) {
      sessions.push(await this.sessionInput(event, row));
      onProgress?.(sessions.length, rows.length);
    }
    return { event: { title: event.title, timezone: event.timezone, slug: event.slug, language: eventLanguageOf(event) }, sessions, generatedAt: new Date().toISOString() };
  }
}
