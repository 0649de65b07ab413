import { getSchema } from '@tiptap/core';
import { EditorState, Plugin, TextSelection } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { readOnlyGuardPlugin } from './readOnlyGuard.js';

const schema = getSchema(createSchemaExtensions());

/** Does what Tiptap's trailing-node plugin does: an empty paragraph after a last block that is not one. */
const trailingParagraph = new Plugin({
  appendTransaction: (_trs, _old, state) => {
    if (state.doc.lastChild?.type === schema.nodes.paragraph) return null;
    return state.tr.insert(state.doc.content.size, schema.nodes.paragraph!.create());
  },
});

function start(canWrite: () => boolean): EditorState {
  const doc = schema.nodes.doc!.create(null, [schema.nodes.paragraph!.create(null, schema.text('Notes'))]);
  return EditorState.create({ doc, plugins: [readOnlyGuardPlugin(canWrite), trailingParagraph] });
}

/** The first render of a fresh session's template: a heading last, arriving from the shared document. */
function remoteTemplate(state: EditorState) {
  const heading = schema.nodes.heading!.create({ level: 2 }, schema.text('Action items'));
  return state.tr.replaceWith(0, state.doc.content.size, heading).setMeta(ySyncPluginKey, { isChangeOrigin: true });
}

describe('read-only guard', () => {
  it('a reader takes in the shared document, but no plugin may add to it (no trailing paragraph to send)', () => {
    const reader = start(() => false);
    const { state, transactions } = reader.applyTransaction(remoteTemplate(reader));
    expect(transactions).toHaveLength(1);
    expect(state.doc.childCount).toBe(1);
    expect(state.doc.lastChild?.type.name).toBe('heading');
  });

  it('refuses a reader’s own document changes and lets selection changes through', () => {
    const reader = start(() => false);
    expect(reader.applyTransaction(reader.tr.insertText('typed', 1)).state.doc.textContent).toBe('Notes');
    const moved = reader.applyTransaction(reader.tr.setSelection(TextSelection.create(reader.doc, 3)));
    expect(moved.transactions).toHaveLength(1);
    expect(moved.state.selection.from).toBe(3);
  });

  it('a writer is not affected: typing and the trailing paragraph apply', () => {
    const writer = start(() => true);
    const { state } = writer.applyTransaction(remoteTemplate(writer));
    expect(state.doc.childCount).toBe(2);
    expect(state.doc.lastChild?.type.name).toBe('paragraph');
    expect(state.applyTransaction(state.tr.insertText('typed', 1)).state.doc.textContent).toContain('typed');
  });

  it('follows editability as it changes (a moderator locks, then unlocks)', () => {
    let can = true;
    const s = start(() => can);
    can = false;
    expect(s.applyTransaction(s.tr.insertText('x', 1)).state.doc.textContent).toBe('Notes');
    can = true;
    expect(s.applyTransaction(s.tr.insertText('x', 1)).state.doc.textContent).toBe('xNotes');
  });
});
