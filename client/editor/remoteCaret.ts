import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { align, mapOffset } from '../lib/alignText.js';
import { syncBinding } from './syncBinding.js';

export const remoteCaretKey = new PluginKey('remoteCaret');

/** Whether a Yjs position lies in a block that is deleted (or cannot be found). */
function inDeletedBlock(doc: Y.Doc, rel: unknown): boolean {
  const abs = rel ? Y.createAbsolutePositionFromRelativePosition(rel as Y.RelativePosition, doc) : null;
  if (!abs) return true;
  for (let item = abs.type._item; item !== null; item = (item.parent as Y.AbstractType<unknown>)._item) if (item.deleted) return true;
  return false;
}

/** A leaf inline node (a hard break) counts one, as in ProseMirror positions. */
const textOfBlock = (node: PMNode) => node.textBetween(0, node.content.size, undefined, '\uFFFC');

/** Aligned characters that make a block another one's copy, or all of them in a shorter line. */
const MIN_ALIGNED = 3;

/**
 * The caret in the copy of the block it was in, when someone replaced that
 * block: turned it into a list item or a heading, merged it into the line
 * above. Yjs cannot move a block, so y-tiptap deletes it and inserts a copy;
 * the caret's Yjs position then points into the deleted block, and y-tiptap
 * put the caret at the start of the next line, where the typist's next words
 * went. The copy is the new block whose text lines up best with the old one;
 * anchor and head keep their places in the text.
 */
function caretInCopy(old: EditorState, state: EditorState): TextSelection | null {
  const { $anchor, $head } = old.selection;
  if (!(old.selection instanceof TextSelection) || !$head.parent.isTextblock || $anchor.parent !== $head.parent) return null;
  const oldText = textOfBlock($head.parent);
  if (oldText.length === 0) return null;
  // Only blocks in the changed stretch can be the copy: a caret leaves no trace elsewhere.
  const from = old.doc.content.findDiffStart(state.doc.content);
  const to = old.doc.content.findDiffEnd(state.doc.content);
  if (from === null || !to) return null;
  let best: { start: number; at: Int32Array; aligned: number } | null = null;
  state.doc.nodesBetween(from, Math.max(from, to.b), (node, pos) => {
    if (!node.isTextblock) return true;
    const at = align(oldText, textOfBlock(node));
    const aligned = at ? at.reduce((n, j) => n + (j >= 0 ? 1 : 0), 0) : 0;
    if (at && aligned >= Math.min(MIN_ALIGNED, oldText.length) && aligned > (best?.aligned ?? 0)) best = { start: pos + 1, at, aligned };
    return false;
  });
  if (!best) return null;
  const { start, at } = best as { start: number; at: Int32Array };
  const anchor = mapOffset(at, $anchor.parentOffset);
  const head = mapOffset(at, $head.parentOffset);
  return anchor === null || head === null ? null : TextSelection.create(state.doc, start + anchor, start + head);
}

const blockIdAt = (tr: Transaction, pos: number): string | null => {
  const $pos = tr.doc.resolve(pos);
  const id = $pos.parent.isTextblock ? $pos.parent.attrs.actionItemId : null;
  return typeof id === 'string' ? id : null;
};

/**
 * Keeps the caret where Yjs says it is when someone else edits the action
 * line it is in.
 *
 * After a remote change y-tiptap (3.0.9–3.3.0) second-guesses the caret's
 * Yjs position whenever the caret's block changed text, and looks the block
 * up again by its attributes when they are distinctive. The tagger's
 * `actionItemId` is: the block is found, but the caret is put back at its
 * old offset in it, so text someone else inserted before it moved the caret
 * left by that many characters, and the next keystrokes landed inside the
 * date. When the Yjs position lies in that same action line, it is right
 * (it follows the text), and is restored here.
 */
export function remoteCaretPlugin(): Plugin {
  return new Plugin({
    key: remoteCaretKey,
    appendTransaction(trs, old, state) {
      const remote = trs.find((tr) => (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin && tr.docChanged);
      if (!remote || !(state.selection instanceof TextSelection)) return null;
      const binding = syncBinding(state);
      const rel = binding?.beforeTransactionSelection;
      if (!binding || !rel || (rel.type !== undefined && rel.type !== 'text')) return null;
      if (inDeletedBlock(binding.doc, rel.head)) {
        const moved = caretInCopy(old, state);
        return moved && !moved.eq(state.selection) ? state.tr.setSelection(moved) : null;
      }
      const resolve = (p: unknown) => (p ? relativePositionToAbsolutePosition(binding.doc, binding.type, p as Y.RelativePosition, binding.mapping as never) : null);
      const anchor = resolve(rel.anchor);
      const head = resolve(rel.head);
      if (anchor === null || head === null || (anchor === state.selection.anchor && head === state.selection.head)) return null;
      const tr = state.tr;
      const max = tr.doc.content.size;
      if (anchor > max || head > max) return null;
      // Only where both agree on the block: an action line, found by its id.
      const id = blockIdAt(tr, head);
      if (id === null || id !== blockIdAt(tr, state.selection.head) || blockIdAt(tr, anchor) !== id) return null;
      return tr.setSelection(TextSelection.create(tr.doc, anchor, head));
    },
  });
}

export const RemoteCaret = Extension.create({
  name: 'remoteCaret',
  addProseMirrorPlugins() {
    return [remoteCaretPlugin()];
  },
});
