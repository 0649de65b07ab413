import type { JSONContent } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { htmlToNotes } from '../../shared/notesImport/htmlToNotes.js';
import { createMarkdownToNotes } from '../../shared/notesImport/markdownToNotes.js';
import { hedgedocToMarkdown, splitFrontMatter, type FrontMatter } from './frontMatter.js';
import { htmlBody } from './htmlDocument.js';

export interface MarkdownNotes {
  doc: JSONContent;
  frontMatter: FrontMatter | null;
}

/**
 * Markdown and HedgeDoc notes → notes, through the same converter the
 * editor uses when Markdown is pasted; HTML inside the Markdown is read by
 * linkedom (no scripts) and cleaned like an HTML import.
 */
export function createMarkdownImporter(schema: Schema): (source: string) => MarkdownNotes {
  const toNotes = createMarkdownToNotes((html) => htmlToNotes(htmlBody(html), schema).content ?? []);
  return (source) => {
    const { body, frontMatter } = splitFrontMatter(source.replace(/^\uFEFF/, ''));
    return { doc: toNotes(hedgedocToMarkdown(body)), frontMatter };
  };
}
