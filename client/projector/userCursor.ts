import type { Editor } from '@tiptap/react';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';

interface SyncState {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Map<Y.AbstractType<unknown>, unknown> } | null;
}

/**
 * The document position of one note-taker's caret, read from their presence
 * (the same relative position their named caret is drawn at), or null when
 * they have no caret in the notes right now (their editor is not focused).
 */
export function caretPosition(editor: Editor, awareness: Awareness, clientId: number): number | null {
  const cursor = (awareness.getStates().get(clientId) as { cursor?: { head?: unknown } | null } | undefined)?.cursor;
  if (!cursor?.head) return null;
  const ystate = ySyncPluginKey.getState(editor.state) as SyncState | undefined;
  if (!ystate?.binding) return null;
  try {
    const pos = relativePositionToAbsolutePosition(ystate.doc, ystate.type, Y.createRelativePositionFromJSON(cursor.head), ystate.binding.mapping as never);
    return pos === null ? null : Math.min(pos, editor.state.doc.content.size);
  } catch {
    return null;
  }
}
