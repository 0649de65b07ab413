import type { Editor } from '@tiptap/core';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { currentText, type Rescue } from '../collab/lostTyping.js';

interface Binding {
  doc: Y.Doc;
  type: Y.XmlFragment;
  mapping: Map<unknown, unknown>;
}

/**
 * Puts typing a remote change dropped back into the notes as this user's own
 * edit. Done here rather than in Yjs so the caret moves past it, as it does
 * past anything one types: y-tiptap ties a caret to the character on its left,
 * so text Yjs inserted at the caret would end up after the next words.
 */
export function rescueInEditor(editor: Editor, rescues: readonly Rescue[]): void {
  const binding = (ySyncPluginKey.getState(editor.state) as { binding?: Binding | null } | undefined)?.binding;
  if (!binding || editor.isDestroyed) return;
  const inserts: { pos: number; text: string }[] = [];
  for (const { target, expected, runs } of rescues) {
    if (target._item?.deleted || currentText(target) !== expected) continue;
    for (const run of runs) {
      const pos = relativePositionToAbsolutePosition(binding.doc, binding.type, Y.createRelativePositionFromTypeIndex(target, run.index), binding.mapping as never);
      if (pos !== null) inserts.push({ pos, text: run.text });
    }
  }
  if (inserts.length === 0) return;
  const tr = editor.state.tr;
  // From the end, so each position still means what it meant before the first insert.
  for (const { pos, text } of inserts.sort((a, b) => b.pos - a.pos)) tr.insertText(text, pos);
  editor.view.dispatch(tr);
}
