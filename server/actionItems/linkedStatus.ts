import * as Y from 'yjs';
import type { ActionItemStatus } from '../../shared/schemas.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { SERVER_ORIGIN, type Room } from '../collab/room.js';
import type { Rooms } from '../collab/roomExtension.js';
import { DomainError, isDomainError } from '../domainError.js';
import type { ActionItemRow, ActionItemStore } from '../storage/ports.js';
import { collectParagraphs } from './blocks.js';

/** What writing a status needs from the tagger: its pending work done, and the paragraph it tracks for an item. */
export interface TaggedBlocks {
  flush(room: Room): Promise<void>;
  elementFor(room: Room, id: string): Y.XmlElement | undefined;
}

export interface StatusWriterDeps {
  repo: Pick<ActionItemStore, 'find' | 'linkedTo' | 'setStatus'>;
  rooms: Rooms;
  tagger: TaggedBlocks;
  now?: () => Date;
}

/**
 * Writes an item's status into its notes (a task item's checkbox, a typed
 * `[x]` box, or the status attribute) and into the index, through the live
 * room, so the notes and the board never disagree. `gone` when the line is
 * no longer in the notes.
 */
export async function writeStatus(deps: StatusWriterDeps, row: ActionItemRow, status: ActionItemStatus): Promise<void> {
  const room = await deps.rooms.acquire(row.session_id);
  try {
    await deps.tagger.flush(room);
    const el = deps.tagger.elementFor(room, row.id) ?? findParagraph(room, row.id);
    if (!el) throw new DomainError('gone');
    room.doc.transact(() => {
      const parent = el.parent;
      if (parent instanceof Y.XmlElement && parent.nodeName === 'taskItem') parent.setAttribute('checked', (status === 'done') as unknown as string);
      else setTypedBox(el, status);
      el.setAttribute('actionStatus', status);
    }, SERVER_ORIGIN);
    await deps.repo.setStatus(row.id, status, (deps.now?.() ?? new Date()).toISOString());
  } finally {
    deps.rooms.release(room);
  }
}

/** Mirrors a status onto the items linked to `id` (carried forward), in their own notes. */
export async function mirrorLinked(deps: StatusWriterDeps, id: string, status: ActionItemStatus): Promise<void> {
  const row = await deps.repo.find(id);
  if (!row) return;
  for (const linked of await deps.repo.linkedTo(row)) {
    if (linked.status === status) continue;
    try {
      await writeStatus(deps, linked, status);
    } catch (err) {
      // A linked copy someone deleted from its notes must not block closing this one.
      if (!isDomainError(err, 'gone')) throw err;
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
