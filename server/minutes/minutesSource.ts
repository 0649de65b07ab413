import type { JSONContent } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { defaultSessionTemplate, TEMPLATE_HEADINGS, type TemplateLanguage } from '../../shared/editor/template.js';
import type { MinutesEvent, MinutesSession } from '../../shared/minutes/model.js';
import type { ActionItemRepo } from '../storage/actionItemRepo.js';
import { actionItemRowToDto } from '../storage/actionItemRepo.js';
import type { ActionItemService } from '../actionItems/actionItemService.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import type { EventRow, SessionRow } from '../storage/rows.js';
import type { DocStore } from '../storage/docStore.js';
import type { EventRepo } from '../storage/eventRepo.js';
import { eventLanguageOf } from '../storage/eventRepo.js';
import type { SessionRepo } from '../storage/sessionRepo.js';
import { sessionRowToFields } from '../storage/sessionRepo.js';
import { resolveEvent, resolveSession, type MinutesEventInput, type MinutesSessionInput } from './renderJob.js';
import { readNotesState } from './notesJson.js';

export interface MinutesSourceDeps {
  events: EventRepo;
  sessions: SessionRepo;
  actionItems: ActionItemRepo;
  actionItemService?: ActionItemService;
  /** Live rooms hold the newest state; the CLI, which runs without a server, has none. */
  registry: Pick<RoomRegistry, 'get'>;
  docStore: Pick<DocStore, 'load'>;
  schema: Schema;
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
    return resolveSession(await this.sessionInput(event, session), this.deps.schema);
  }

  async event(event: EventRow, onProgress?: (done: number, total: number) => void): Promise<MinutesEvent> {
    return resolveEvent(await this.eventInput(event, onProgress), this.deps.schema);
  }

  async sessionInput(event: EventRow, session: SessionRow): Promise<MinutesSessionInput> {
    await this.deps.actionItemService?.settleSession(session.id);
    const f = sessionRowToFields(session);
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
      noteTakers: this.deps.sessions.contributors(session.id),
      notesState: await readNotesState(session.id, this.deps),
      scaffoldHeadings: scaffoldHeadings(event),
      actionItems: this.deps.actionItems.listBySession(session.id).map(actionItemRowToDto),
    };
  }

  async eventInput(event: EventRow, onProgress?: (done: number, total: number) => void): Promise<MinutesEventInput> {
    const rows = this.deps.sessions.listByEvent(event.id);
    const sessions: MinutesSessionInput[] = [];
    for (const row of rows) {
      sessions.push(await this.sessionInput(event, row));
      onProgress?.(sessions.length, rows.length);
    }
    return { event: { title: event.title, timezone: event.timezone, slug: event.slug, language: eventLanguageOf(event) }, sessions, generatedAt: new Date().toISOString() };
  }
}
