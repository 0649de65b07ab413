import { Extension, type Editor } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, Selection, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { align, looksLikeCopy, mapOffset } from '../lib/alignText.js';
import { syncBinding } from './syncBinding.js';

export const remoteCaretKey = new PluginKey<Displaced | null>('remoteCaret');

/**
 * Where y-tiptap put a caret whose line someone deleted (the start of the next
 * line or the end of the one before), and until when the typist's next
 * characters still belong to the deleted line rather than to that one.
 */
interface Displaced {
  pos: number;
  until: number;
}

/** How long after its line went the caret's next characters still start a line of their own. */
const DISPLACED_FOR_MS = 10_000;

const isRemote = (tr: Transaction) => (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;

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
    // An unrelated line shares scattered letters with any line: a line deleted on purpose has no copy, and the
    // caret is y-tiptap's to place (it put it inside the line above, before its last letters).
    if (at && aligned >= Math.min(MIN_ALIGNED, oldText.length) && aligned > (best?.aligned ?? 0) && looksLikeCopy(at)) best = { start: pos + 1, at, aligned };
    return false;
  });
  if (!best) return null;
  const { start, at } = best as { start: number; at: Int32Array };
  const anchor = mapOffset(at, $anchor.parentOffset);
  const head = mapOffset(at, $head.parentOffset);
  return anchor === null || head === null ? null : TextSelection.create(state.doc, start + anchor, start + head);
}

/** The textblock a position is in, or null between blocks. */
const textblockAt = (doc: PMNode, pos: number): PMNode | null => {
  const $pos = doc.resolve(pos);
  return $pos.parent.isTextblock ? $pos.parent : null;
};

/**
 * Keeps the caret where Yjs says it is when someone else edits the block it
 * is in.
 *
 * After a remote change y-tiptap (3.0.9–3.3.0) second-guesses the caret's
 * Yjs position whenever the caret's block changed text
 * (isMisresolvedAfterStructuralChange), and looks for the block again by
 * its type, attributes and old text, counting equal blocks from the top.
 * That guess goes wrong in the most common moment of a session: everyone
 * clicks the one empty bullet under "Attendees", and as soon as someone
 * types there, the caret of everyone else in it went to the next empty
 * bullet (under "Agenda"), where their names then landed; in an action
 * line (the tagger's `actionItemId` makes it distinctive) the caret stayed
 * at its old offset, so text inserted before it moved it left by that much.
 * A Yjs position in a block that still exists is exact (it names the
 * character it follows), so it is restored; a block that was deleted is
 * caretInCopy's case.
 */
export function remoteCaretPlugin(editor: Editor | null = null): Plugin<Displaced | null> {
  return new Plugin<Displaced | null>({
    key: remoteCaretKey,
    state: {
      init: () => null,
      apply(tr, displaced) {
        const meta = tr.getMeta(remoteCaretKey) as Displaced | undefined;
        if (meta) return meta;
        if (!displaced) return null;
        // The typist typed, or put the caret somewhere: the deleted line is behind them.
        if (!isRemote(tr) && (tr.docChanged || tr.selectionSet)) return null;
        return { ...displaced, pos: tr.mapping.map(displaced.pos) };
      },
    },
    props: {
      /**
       * The first characters typed at a caret whose line someone else deleted go on a line of their own, where
       * that line was: y-tiptap left the caret at the start of the next line (or the end of the one before), and
       * the rest of the sentence used to be glued onto that line's text. An IME's composition is not redirected
       * (moving it would end it); it lands where the caret is.
       */
      handleTextInput(view, from, to, text) {
        const displaced = remoteCaretKey.getState(view.state);
        if (!editor || !displaced || from !== to || from !== displaced.pos || Date.now() > displaced.until || view.composing) return false;
        const $pos = view.state.doc.resolve(from);
        const block = $pos.parent;
        if (!block.isTextblock || block.content.size === 0) return false;
        const atStart = $pos.parentOffset === 0;
        if (!atStart && $pos.parentOffset !== block.content.size) return false;
        // Enter as the typist would press it, so a list item or a task item gives a new item like it.
        if (!editor.commands.keyboardShortcut('Enter')) return false;
        if (atStart) {
          // Enter at a line's start leaves the caret in that line, below the new empty one: go up into it.
          const state = editor.state;
          const above = Selection.findFrom(state.doc.resolve(state.selection.$head.before()), -1, true);
          if (above) editor.view.dispatch(state.tr.setSelection(above));
        }
        editor.view.dispatch(editor.state.tr.insertText(text));
        return true;
      },
    },
    appendTransaction(trs, old, state) {
      const remote = trs.find((tr) => isRemote(tr) && tr.docChanged);
      if (!remote || !(state.selection instanceof TextSelection) || !(old.selection instanceof TextSelection)) return null;
      const binding = syncBinding(state);
      const rel = binding?.beforeTransactionSelection;
      if (!binding || !rel || (rel.type !== undefined && rel.type !== 'text')) return null;
      if (inDeletedBlock(binding.doc, rel.head) || inDeletedBlock(binding.doc, rel.anchor)) {
        const moved = caretInCopy(old, state);
        if (moved) return moved.eq(state.selection) ? null : state.tr.setSelection(moved);
        // No copy: the line was deleted on purpose. The caret stays where y-tiptap put it, until the next keystroke.
        return state.selection.empty ? state.tr.setMeta(remoteCaretKey, { pos: state.selection.head, until: Date.now() + DISPLACED_FOR_MS }) : null;
      }
      const resolve = (p: unknown) => (p ? relativePositionToAbsolutePosition(binding.doc, binding.type, p as Y.RelativePosition, binding.mapping as never) : null);
      const anchor = resolve(rel.anchor);
      const head = resolve(rel.head);
      if (anchor === null || head === null) return null;
      const max = state.doc.content.size;
      // y-tiptap's own sign of a Yjs position it could not map (an item outside its mapping resolves to the doc's start).
      if (anchor > max || head > max || (head <= 1 && old.selection.head > 1)) return null;
      // Only a caret in text stays in text: a position between blocks is y-tiptap's to place.
      if (!textblockAt(state.doc, head) || !textblockAt(state.doc, anchor)) return null;
      // A caret in an empty line has no character to follow: Yjs puts it after whatever someone types there. It
      // stays before it instead, as a caret does before text typed at it, so the next Enter gives each their own line.
      const wanted =
        old.selection.empty && old.selection.$head.parent.content.size === 0 ? TextSelection.create(state.doc, state.doc.resolve(head).start()) : TextSelection.create(state.doc, anchor, head);
      // Marked, so the plugin's state takes it as the remote change's doing, not the typist's.
      return wanted.eq(state.selection) ? null : state.tr.setSelection(wanted).setMeta(remoteCaretKey, remoteCaretKey.getState(state) ?? undefined);
    },
  });
}

export const RemoteCaret = Extension.create({
  name: 'remoteCaret',
  addProseMirrorPlugins() {
    return [remoteCaretPlugin(this.editor)];
  },
});
