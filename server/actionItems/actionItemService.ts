import * as Y from 'yjs';
import { pinDueDate } from '../../shared/actionItems/parse.js';
import type { ActionItemStatus } from '../../shared/schemas.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { CommitQueue } from '../collab/commitQueue.js';
import { SERVER_ORIGIN, type Room } from '../collab/room.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import { newId } from '../newId.js';
import { DomainError } from '../domainError.js';
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
    if (!row) throw new DomainError('action_item_not_found');
    await this.writeStatus(row, status);
    await this.propagate(id, status);
    return this.deps.repo.find(id) ?? row;
  }

  /** Mirrors a status change onto the items linked to `id` (carried forward), in their own documents. */
  async propagate(id: string, status: ActionItemStatus): Promise<void> {
    const row = this.deps.repo.find(id);
    if (!row) return;
    for (const linked of this.deps.repo.linkedTo(row)) {
      if (linked.status === status) continue;
      try {
        await this.writeStatus(linked, status);
      } catch (err) {
        // A linked copy someone deleted from its notes must not block closing this one.
        if (!(err instanceof DomainError && err.code === 'gone')) throw err;
      }
    }
  }

  private async writeStatus(row: ActionItemRow, status: ActionItemStatus): Promise<void> {
    await this.withRoom(row.session_id, async (room) => {
      this.deps.tagger.flush(room);
      const el = this.deps.tagger.elementFor(room, row.id) ?? findParagraph(room, row.id);
      if (!el) throw new DomainError('gone');
      room.doc.transact(() => {
        const parent = el.parent;
        if (parent instanceof Y.XmlElement && parent.nodeName === 'taskItem') parent.setAttribute('checked', (status === 'done') as unknown as string);
        else setTypedBox(el, status);
        el.setAttribute('actionStatus', status);
      }, SERVER_ORIGIN);
      this.deps.repo.setStatus(row.id, status, (this.deps.now?.() ?? new Date()).toISOString());
      await this.deps.commitQueue.whenIdle();
    });
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

const TYPED_BOX = /^(\s*(?:(?:[-*•・+‣◦▪–—]|\d{1,3}[.)])\s*)*)(\[(?: |x|X|✓|✔)?\]|☐|☑|☒|✅|✔)/u;

/**
 * A plain-text task ("[ ] send the summary") keeps its box in the text; the
 * tagger reads the status from it, so the board's toggle rewrites the box.
 */
function setTypedBox(el: Y.XmlElement, status: ActionItemStatus): void {
  const first = el.get(0);
  if (!(first instanceof Y.XmlText)) return;
  // toString() would render formatting as tags; offsets must count characters (an embed counts as one).
  const plain = (first.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '\ufffc')).join('');
  const m = TYPED_BOX.exec(plain);
  if (!m) return;
  const box = m[2]!;
  const wanted = box.startsWith('[') ? (status === 'done' ? '[x]' : '[ ]') : status === 'done' ? '☑' : '☐';
  if (box === wanted || (status === 'done' && box !== '[ ]' && box !== '[]' && box !== '☐')) return;
  first.delete(m[1]!.length, box.length);
  first.insert(m[1]!.length, wanted);
}

function findParagraph(room: Room, id: string): Y.XmlElement | undefined {
  return collectParagraphs(room.doc.getXmlFragment(NOTES_FRAGMENT)).find((p) => p.getAttribute('actionItemId') === id);
}
