import { getSchema } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { createSchemaExtensions } from '../shared/editor/extensions.js';

/**
 * Builds the editor schema; it is the same one the browser uses. The server
 * loads this module only through notesSchemaLoader.ts, on first use.
 */
export function createNotesSchema(): Schema {
  return getSchema(createSchemaExtensions());
}
