import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { align } from '../lib/alignText.js';

const compositionTrackerKey = new PluginKey('compositionTracker');

/** A leaf inline node (a hard break) counts one, as in ProseMirror positions. */
const textOfBlock = (node: PMNode) => node.textBetween(0, node.content.size, undefined, '\uFFFC');

/** Where the composition is in the block the caret is in: its text, and the composed stretch of it. */
function findComposition(state: EditorState, data: string): { block: string; from: number; to: number } | null {
  const { $head } = state.selection;
  if (!$head.parent.isTextblock || !data) return null;
  const block = textOfBlock($head.parent);
  const caret = $head.parentOffset;
  // The caret is inside the composed text, usually at its end (an IME may select the clause it converts).
  for (let from = Math.min(caret, block.length - data.length); from >= Math.max(0, caret - data.length); from--) {
    if (block.startsWith(data, from)) return { block, from, to: from + data.length };
  }
  return null;
}

/**
 * What a remote change left of the composition `data` that ran at the caret
 * of `before`: the stretch of the copy of its block (the block of `after`'s
 * caret) that holds it, to delete, and the composed characters the copy lacks.
 */
export function staleComposition(before: EditorState, after: EditorState, data: string): { remove: { from: number; to: number } | null; missing: string } {
  const none = { remove: null, missing: '' };
  const comp = findComposition(before, data);
  // Not in the notes yet (ProseMirror had not read it from the DOM): the copy has nothing stale.
  if (!comp) return none;
  const { $head } = after.selection;
  if (!$head.parent.isTextblock) return none;
  // The caret is in the copy now (remoteCaret.ts moved it there); its text lines up with the old block's.
  const at = align(comp.block, textOfBlock($head.parent));
  if (!at) return none;
  const kept: number[] = [];
  let missing = '';
  for (let i = comp.from; i < comp.to; i++) {
    if (at[i]! >= 0) kept.push(at[i]!);
    else missing += comp.block[i];
  }
  const first = kept[0];
  const last = kept[kept.length - 1];
  // Only when what the copy has of the composed text is one stretch of it.
  const remove = first !== undefined && last !== undefined && last - first + 1 === kept.length ? { from: $head.start() + first, to: $head.start() + last + 1 } : null;
  return { remove, missing };
}

/**
 * One editor's guard against remote changes that take away the DOM of a
 * running IME composition (the typing rescue and the remote-change dispatch
 * share it through KeepUnchangedNodes' storage).
 *
 * When someone turns the paragraph being composed in into a list item or a
 * heading (`- `, `## ` at its start), Yjs deletes the block and inserts a
 * copy of its text; the view replaces the paragraph's DOM with the copy's,
 * and the text node the browser composes in leaves the page. Chrome then
 * forgets its composition, without a compositionend: the kana composed so
 * far stay in the copy as plain text (they were typed into the notes, and
 * the copy has them), and the IME's next update or its commit starts a new
 * composition at the caret with the whole composed string again: 「しり」
 * then 「資料」 gave 「メモしり資料」. No DOM can be kept here (a list item
 * must wrap the paragraph, and moving a node out of its parent ends the
 * composition all the same), so the stale copy of the composed text is
 * removed instead, and the IME's next step puts it back, composed or
 * committed as the typist meant (a cancelled composition removes it too).
 *
 * The copy may lack the composed text, or its end, when the conversion was
 * made before it reached the converter: the typing rescue would then put it
 * back as lost typing, and the IME would type it a second time, so
 * `withoutLostComposition` leaves it out of the rescue. When the copy has
 * part of it, this deletion changes the block and the rescue of that block
 * is dropped as out of date, which is right: Yjs delivers typing in order,
 * so a converter who saw the start of the composition saw everything typed
 * before it, and only the composition's end is missing.
 */
export class CompositionWatch {
  /** The text the IME is composing, as its last compositionupdate said; null outside a composition. */
  private composing: string | null = null;
  /** Text of a lost composition that the copy of its block lacks, for the typing rescue to leave out. */
  private notToRescue: string | null = null;

  /** Follows what the IME is composing: the browser says it in compositionupdate's data, ProseMirror does not keep it. */
  plugin(): Plugin {
    return new Plugin({
      key: compositionTrackerKey,
      props: {
        handleDOMEvents: {
          compositionstart: () => {
            this.composing = '';
            return false;
          },
          compositionupdate: (_view, event) => {
            this.composing = event.data ?? '';
            return false;
          },
          compositionend: () => {
            this.composing = null;
            return false;
          },
        },
      },
    });
  }

  /** Runs `apply`, a remote change, and cleans up after it when it took away the DOM of a running IME composition (above). */
  guard(view: EditorView, apply: () => void): void {
    const data = view.composing ? this.composing : null;
    const focus = data ? view.dom.ownerDocument.getSelection()?.focusNode : null;
    const before = view.state;
    apply();
    // The text node the browser composes in is still in the page: the composition goes on (the usual case).
    if (!data || !focus || focus.isConnected || view.isDestroyed) return;
    const after = view.state;
    const { remove, missing } = staleComposition(before, after, data);
    if (missing) {
      this.notToRescue = missing;
      // The rescue runs in a microtask after this remote change; later rescues are about other typing.
      setTimeout(() => (this.notToRescue = null), 0);
    }
    if (!remove) return;
    // Once the remote change is through: y-tiptap ignores the view's own transactions while it applies one
    // of its own (its mutex), so a deletion dispatched here would never reach Yjs. Still before the IME's
    // next event, which is a task of its own.
    queueMicrotask(() => {
      if (view.isDestroyed || view.state.doc !== after.doc) return;
      view.dispatch(view.state.tr.delete(remove.from, remove.to));
    });
  }

  /** `text` rescued as lost typing, without the lost composition's text at its end: the IME types that again. */
  withoutLostComposition(text: string): string {
    const skip = this.notToRescue;
    if (!skip || !text.endsWith(skip)) return text;
    this.notToRescue = null;
    return text.slice(0, text.length - skip.length);
  }
}
