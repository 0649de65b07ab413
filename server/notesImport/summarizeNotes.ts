import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { parseActionItem } from '../../shared/actionItems/parse.js';
import { LIMITS } from '../../shared/limits.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { collectParagraphs, describeParagraph, isItemLine } from '../actionItems/blocks.js';
import { DomainError } from '../domainError.js';
import { yBlocksOf } from './yNotes.js';

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

/**
 * Builds the notes as Yjs blocks in a scratch document, exactly as they
 * will be written, and counts them there: the update's size (413 over the
 * limit for one document update) and the action items, found with the
 * tagger's own block rules and parser.
 */
export function summarizeNotes(doc: ProseMirrorNode, sessionDate: string | null): ImportSummary {
  const ydoc = new Y.Doc();
  try {
    const fragment = ydoc.getXmlFragment(NOTES_FRAGMENT);
    fragment.insert(0, yBlocksOrTooLarge(doc));
    if (Y.encodeStateAsUpdate(ydoc).length > LIMITS.maxUpdateBytes) throw tooLarge();
    const actionItems = collectParagraphs(fragment).flatMap((el) => {
      const parsed = isItemLine(el) ? parseActionItem(describeParagraph(el), { sessionDate }) : null;
      return parsed ? [{ text: parsed.text, owners: parsed.owners, due: parsed.due, status: parsed.status }] : [];
    });
    const lines: string[] = [];
    doc.descendants((node) => {
      if (node.isTextblock) lines.push(node.textContent);
      return !node.isTextblock;
    });
    return { blocks: doc.childCount, lines: lines.length, preview: lines.filter((l) => l.trim()).slice(0, 8).map((l) => l.slice(0, 200)), actionItems };
  } catch (err) {
    // Yjs inserts a node's children with one spread call: hundreds of thousands of list items overflow the stack.
    throw err instanceof RangeError ? tooLarge() : err;
  } finally {
    ydoc.destroy();
  }
}

export function yBlocksOrTooLarge(doc: ProseMirrorNode): Y.XmlElement[] {
  try {
    return yBlocksOf(doc);
  } catch (err) {
    throw err instanceof RangeError ? tooLarge() : err;
  }
}

function tooLarge(): DomainError {
  return new DomainError('too_large', { maxMiB: LIMITS.maxUpdateBytes / 1024 / 1024 }, [{ path: 'notes', message: 'the imported notes would be larger than one document update may be' }]);
}
