import type { JSONContent } from '@tiptap/core';
import type { Node as ProseMirrorNode, Schema } from '@tiptap/pm/model';
import { ImportProblem } from '../../shared/notesImport/importProblem.js';
import type { ImportFormat } from './detectFormat.js';
import { notesFromEtherpad, type PadAuthor } from './fromEtherpad.js';
import { notesFromHtml } from './fromHtml.js';
import { createMarkdownImporter } from './fromMarkdown.js';
import type { FrontMatter } from './frontMatter.js';
import { notesFromText } from './fromText.js';
import { htmlTitle } from './htmlDocument.js';

/** A file turned into notes, checked against the editor schema, with what else the file said about itself. */
export interface ConvertedNotes {
  format: ImportFormat;
  doc: ProseMirrorNode;
  /** Etherpad: the pad's id (e.g. AUS-ops-nova) and who wrote how much. */
  padId?: string;
  authors?: PadAuthor[];
  /** HedgeDoc: title and tags from the front matter. */
  frontMatter?: FrontMatter | null;
  /** Titles the file gives itself (pad id, front matter, <title>), for matching files to sessions. */
  titles: string[];
}

/** One converter per server: the Markdown parser is built once, with the server's schema. */
export class NotesConverter {
  private readonly markdown: ReturnType<typeof createMarkdownImporter>;

  constructor(private readonly schema: Schema) {
    this.markdown = createMarkdownImporter(schema);
  }

  convert(text: string, format: ImportFormat): ConvertedNotes {
    switch (format) {
      case 'md': {
        const { doc, frontMatter } = this.markdown(text);
        return { format, doc: this.check(doc), frontMatter, titles: frontMatter?.title ? [frontMatter.title] : [] };
      }
      case 'txt':
        return { format, doc: this.check(notesFromText(text)), titles: [] };
      case 'html': {
        const title = htmlTitle(text);
        return { format, doc: this.check(notesFromHtml(text, this.schema)), titles: title ? [title] : [] };
      }
      case 'etherpad': {
        const pad = notesFromEtherpad(text);
        return { format, doc: this.check(pad.doc), padId: pad.padId, authors: pad.authors, titles: [pad.padId] };
      }
    }
  }

  /** Nothing reaches a document unless the real editor schema accepts it. */
  private check(json: JSONContent): ProseMirrorNode {
    if (!json.content?.length) throw new ImportProblem('no_notes', 'the file has no notes in it');
    let node: ProseMirrorNode;
    try {
      node = this.schema.nodeFromJSON(json);
      node.check();
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new ImportProblem('not_editor_notes', `the converted notes do not fit the editor's schema: ${detail}`, { detail });
    }
    return node;
  }
}
