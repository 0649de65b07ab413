import { getSchema } from '@tiptap/core';
import { Node as PMNode } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { staleComposition } from './lostComposition.js';

const schema = getSchema(createSchemaExtensions());
const p = (text: string) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });
const item = (text: string) => ({ type: 'bulletList', content: [{ type: 'listItem', content: [p(text)] }] });
const doc = (...content: object[]) => PMNode.fromJSON(schema, { type: 'doc', content: [p('Above.'), ...content] });
/** A state whose caret is `offset` characters into the text of the last textblock. */
function at(d: PMNode, offset: number): EditorState {
  let start = 0;
  d.descendants((node, pos) => {
    if (node.isTextblock) start = pos + 1;
  });
  return EditorState.create({ doc: d, selection: TextSelection.create(d, start + offset) });
}

describe('what a remote change left of an IME composition', () => {
  const before = at(doc(p('-今日のメモしり')), 8);

  it('the copy has the composed text: that stretch of the copy goes, the IME types it again', () => {
    const after = at(doc(item('今日のメモしり')), 7);
    const { remove, missing } = staleComposition(before, after, 'しり');
    expect(missing).toBe('');
    expect(after.doc.textBetween(remove!.from, remove!.to)).toBe('しり');
  });

  it('the copy lacks it: nothing to delete, and the rescue must leave it out', () => {
    expect(staleComposition(before, at(doc(item('今日のメモ')), 5), 'しり')).toEqual({ remove: null, missing: 'しり' });
  });

  it('the copy has its start only', () => {
    const after = at(doc(item('今日のメモし')), 6);
    const { remove, missing } = staleComposition(before, after, 'しり');
    expect(missing).toBe('り');
    expect(after.doc.textBetween(remove!.from, remove!.to)).toBe('し');
  });

  it('a caret inside the composition (an IME converting its first clause) still finds it', () => {
    const inside = at(doc(p('メモしりょうかくにん')), 5);
    const after = at(doc(item('メモしりょうかくにん')), 5);
    const { remove } = staleComposition(inside, after, 'しりょうかくにん');
    expect(after.doc.textBetween(remove!.from, remove!.to)).toBe('しりょうかくにん');
  });

  it('a composition not yet read into the notes leaves nothing stale', () => {
    expect(staleComposition(at(doc(p('今日のメモ')), 5), at(doc(item('今日のメモ')), 5), 'しり')).toEqual({ remove: null, missing: '' });
  });
});
