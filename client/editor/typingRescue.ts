import type { Editor } from '@tiptap/core';
import { relativePositionToAbsolutePosition } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { stillApplies, type Rescue } from '../collab/lostTyping.js';
import { syncBinding } from './syncBinding.js';

/**
 * Puts typing a remote change dropped back into the notes as this user's own
 * edit, with its formatting. Done here rather than in Yjs so the caret moves
 * past it, as it does past anything one types: y-tiptap ties a caret to the
 * character on its left, so text Yjs inserted at the caret would end up after
 * the next words.
 */
export function rescueInEditor(editor: Editor, rescues: readonly Rescue[]): void {
  const binding = syncBinding(editor.state);
  if (!binding || editor.isDestroyed) return;
  const schema = editor.state.schema;
  const inserts: { pos: number; node: ReturnType<typeof schema.text> }[] = [];
  for (const rescue of rescues) {
    if (!stillApplies(rescue)) continue;
    const { target, runs } = rescue;
    for (const run of runs) {
      const pos = relativePositionToAbsolutePosition(binding.doc, binding.type, Y.createRelativePositionFromTypeIndex(target, run.index), binding.mapping as never);
      // y-tiptap keeps each mark as a format attribute named after it, its value the mark's attributes.
      const marks = Object.entries(run.format).flatMap(([name, attrs]) => {
        const type = schema.marks[name];
        return type ? [type.create(attrs && typeof attrs === 'object' ? (attrs as Record<string, unknown>) : null)] : [];
      });
      // Not the text of an IME composition the same change broke off: the IME types it again (lostComposition.ts).
      const text = editor.storage.keepUnchangedNodes?.composition.withoutLostComposition(run.text) ?? run.text;
      if (pos !== null && text) inserts.push({ pos, node: schema.text(text, marks) });
    }
  }
  if (inserts.length === 0) return;
  const tr = editor.state.tr;
  // From the end, so each position still means what it meant before the first insert; runs at one
  // position (a change of formatting) go in reverse, so they read in order.
  for (const { pos, node } of inserts.map((x, i) => ({ ...x, i })).sort((a, b) => b.pos - a.pos || b.i - a.i)) tr.insert(pos, node);
  editor.view.dispatch(tr);
}
