import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection, type Transaction } from '@tiptap/pm/state';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

interface Binding {
  doc: Y.Doc;
  type: Y.XmlFragment;
  mapping: Map<unknown, unknown>;
  beforeTransactionSelection: { type?: string; anchor: unknown; head: unknown } | null;
}

export const remoteCaretKey = new PluginKey('remoteCaret');

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
    appendTransaction(trs, _old, state) {
      const remote = trs.find((tr) => (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin && tr.docChanged);
      if (!remote || !(state.selection instanceof TextSelection)) return null;
      const binding = (ySyncPluginKey.getState(state) as { binding?: Binding | null } | undefined)?.binding;
      const rel = binding?.beforeTransactionSelection;
      if (!binding || !rel || (rel.type !== undefined && rel.type !== 'text')) return null;
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
