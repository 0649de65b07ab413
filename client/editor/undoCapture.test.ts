import { getSchema } from '@tiptap/core';
import { EditorState } from '@tiptap/pm/state';
import { ySyncPlugin, ySyncPluginKey } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { undoCapturePlugin } from './undoCapture.js';

const schema = getSchema(createSchemaExtensions());

/** The sync plugin (first, as Collaboration's priority puts it) and, when asked, this fix after it. */
function start(withFix: boolean): EditorState {
  const fragment = new Y.Doc().getXmlFragment('default');
  const doc = schema.nodes.doc!.create(null, [schema.nodes.paragraph!.create(null, schema.text('Notes'))]);
  return EditorState.create({ doc, plugins: [ySyncPlugin(fragment), ...(withFix ? [undoCapturePlugin()] : [])] });
}

/** What y-tiptap dispatches for a remote change: content, not for history, marked as the change's origin. */
const remoteChange = (state: EditorState) =>
  state.tr.insertText(' and more', state.doc.content.size - 1).setMeta('addToHistory', false).setMeta(ySyncPluginKey, { isChangeOrigin: true });

const flags = (state: EditorState) => ySyncPluginKey.getState(state) as { addToHistory: boolean; isChangeOrigin: boolean };

describe('undo capture', () => {
  it('a transaction that changes nothing after a remote change does not stop the undo capture (the sync plugin’s flag is true again)', () => {
    let state = start(true);
    state = state.apply(remoteChange(state));
    expect(flags(state)).toMatchObject({ addToHistory: false, isChangeOrigin: true });
    // A remote caret moved: a transaction with a meta only.
    state = state.apply(state.tr.setMeta('caret', { moved: true }));
    expect(flags(state)).toMatchObject({ addToHistory: true, isChangeOrigin: false });
  });

  it('without it the stale flag stays false, which makes y-tiptap’s view stop capturing (the defect it works around)', () => {
    let state = start(false);
    state = state.apply(remoteChange(state));
    state = state.apply(state.tr.setMeta('caret', { moved: true }));
    expect(flags(state)).toMatchObject({ addToHistory: false, isChangeOrigin: false });
  });

  it('keeps a local content change marked addToHistory: false out of history', () => {
    let state = start(true);
    state = state.apply(state.tr.insertText('!', 2).setMeta('addToHistory', false));
    expect(flags(state).addToHistory).toBe(false);
    state = state.apply(state.tr.insertText('?', 2));
    expect(flags(state).addToHistory).toBe(true);
  });
});
