import * as Y from 'yjs';
import { pinDueDate } from '../../shared/actionItems/parse.js';
import type { ActionItemStatus } from '../../shared/schemas.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { CommitQueue } from '../collab/commitQueue.js';
import { SERVER_ORIGIN, type Room } from '../collab/room.js';
import type { Rooms } from '../collab/roomExtension.js';
import { newId } from '../newId.js';
import { DomainError } from '../domainError.js';
import { mirrorLinked, writeStatus, type StatusWriterDeps } from './linkedStatus.js';
import { actionItemMatches } from '../storage/actionItemRepo.js';
import type { ActionItemFilter, ActionItemRow, ActionItemStore } from '../storage/ports.js';
import type { ActionItemTagger, TaggingPreview } from './tagger.js';

export interface ActionItemServiceDeps {
  repo: ActionItemStore;
  registry: Rooms;
  commitQueue: CommitQueue;
  tagger: ActionItemTagger;
  now?: () => Date;
  /** How long a write waits for another process to index an item its notes already show. */
  indexWaitMs?: number;
}

/**
 * Changes that start outside the editor (the board's status toggle, carry
 * forward) are written into the document first, so the notes and the board
 * can never disagree; the tagger then updates the index from the document.
 */
export class ActionItemService {
  private readonly writer: StatusWriterDeps;

  constructor(private readonly deps: ActionItemServiceDeps) {
    this.writer = { repo: deps.repo, rooms: deps.registry, tagger: deps.tagger, now: deps.now };
  }

  /**
   * A session's action items as they are once pending tagging has run,
   * without running it: reads never write into the notes.
   */
  async listSession(sessionId: string): Promise<ActionItemRow[]> {
    return (await this.pending(sessionId))?.items ?? this.deps.repo.listBySession(sessionId);
  }

  /**
   * An event's action items, filtered, in schedule order; the sessions with
   * pending tagging contribute what it will index (computed on a copy).
   * `sessionIds` are the event's sessions in schedule order.
   */
  async listEvent(eventId: string, filter: ActionItemFilter, sessionIds: readonly string[]): Promise<ActionItemRow[]> {
    const pending = new Map<string, ActionItemRow[]>();
    for (const id of sessionIds) {
      const preview = await this.pending(id);
      if (preview) pending.set(id, preview.items.filter((r) => actionItemMatches(r, filter)));
    }
    const stored = await this.deps.repo.listByEvent(eventId, filter);
    if (pending.size === 0) return stored;
    const bySession = new Map<string, ActionItemRow[]>();
    for (const row of stored) bySession.set(row.session_id, [...(bySession.get(row.session_id) ?? []), row]);
    return sessionIds.flatMap((id) => pending.get(id) ?? bySession.get(id) ?? []);
  }

  /** What pending tagging of a loaded session will change, computed on a copy (null when nothing is pending). */
  async pending(sessionId: string): Promise<TaggingPreview | null> {
    const room = this.deps.registry.get(sessionId);
    if (!room) return null;
    // Read from durable notes (a commit may be in flight for a few ms): a list never shows lines that are not stored yet.
    await room.whenDurable();
    return this.deps.tagger.preview(room);
  }

  /** Runs any pending tagging for a loaded session (before a write that depends on it). */
  async flushSession(sessionId: string): Promise<void> {
    const room = this.deps.registry.get(sessionId);
    if (!room) return;
    await room.whenDurable();
    await this.deps.tagger.flush(room);
  }

  /**
   * An indexed item. An item whose tag people can already see is waited for:
   * one a list showed while its tagging was pending, one this process is
   * indexing now, or one another process tagged (for at most `indexWaitMs`).
   */
  async find(id: string): Promise<ActionItemRow | undefined> {
    const row = await this.deps.repo.find(id);
    if (row) return row;
    const room = this.deps.tagger.roomReserving(id);
    if (room) {
      await this.deps.tagger.flush(room);
      return this.deps.repo.find(id);
    }
    if (!this.deps.tagger.taggedElsewhere(id)) return undefined;
    const until = Date.now() + (this.deps.indexWaitMs ?? 3000);
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const found = await this.deps.repo.find(id);
      if (found) return found;
    }
    return undefined;
  }

  /** Waits until what the session's notes hold now is durable, then runs its pending tagging: action items as stored. */
  async settleSession(sessionId: string): Promise<void> {
    const room = this.deps.registry.get(sessionId);
    if (!room) return;
    await room.whenDurable();
    await this.deps.tagger.flush(room);
  }

  async setStatus(id: string, status: ActionItemStatus): Promise<ActionItemRow> {
    const row = await this.find(id);
    if (!row) throw new DomainError('action_item_not_found');
    await writeStatus(this.writer, row, status);
    await this.deps.commitQueue.whenIdle();
    await mirrorLinked(this.writer, id, status);
    await this.deps.commitQueue.whenIdle();
    return (await this.deps.repo.find(id)) ?? row;
  }
  /**
   * Copies the open items of `fromSessionId` into `toSessionId`'s notes as
   * task items under a heading, each linked to its original. Items already
   * carried into that session are not copied twice.
   */
  async carryForward(fromSessionId: string, heading: string, toSessionId: string): Promise<{ copied: number }> {
    await this.flushSession(fromSessionId);
    await this.flushSession(toSessionId);
    const open: ActionItemRow[] = [];
    for (const r of await this.deps.repo.listBySession(fromSessionId)) {
      if (r.status === 'open' && !(await this.deps.repo.linkedTo(r)).some((l) => l.session_id === toSessionId)) open.push(r);
    }
    if (open.length === 0) return { copied: 0 };
    const pairs: [string, string][] = [];
    const target = { sessionDate: (await this.deps.tagger.contextOf(toSessionId))?.sessionDate ?? null };
    await this.withRoom(toSessionId, async (room) => {
      const fragment = room.doc.getXmlFragment(NOTES_FRAGMENT);
      room.doc.transact(() => {
        const title = new Y.XmlElement('heading');
        title.setAttribute('level', 3 as unknown as string);
        title.insert(0, [new Y.XmlText(heading)]);
        const list = new Y.XmlElement('taskList');
        const items = open.map((r) => {
          const item = new Y.XmlElement('taskItem');
          item.setAttribute('checked', false as unknown as string);
          const p = new Y.XmlElement('paragraph');
          const copyId = newId();
          pairs.push([copyId, r.id]);
          p.setAttribute('actionItemId', copyId);
          p.setAttribute('actionStatus', 'open');
          p.insert(0, [new Y.XmlText(pinDueDate(r.text, r.due, target))]);
          item.insert(0, [p]);
          return item;
        });
        list.insert(0, items);
        fragment.push([title, list]);
      }, SERVER_ORIGIN);
      await this.deps.tagger.flush(room);
      await this.deps.commitQueue.whenIdle();
    });
    for (const [copy, original] of pairs) await this.deps.repo.link(copy, original);
    return { copied: pairs.length };
  }

  private async withRoom<T>(sessionId: string, fn: (room: Room) => Promise<T>): Promise<T> {
    const room = await this.deps.registry.acquire(sessionId);
    try {
      return await fn(room);
    } finally {
      this.deps.registry.release(room);
    }
  }
}
