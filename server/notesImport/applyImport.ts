import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { ActionItemTagger } from '../actionItems/tagger.js';
import type { CommitQueue } from '../collab/commitQueue.js';
import { SERVER_ORIGIN, type Room } from '../collab/room.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import { DomainError } from '../domainError.js';
import { yBlocksOrTooLarge } from './summarizeNotes.js';

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
   */
  async apply(targets: readonly ImportTarget[]): Promise<void> {
    const blocks = targets.map((t) => yBlocksOrTooLarge(t.doc));
    const rooms: Room[] = [];
    try {
      for (const t of targets) rooms.push(await this.deps.registry.acquire(t.sessionId));
      targets.forEach((t, i) => {
        const doc = rooms[i]!.doc;
        const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
        const all = blocks[i]!;
        // Blocks go in a few hundred per transaction: an observer reading a Yjs event's `changes` pays
        // quadratically in the blocks one event adds (the tagger does; 25,000 lines cost seconds). The
        // transactions of this turn still form one commit and reach every client as one update.
        for (let at = 0; at === 0 || at < all.length; at += BLOCKS_PER_TRANSACTION) {
          doc.transact(() => {
            if (at === 0 && t.mode === 'replace') fragment.delete(0, fragment.length);
            fragment.insert(fragment.length, all.slice(at, at + BLOCKS_PER_TRANSACTION));
          }, SERVER_ORIGIN);
        }
      });
      for (const room of rooms) await this.deps.tagger.flush(room);
      await this.deps.commitQueue.whenIdle();
      if (rooms.some((r) => r.broken)) throw new DomainError('store_failed');
    } finally {
      for (const room of rooms) this.deps.registry.release(room);
    }
  }
}
