import type { JSONContent } from '@tiptap/core';
import { DOMParser as ProseMirrorDOMParser, type Schema } from '@tiptap/pm/model';
import { LIMITS } from '../limits.js';
import { cleanHtml } from './cleanHtml.js';
import { sanitizeNotes } from './sanitizeNotes.js';

/**
 * Input HTML may nest wrappers (div in div in span …) that the schema
 * flattens; this bounds the DOM the cleaner and ProseMirror walk, the output
 * is bounded by `LIMITS.maxImportDepth`.
 */
export const MAX_HTML_ELEMENT_DEPTH = LIMITS.maxImportDepth * 4;

/**
 * HTML (a DOM element: the browser's or linkedom's, never one that runs
 * scripts) → notes JSON: cleaned, then read by ProseMirror's DOMParser with
 * the real schema, so only what the editor knows survives, then sanitised.
 */
export function htmlToNotes(root: Element, schema: Schema): JSONContent {
  cleanHtml(root, MAX_HTML_ELEMENT_DEPTH);
  const doc = ProseMirrorDOMParser.fromSchema(schema).parse(root);
  return sanitizeNotes(doc.toJSON() as JSONContent);
}
