import type { Node as ProseMirrorNode, Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { parseActionItem } from '../../shared/actionItems/parse.js';
import { LIMITS } from '../../shared/limits.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { ActionItemTagger } from '../actionItems/tagger.js';
import { collectParagraphs, describeParagraph, isItemLine } from '../actionItems/blocks.js';
import type { CommitQueue } from '../collab/commitQueue.js';
import { SERVER_ORIGIN, type Room } from '../collab/room.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import { HttpError } from '../http/httpError.js';
import { yBlocksOf } from './yNotes.js';

export type ImportMode = 'append' | 'replace';

/** What an import will add, counted the way the editor and the tagger will see it. */
export interface ImportSummary {
  /** Top-level blocks (a list counts once). */
  blocks: number;
  /** Lines: paragraphs, headings and code blocks. */
  lines: number;
  /** The first lines' text, to recognise the file by. */
  preview: string[];
  /** Action items the tagger will find, parsed exactly as it parses them. */
  actionItems: { text: string; owners: string[]; due: string | null; status: 'open' | 'done' }[];
}

export interface NotesImporterDeps {
  registry: RoomRegistry;
  commitQueue: CommitQueue;
  tagger: ActionItemTagger;
  schema: Schema;
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

  /** Counts what `doc` will become in a document, without touching one. 413 if it would exceed the update limit. */
  summarize(doc: ProseMirrorNode, sessionDate: string | null): ImportSummary {
    const staged = this.stage(doc);
    try {
      const paragraphs = collectParagraphs(staged.fragment);
      const actionItems = paragraphs.flatMap((el) => {
        const parsed = isItemLine(el) ? parseActionItem(describeParagraph(el), { sessionDate }) : null;
        return parsed ? [{ text: parsed.text, owners: parsed.owners, due: parsed.due, status: parsed.status }] : [];
      });
      const lines: string[] = [];
      doc.descendants((node) => {
        if (node.isTextblock) lines.push(node.textContent);
        return !node.isTextblock;
      });
      return { blocks: doc.childCount, lines: lines.length, preview: lines.filter((l) => l.trim()).slice(0, 8).map((l) => l.slice(0, 200)), actionItems };
    } finally {
      staged.ydoc.destroy();
    }
  }

  /**
   * Imports into every target in one go: all rooms are loaded first, then
   * every document is changed in the same event-loop turn, so the commit
   * queue stores them in one SQLite transaction: all of them or none.
   */
  async apply(targets: readonly ImportTarget[]): Promise<void> {
    const blocks = targets.map((t) => this.build(t.doc));
    const rooms: Room[] = [];
    try {
      for (const t of targets) rooms.push(await this.deps.registry.acquire(t.sessionId));
      targets.forEach((t, i) => {
        const fragment = rooms[i]!.doc.getXmlFragment(NOTES_FRAGMENT);
        rooms[i]!.doc.transact(() => {
          if (t.mode === 'replace') fragment.delete(0, fragment.length);
          fragment.insert(fragment.length, blocks[i]!);
        }, SERVER_ORIGIN);
      });
      for (const room of rooms) this.deps.tagger.flush(room);
      await this.deps.commitQueue.whenIdle();
      if (rooms.some((r) => r.broken)) throw new HttpError(503, 'store_failed', 'the notes could not be stored; nothing was imported');
    } finally {
      for (const room of rooms) this.deps.registry.release(room);
    }
  }

  /** The notes as Yjs elements in a scratch document, to count and measure them as the tagger and storage will. */
  private stage(doc: ProseMirrorNode): { ydoc: Y.Doc; fragment: Y.XmlFragment } {
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment(NOTES_FRAGMENT);
    try {
      fragment.insert(0, this.build(doc));
      if (Y.encodeStateAsUpdate(ydoc).length > LIMITS.maxUpdateBytes) throw tooLarge();
    } catch (err) {
      ydoc.destroy();
      // Yjs inserts a node's children with one spread call: hundreds of thousands of list items overflow the stack.
      throw err instanceof RangeError ? tooLarge() : err;
    }
    return { ydoc, fragment };
  }

  private build(doc: ProseMirrorNode): Y.XmlElement[] {
    try {
      return yBlocksOf(doc);
    } catch (err) {
      throw err instanceof RangeError ? tooLarge() : err;
    }
  }
}

function tooLarge(): HttpError {
  return new HttpError(413, 'too_large', `the imported notes would be larger than one document update may be (${LIMITS.maxUpdateBytes / 1024 / 1024} MiB)`);
}
