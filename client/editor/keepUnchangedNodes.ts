import { Extension } from '@tiptap/core';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { Selection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { CompositionWatch } from './lostComposition.js';
import { syncBinding, type SyncBinding } from './syncBinding.js';

type Replaced = Map<PMNode, PMNode>;

export interface KeepUnchangedNodesStorage {
  /** This editor's IME composition, followed for remote changes and the typing rescue (lostComposition.ts). */
  composition: CompositionWatch;
}

declare module '@tiptap/core' {
  interface Storage {
    keepUnchangedNodes: KeepUnchangedNodesStorage;
  }
}

/** Pairs every node of `next` with the equal node of `prev` at the same place, so the mapping can follow. */
function record(next: PMNode, prev: PMNode, replaced: Replaced): void {
  replaced.set(next, prev);
  for (let i = 0; i < next.childCount; i++) record(next.child(i), prev.child(i), replaced);
}

function shareChildren(prev: Fragment, next: Fragment, replaced: Replaced): Fragment | null {
  const max = Math.min(prev.childCount, next.childCount);
  let start = 0;
  while (start < max && (prev.child(start) === next.child(start) || prev.child(start).eq(next.child(start)))) start++;
  let end = 0;
  while (end < max - start && (prev.child(prev.childCount - 1 - end) === next.child(next.childCount - 1 - end) || prev.child(prev.childCount - 1 - end).eq(next.child(next.childCount - 1 - end)))) end++;
  const sameCount = prev.childCount === next.childCount;
  const out: PMNode[] = [];
  let changed = false;
  next.forEach((child, _offset, i) => {
    let j: number | null = null;
    if (i < start) j = i;
    else if (i >= next.childCount - end) j = i - next.childCount + prev.childCount;
    // In between, blocks still pair up by place when none were added or removed (a list whose one item changed).
    else if (sameCount) j = i;
    const kept = j === null ? child : shareUnchanged(prev.child(j), child, replaced);
    if (kept !== child) changed = true;
    out.push(kept);
  });
  return changed ? Fragment.fromArray(out) : null;
}

/**
 * `next` with every subtree that equals the one at the same place in `prev`
 * replaced by prev's own object; `replaced` gets each substitution.
 */
export function shareUnchanged(prev: PMNode, next: PMNode, replaced: Replaced): PMNode {
  if (prev === next) return prev;
  if (prev.eq(next)) {
    record(next, prev, replaced);
    return prev;
  }
  if (next.isLeaf || !prev.sameMarkup(next)) return next;
  const children = shareChildren(prev.content, next.content, replaced);
  if (!children) return next;
  const copy = next.copy(children);
  replaced.set(next, copy);
  return copy;
}

/** Points y-tiptap's Yjs→ProseMirror mapping at the nodes the view now holds. */
function remap(binding: SyncBinding, replaced: Replaced): void {
  for (const [type, value] of binding.mapping) {
    if (Array.isArray(value)) {
      if (value.some((n) => replaced.has(n as PMNode))) binding.mapping.set(type, value.map((n) => replaced.get(n as PMNode) ?? n));
    } else {
      const kept = replaced.get(value as PMNode);
      if (kept) binding.mapping.set(type, kept);
    }
  }
}

/**
 * The same remote change as `tr`, made of the nodes `state` already holds
 * wherever they are equal; `null` when there is nothing to share.
 */
export function shareRemoteChange(state: EditorState, tr: Transaction, replaced: Replaced): Transaction | null {
  if (tr.steps.length !== 1 || tr.before !== state.doc) return null;
  const shared = shareUnchanged(tr.before, tr.doc, replaced);
  if (shared === tr.doc) return null;
  const out = state.tr.replace(0, state.doc.content.size, new Slice(shared.content, 0, 0));
  for (const [key, value] of Object.entries((tr as unknown as { meta: Record<string, unknown> }).meta)) out.setMeta(key, value);
  if (tr.selectionSet) out.setSelection(Selection.fromJSON(out.doc, tr.selection.toJSON()));
  if (tr.scrolledIntoView) out.scrollIntoView();
  out.setTime(tr.time);
  return out;
}

/**
 * Keeps the editor's DOM for blocks a remote change did not touch, so an IME
 * composition in one of them survives someone else's edit elsewhere.
 *
 * On every remote change y-tiptap (3.0.9–3.3.0) rebuilds the whole document
 * from Yjs with new node objects and replaces it. ProseMirror matches old and
 * new blocks by identity first; with none identical, once a remote Enter
 * shifted the blocks by one, it reused the DOM of the block being composed in
 * for the new empty paragraph. The browser's composition was dropped: the
 * kana composed so far stayed as text and the converted word was added after
 * it (「メモしり資料」 for 「メモ資料」). Here the replacement is rebuilt from
 * the view's own nodes wherever they are equal, and y-tiptap's mapping is
 * pointed at them.
 */
export const KeepUnchangedNodes = Extension.create<unknown, KeepUnchangedNodesStorage>({
  name: 'keepUnchangedNodes',
  addStorage() {
    return { composition: new CompositionWatch() };
  },
  addProseMirrorPlugins() {
    return [this.storage.composition.plugin()];
  },
  dispatchTransaction({ transaction: tr, next }) {
    const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
    if (!meta?.isChangeOrigin || !tr.docChanged) return next(tr);
    // A remote change that replaces the very block being composed in cannot keep its DOM: see lostComposition.ts.
    this.storage.composition.guard(this.editor.view, () => {
      const state = this.editor.state;
      const replaced: Replaced = new Map();
      const out = shareRemoteChange(state, tr, replaced);
      if (!out) return next(tr);
      const binding = syncBinding(state);
      if (binding) remap(binding, replaced);
      next(out);
    });
  },
});
