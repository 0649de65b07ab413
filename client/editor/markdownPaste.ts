import { Extension, type JSONContent } from '@tiptap/core';
import { Slice, type Schema } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { cleanHtml } from '../../shared/notesImport/cleanHtml.js';
import { htmlToNotes, MAX_HTML_ELEMENT_DEPTH } from '../../shared/notesImport/htmlToNotes.js';
import { looksLikeMarkdown } from '../../shared/notesImport/looksLikeMarkdown.js';
import { createMarkdownToNotes } from '../../shared/notesImport/markdownToNotes.js';

/** Elements that make pasted HTML real structure; without any, it is styled plain text (an editor, a terminal). */
const STRUCTURE = 'h1, h2, h3, h4, h5, h6, ul, ol, li, table, a[href], b, strong, em, i, u, s, del, blockquote, pre, code, img';

const parseHtml = (html: string): HTMLElement => new DOMParser().parseFromString(html, 'text/html').body;

/**
 * Paste that keeps structure. Markdown text (headings, lists, task items,
 * links, code; the same converter the server's import uses) becomes real
 * notes instead of lines with # and - in them. HTML from a web page, Word
 * or Google Docs is cleaned first (no colours, fonts, classes or styles
 * besides emphasis; Word's list paragraphs become lists) and then read by
 * the editor as usual; the editor's own copy and paste (ProseMirror marks
 * it with data-pm-slice) is left alone. Links only ever keep http, https
 * and mailto targets.
 */
export const MarkdownPaste = Extension.create({
  name: 'markdownPaste',

  addProseMirrorPlugins() {
    const schema = this.editor.schema;
    let toNotes: ((markdown: string) => JSONContent) | null = null;
    return [
      new Plugin({
        key: new PluginKey('markdownPaste'),
        props: {
          transformPastedHTML: (html) => cleanPastedHtml(html),
          handlePaste: (view, event) => {
            const text = event.clipboardData?.getData('text/plain') ?? '';
            const html = event.clipboardData?.getData('text/html') ?? '';
            if (!text || view.state.selection.$from.parent.type.spec.code) return false;
            if (html && !isStyledPlainText(html)) return false;
            if (!looksLikeMarkdown(text)) return false;
            toNotes ??= createMarkdownToNotes((fragment) => htmlToNotes(parseHtml(fragment), schema).content ?? []);
            const slice = markdownSlice(schema, () => toNotes!(text));
            if (!slice) return false;
            view.dispatch(view.state.tr.replaceSelection(slice).scrollIntoView().setMeta('paste', true).setMeta('uiEvent', 'paste'));
            return true;
          },
        },
      }),
    ];
  },
});

/** Open at both ends, so one pasted line joins the line it lands in, as pasted text does. */
function markdownSlice(schema: Schema, convert: () => JSONContent): Slice | null {
  try {
    const doc = schema.nodeFromJSON(convert());
    doc.check();
    return Slice.maxOpen(doc.content);
  } catch {
    // Anything the converter refuses (nested too deep) is pasted as plain text by the editor.
    return null;
  }
}

function cleanPastedHtml(html: string): string {
  if (html.includes('data-pm-slice')) return html;
  try {
    const body = parseHtml(html);
    cleanHtml(body, MAX_HTML_ELEMENT_DEPTH);
    return body.innerHTML;
  } catch {
    return html;
  }
}

function isStyledPlainText(html: string): boolean {
  if (html.includes('data-pm-slice')) return false;
  return parseHtml(html).querySelector(STRUCTURE) === null;
}
