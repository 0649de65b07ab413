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
import type { ActionItemRepo, ActionItemRow } from '../storage/actionItemRepo.js';
import type { ActionItemTagger } from './tagger.js';

export interface ActionItemServiceDeps {
  repo: ActionItemRepo;
  registry: Rooms;
  commitQueue: CommitQueue;
  tagger: ActionItemTagger;
  now?: () => Date;
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

  /** Runs any pending tagging for a loaded session (before a write that depends on it). */
  flushSession(sessionId: string): void {
    const room = this.deps.registry.get(sessionId);
    if (room) this.deps.tagger.flush(room);
  }

  /** Waits until what the session's notes hold now is durable, then runs its pending tagging: action items as stored. */
  async settleSession(sessionId: string): Promise<void> {
    const room = this.deps.registry.get(sessionId);
    if (!room) return;
    await room.whenDurable();
    this.deps.tagger.flush(room);
  }

  async setStatus(id: string, status: ActionItemStatus): Promise<ActionItemRow> {
    const row = this.deps.repo.find(id);
    if (!row) throw new DomainError('action_item_not_found');
    await writeStatus(this.writer, row, status);
    await this.deps.commitQueue.whenIdle();
    await mirrorLinked(this.writer, id, status);
    await this.deps.commitQueue.whenIdle();
    return this.deps.repo.find(id) ?? row;
  }
  /**
   * Copies the open items of `fromSessionId` into `toSessionId`'s notes as
   * task items under a heading, each linked to its original. Items already
   * carried into that session are not copied twice.
   */
  async carryForward(fromSessionId: string, heading: string, toSessionId: string): Promise<{ copied: number }> {
    this.flushSession(fromSessionId);
    this.flushSession(toSessionId);
    const open = this.deps.repo
      .listBySession(fromSessionId)
      .filter((r) => r.status === 'open' && !this.deps.repo.linkedTo(r).some((l) => l.session_id === toSessionId));
    if (open.length === 0) return { copied: 0 };
    const pairs: [string, string][] = [];
    const target = { sessionDate: this.deps.tagger.contextOf(toSessionId)?.sessionDate ?? null };
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
      this.deps.tagger.flush(room);
      await this.deps.commitQueue.whenIdle();
    });
    for (const [copy, original] of pairs) this.deps.repo.link(copy, original);
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
