import { getSchema, type JSONContent } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { createSchemaExtensions } from '../shared/editor/extensions.js';
import { NOTES_FRAGMENT } from '../shared/protocol.js';

/** Builds the editor schema once per server; it is the same one the browser uses. */
export function createNotesSchema(): Schema {
  return getSchema(createSchemaExtensions());
}

/**
 * Encodes a template as the document's first update. Seeding happens in the
 * same transaction that creates the session, so two people opening a new
 * session at the same moment can never both insert it.
 */
export function encodeTemplate(schema: Schema, template: JSONContent): Uint8Array {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(schema, template, doc.getXmlFragment(NOTES_FRAGMENT));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
