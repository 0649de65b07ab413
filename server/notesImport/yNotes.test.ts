import { getSchema } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { richNotesDoc } from '../../test/fixtures/minutes/fixtureNotes.js';
import { yBlocksOf } from './yNotes.js';

const schema = getSchema(createSchemaExtensions());

describe('yBlocksOf', () => {
  it('builds exactly what y-prosemirror builds (every node, attribute and mark of the rich fixture)', () => {
    const node = schema.nodeFromJSON(richNotesDoc());
    const ours = new Y.Doc();
    ours.getXmlFragment('default').insert(0, yBlocksOf(node));
    const theirs = new Y.Doc();
    prosemirrorJSONToYXmlFragment(schema, node.toJSON(), theirs.getXmlFragment('default'));
    expect(ours.getXmlFragment('default').toJSON()).toBe(theirs.getXmlFragment('default').toJSON());
    expect(yXmlFragmentToProseMirrorRootNode(ours.getXmlFragment('default'), schema).toJSON()).toEqual(node.toJSON());
  });
});
