import type { JSONContent } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { htmlToNotes } from '../../shared/notesImport/htmlToNotes.js';
import { htmlBody } from './htmlDocument.js';

/** An HTML file (Etherpad's HTML export, a saved web page, a HedgeDoc or Word export) → notes. */
export function notesFromHtml(html: string, schema: Schema): JSONContent {
  return htmlToNotes(htmlBody(html), schema);
}
