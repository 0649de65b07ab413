import { getSchema } from '@tiptap/core';
import { Node as PMNode, Slice } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { shareRemoteChange, shareUnchanged } from './keepUnchangedNodes.js';

const schema = getSchema(createSchemaExtensions());
const p = (text: string) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });
const list = (...items: string[]) => ({ type: 'bulletList', content: items.map((t) => ({ type: 'listItem', content: [p(t)] })) });
/** Every call builds new node objects, as y-tiptap does from Yjs on each remote change. */
const doc = (...content: object[]) => PMNode.fromJSON(schema, { type: 'doc', content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Notes' }] }, ...content] });

describe('keeping unchanged nodes across a remote change', () => {
  it('a block inserted above keeps every other block’s node, including the ones it shifted', () => {
    const prev = doc(p('Above.'), p('メモしり'), list('one', 'two'));
    const next = doc(p('Above.'), p(''), p('メモしり'), list('one', 'two'));
    const replaced = new Map<PMNode, PMNode>();
    const shared = shareUnchanged(prev, next, replaced);
    expect(shared.eq(next)).toBe(true);
    expect(shared.child(0)).toBe(prev.child(0));
    expect(shared.child(1)).toBe(prev.child(1));
    expect(shared.child(2)).toBe(next.child(2));
    expect(shared.child(3)).toBe(prev.child(2));
    expect(shared.child(4)).toBe(prev.child(3));
    // Every node of a kept subtree, text included, is paired for y-tiptap's mapping.
    expect(replaced.get(next.child(3))).toBe(prev.child(2));
    expect(replaced.get(next.child(3).firstChild!)).toBe(prev.child(2).firstChild);
    expect(replaced.get(next.child(4).child(1).child(0))).toBe(prev.child(3).child(1).child(0));
    expect(replaced.has(next.child(2))).toBe(false);
  });

  it('inside a changed list the untouched items keep their nodes; a removed block shifts the rest back', () => {
    const prev = doc(p('a'), list('one', 'two', 'three'), p('z'));
    const changed = doc(p('a'), list('one', 'TWO', 'three'), p('z'));
    const replaced = new Map<PMNode, PMNode>();
    const shared = shareUnchanged(prev, changed, replaced);
    expect(shared.eq(changed)).toBe(true);
    const sharedList = shared.child(2);
    expect(sharedList).not.toBe(prev.child(2));
    expect(replaced.get(changed.child(2))).toBe(sharedList);
    expect(sharedList.child(0)).toBe(prev.child(2).child(0));
    expect(sharedList.child(1)).toBe(changed.child(2).child(1));
    expect(sharedList.child(2)).toBe(prev.child(2).child(2));

    const removed = doc(list('one', 'two', 'three'), p('z'));
    const afterRemoval = shareUnchanged(prev, removed, new Map());
    expect(afterRemoval.eq(removed)).toBe(true);
    expect(afterRemoval.child(1)).toBe(prev.child(2));
    expect(afterRemoval.child(2)).toBe(prev.child(3));
  });

  it('nothing equal: the new document is returned as it is', () => {
    const prev = doc(p('a'));
    const next = PMNode.fromJSON(schema, { type: 'doc', content: [p('b')] });
    expect(shareUnchanged(prev, next, new Map())).toBe(next);
  });

  it('the rebuilt transaction is the same change, with the same metadata and caret, on the view’s own nodes', () => {
    const state = EditorState.create({ schema, doc: doc(p('Above.'), p('メモしり')) });
    const next = doc(p('Above.'), p(''), p('メモしり'));
    const caret = state.doc.content.size - 1;
    // As y-tiptap dispatches a remote change: the whole document replaced, the caret restored from Yjs.
    const tr = state.tr.replace(0, state.doc.content.size, new Slice(next.content, 0, 0));
    tr.setSelection(TextSelection.create(tr.doc, caret + 2)).setMeta('addToHistory', false).setMeta(ySyncPluginKey, { isChangeOrigin: true }).scrollIntoView();
    const out = shareRemoteChange(state, tr, new Map());
    expect(out).not.toBeNull();
    expect(out!.doc.eq(tr.doc)).toBe(true);
    expect(out!.doc.child(3)).toBe(state.doc.child(2));
    expect(out!.selection.toJSON()).toEqual(tr.selection.toJSON());
    expect(out!.getMeta(ySyncPluginKey)).toEqual({ isChangeOrigin: true });
    expect(out!.getMeta('addToHistory')).toBe(false);
    expect(out!.scrolledIntoView).toBe(true);
    const after = state.apply(out!);
    expect(after.doc.eq(state.apply(tr).doc)).toBe(true);
    expect(after.selection.head).toBe(caret + 2);
  });

  it('a transaction not made on this state is left alone', () => {
    const state = EditorState.create({ schema, doc: doc(p('x')) });
    const other = EditorState.create({ schema, doc: doc(p('x')) });
    const tr = other.tr.insertText('y', 1);
    expect(shareRemoteChange(state, tr, new Map())).toBeNull();
  });
});
