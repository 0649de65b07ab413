import * as Y from 'yjs';
import type { ActionItemStatus } from '../../shared/schemas.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { CommitQueue } from '../collab/commitQueue.js';
import { SERVER_ORIGIN, type Room } from '../collab/room.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import { newId } from '../domain/randomIds.js';
import { HttpError, notFound } from '../http/httpError.js';
import type { ActionItemRepo, ActionItemRow } from './actionItemRepo.js';
import { collectParagraphs } from './blocks.js';
import type { ActionItemTagger } from './tagger.js';

export interface ActionItemServiceDeps {
  repo: ActionItemRepo;
  registry: RoomRegistry;
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
  constructor(private readonly deps: ActionItemServiceDeps) {}

  /** Runs any pending tagging for a loaded session, so reads see what was just typed. */
  flushSession(sessionId: string): void {
    const room = this.deps.registry.get(sessionId);
    if (room) this.deps.tagger.flush(room);
  }

  async setStatus(id: string, status: ActionItemStatus): Promise<ActionItemRow> {
    const row = this.deps.repo.find(id);
    if (!row) throw notFound('action item');
    await this.writeStatus(row, status);
    if (row.linked_id) {
      const linked = this.deps.repo.find(row.linked_id);
      if (linked && linked.status !== status) await this.writeStatus(linked, status);
    }
    return this.deps.repo.find(id) ?? row;
  }

  /** Mirrors a status change the tagger saw in one document onto its linked item. */
  async propagate(id: string, status: ActionItemStatus): Promise<void> {
    const row = this.deps.repo.find(id);
    if (!row?.linked_id) return;
    const linked = this.deps.repo.find(row.linked_id);
    if (linked && linked.status !== status) await this.writeStatus(linked, status);
  }

  private async writeStatus(row: ActionItemRow, status: ActionItemStatus): Promise<void> {
    await this.withRoom(row.session_id, async (room) => {
      this.deps.tagger.flush(room);
      const el = this.deps.tagger.elementFor(room, row.id) ?? findParagraph(room, row.id);
      if (!el) throw new HttpError(409, 'gone', 'this action item is no longer in the notes');
      room.doc.transact(() => {
        const parent = el.parent;
        if (parent instanceof Y.XmlElement && parent.nodeName === 'taskItem') parent.setAttribute('checked', (status === 'done') as unknown as string);
        el.setAttribute('actionStatus', status);
      }, SERVER_ORIGIN);
      this.deps.repo.setStatus(row.id, status, (this.deps.now?.() ?? new Date()).toISOString());
      await this.deps.commitQueue.whenIdle();
    });
  }

  /**
   * Copies the open items of `fromSessionId` into `toSessionId`'s notes as
   * task items under a heading, each linked to its original.
   */
  async carryForward(fromSessionId: string, fromTitle: string, toSessionId: string): Promise<{ copied: number }> {
    this.flushSession(fromSessionId);
    const open = this.deps.repo.listBySession(fromSessionId).filter((r) => r.status === 'open');
    if (open.length === 0) return { copied: 0 };
    const pairs: [string, string][] = [];
    await this.withRoom(toSessionId, async (room) => {
      const fragment = room.doc.getXmlFragment(NOTES_FRAGMENT);
      room.doc.transact(() => {
        const heading = new Y.XmlElement('heading');
        heading.setAttribute('level', 3 as unknown as string);
        heading.insert(0, [new Y.XmlText(`Carried forward from “${fromTitle}”`)]);
        const list = new Y.XmlElement('taskList');
        const items = open.map((r) => {
          const item = new Y.XmlElement('taskItem');
          item.setAttribute('checked', false as unknown as string);
          const p = new Y.XmlElement('paragraph');
          const copyId = newId();
          pairs.push([copyId, r.id]);
          p.setAttribute('actionItemId', copyId);
          p.setAttribute('actionStatus', 'open');
          p.insert(0, [new Y.XmlText(r.text)]);
          item.insert(0, [p]);
          return item;
        });
        list.insert(0, items);
        fragment.push([heading, list]);
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

function findParagraph(room: Room, id: string): Y.XmlElement | undefined {
  return collectParagraphs(room.doc.getXmlFragment(NOTES_FRAGMENT)).find((p) => p.getAttribute('actionItemId') === id);
}
