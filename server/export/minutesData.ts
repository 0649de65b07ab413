import type { JSONContent } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { defaultSessionTemplate, TEMPLATE_HEADINGS, type TemplateLanguage } from '../../shared/editor/template.js';
import type { MinutesEvent, MinutesSession } from '../../shared/minutes/model.js';
import type { ActionItemRepo } from '../actionItems/actionItemRepo.js';
import { actionItemRowToDto } from '../actionItems/actionItemRepo.js';
import type { ActionItemService } from '../actionItems/actionItemService.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import type { EventRow, SessionRow } from '../storage/rows.js';
import type { DocStore } from '../storage/docStore.js';
import type { EventRepo } from '../storage/eventRepo.js';
import { eventLanguageOf } from '../storage/eventRepo.js';
import type { SessionRepo } from '../storage/sessionRepo.js';
import { sessionRowToFields } from '../storage/sessionRepo.js';
import { readNotesJson } from './notesJson.js';

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
  const walk = (n: JSONContent) => {
    if (n.type === 'heading') out.add((n.content ?? []).map((c) => c.text ?? '').join('').trim());
    n.content?.forEach(walk);
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

/** Gathers what the pure minutes renderers need, from storage and live rooms. */
export class MinutesSource {
  constructor(private readonly deps: MinutesSourceDeps) {}

  async session(event: EventRow, session: SessionRow): Promise<MinutesSession> {
    this.deps.actionItemService?.flushSession(session.id);
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
      notes: await readNotesJson(session.id, this.deps),
      scaffoldHeadings: scaffoldHeadings(event),
      actionItems: this.deps.actionItems.listBySession(session.id).map(actionItemRowToDto),
    };
  }

  async event(event: EventRow, onProgress?: (done: number, total: number) => void): Promise<MinutesEvent> {
    const rows = this.deps.sessions.listByEvent(event.id);
    const sessions: MinutesSession[] = [];
    for (const row of rows) {
      sessions.push(await this.session(event, row));
      onProgress?.(sessions.length, rows.length);
    }
    return { event: { title: event.title, timezone: event.timezone, slug: event.slug, language: eventLanguageOf(event) }, sessions, generatedAt: new Date().toISOString() };
  }
}
