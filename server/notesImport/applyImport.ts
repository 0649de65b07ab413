import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { ActionItemTagger } from '../actionItems/tagger.js';
import type { CommitQueue } from '../collab/commitQueue.js';
import type { Room } from '../collab/room.js';
import { IMPORT_ORIGIN } from '../history/origins.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import { DomainError } from '../domainError.js';
import { yBlocksOrTooLarge } from './summarizeNotes.js';
import { isUntouchedTemplate } from './untouchedTemplate.js';

export type ImportMode = 'append' | 'replace';

const BLOCKS_PER_TRANSACTION = 250;

export interface NotesImporterDeps {
  registry: RoomRegistry;
  commitQueue: CommitQueue;
  tagger: ActionItemTagger;
}

export interface ImportTarget {
  sessionId: string;
  doc: ProseMirrorNode;
  mode: ImportMode;
  /**
   * The heading texts of the template this session may have been seeded with
   * (templateHeadings()): "append" into notes that are still only that
   * template, nobody having written anything, replaces the template instead.
   */
  templateHeadings?: ReadonlySet<string>;
}

/**
 * Writes converted notes into live documents the way the server's other
 * writers do (carry forward, the demo): through the room, as one
 * transaction per document, so every open editor receives it at once as a
 * normal forward change, the tagger tags the imported action lines, and
 * nothing is visible to anyone before it is durable.
 */
export class NotesImporter {
  constructor(private readonly deps: NotesImporterDeps) {}

  /**
   * Imports into every target in one go: all rooms are loaded first, then
   * every document is changed in the same event-loop turn, so the commit
   * queue stores them in one SQLite transaction: all of them or none.
   *
   * Answers, per target, whether its notes were the untouched template that
   * an "append" replaced (decided in the same turn as the write, so a line
   * typed meanwhile is never lost).
   */
  async apply(targets: readonly ImportTarget[]): Promise<boolean[]> {
    const blocks = targets.map((t) => yBlocksOrTooLarge(t.doc));
    const rooms: Room[] = [];
    try {
      for (const t of targets) rooms.push(await this.deps.registry.acquire(t.sessionId));
      const replacedTemplate = targets.map((t, i) => t.mode === 'append' && t.templateHeadings !== undefined && isUntouchedTemplate(rooms[i]!.doc.getXmlFragment(NOTES_FRAGMENT), t.templateHeadings));
      targets.forEach((t, i) => {
        const doc = rooms[i]!.doc;
        const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
        const all = blocks[i]!;
        // The untouched template is replaced as a replace is: one forward change every editor receives.
        const replace = t.mode === 'replace' || replacedTemplate[i]!;
        // Blocks go in a few hundred per transaction: an observer reading a Yjs event's `changes` pays
        // quadratically in the blocks one event adds (the tagger does; 25,000 lines cost seconds). The
        // transactions of this turn still form one commit and reach every client as one update.
        for (let at = 0; at === 0 || at < all.length; at += BLOCKS_PER_TRANSACTION) {
          doc.transact(() => {
            if (at === 0 && replace) fragment.delete(0, fragment.length);
            fragment.insert(fragment.length, all.slice(at, at + BLOCKS_PER_TRANSACTION));
          }, IMPORT_ORIGIN);
        }
      });
      for (const room of rooms) await this.deps.tagger.flush(room);
      await this.deps.commitQueue.whenIdle();
      if (rooms.some((r) => r.broken)) throw new DomainError('store_failed');
      return replacedTemplate;
    } finally {
      for (const room of rooms) this.deps.registry.release(room);
    }
  }

  /** For a preview: whether each session's notes are still the untouched template (see apply), changing nothing. */
  async untouched(targets: readonly { sessionId: string; templateHeadings: ReadonlySet<string> }[]): Promise<boolean[]> {
    const out: boolean[] = [];
    for (const t of targets) {
      const room = await this.deps.registry.acquire(t.sessionId);
      try {
        out.push(isUntouchedTemplate(room.doc.getXmlFragment(NOTES_FRAGMENT), t.templateHeadings));
      } finally {
        this.deps.registry.release(room);
      }
    }
    return out;
  }
}
