import { Extension, type AnyExtension, type JSONContent, type MarkdownToken } from '@tiptap/core';
import { MarkdownManager } from '@tiptap/markdown';
import { Marked, type marked } from 'marked';
import { createSchemaExtensions } from '../editor/extensions.js';
import { orderedStart } from '../editor/taskFromBulletItem.js';
import { ImportProblem } from './importProblem.js';
import { sanitizeNotes } from './sanitizeNotes.js';

/** Parses an HTML fragment into block nodes of the notes schema (see htmlToNotes). */
export type HtmlToBlocks = (html: string) => JSONContent[];

const INLINE_HTML = /^(?:<!--[\s\S]*?-->|<([a-zA-Z][\w-]*)(?:\s[^<>]*)?>(?:(?!<\1[\s>/])[\s\S])*?<\/\1\s*>|<\/?[a-zA-Z][\w-]*(?:\s[^<>]*)?\/?>)/;

/**
 * Markdown → notes JSON through @tiptap/markdown with the real editor
 * extensions, so a pasted or imported file gets exactly the structure the
 * editor's own Markdown handling gives. Four additions the schema has no
 * node for: table rows become lines ("a | b"), images become links to the
 * image, and raw HTML (block or inline, as HedgeDoc notes have) goes through
 * the same HTML cleaner as an HTML import instead of staying literal text.
 * Each converter has its own `marked` instance: nothing global is changed.
 *
 * @example
 *   const toNotes = createMarkdownToNotes(htmlToBlocks);
 *   toNotes('# Agenda\n- [ ] @dana send the summary'); // heading + task list
 */
export function createMarkdownToNotes(htmlToBlocks: HtmlToBlocks): (markdown: string) => JSONContent {
  const manager = new MarkdownManager({
    // A Marked instance has everything the manager uses (Lexer, use, defaults) without the global's state.
    marked: new Marked() as unknown as typeof marked,
    extensions: [...createSchemaExtensions(), ...markdownExtras(htmlToBlocks)],
  });
  return (markdown) => {
    let parsed: JSONContent;
    try {
      parsed = manager.parse(markdown.replace(/\r\n?/g, '\n'));
    } catch (err) {
      // marked recurses per nesting level: a hostile file nested thousands deep overflows the stack.
      if (err instanceof RangeError) throw new ImportProblem('too_deep', 'the Markdown is nested too deeply');
      throw err;
    }
    return sanitizeNotes(tasksInOrderedLists(parsed));
  };
}

const TASK_BOX = /^\[([ xX])\] /;

/**
 * `1. [ ] x` is a task in GitHub's Markdown, but the parser keeps tasks only
 * in bullet lists and leaves the box as text in a numbered one. Typing it
 * in the editor makes a task item (taskFromBulletItem.ts), so a paste or an
 * import does too: each such item leaves its numbered list for a task list,
 * and the items after it keep their numbers.
 */
function tasksInOrderedLists(node: JSONContent): JSONContent {
  if (!node.content) return node;
  const content = node.content.flatMap((child): JSONContent[] => {
    const walked = tasksInOrderedLists(child);
    return walked.type === 'orderedList' ? splitTasks(walked) : [walked];
  });
  return { ...node, content };
}

function splitTasks(list: JSONContent): JSONContent[] {
  const items = list.content ?? [];
  const first = orderedStart(list.attrs);
  const out: JSONContent[] = [];
  items.forEach((item, i) => {
    const para = item.content?.[0];
    const lead = para?.type === 'paragraph' ? para.content?.[0] : undefined;
    const box = lead?.type === 'text' ? TASK_BOX.exec(lead.text ?? '') : null;
    const last = out.at(-1);
    if (!box || !para || !lead) {
      if (last?.type === 'orderedList') last.content!.push(item);
      else out.push({ ...list, attrs: { ...list.attrs, start: first + i }, content: [item] });
      return;
    }
    const rest = (lead.text ?? '').slice(box[0].length);
    const paragraph = { ...para, content: [...(rest ? [{ ...lead, text: rest }] : []), ...(para.content ?? []).slice(1)] };
    const task: JSONContent = { type: 'taskItem', attrs: { checked: box[1] !== ' ' }, content: [paragraph, ...(item.content ?? []).slice(1)] };
    if (last?.type === 'taskList') last.content!.push(task);
    else out.push({ type: 'taskList', content: [task] });
  });
  return out;
}

function markdownExtras(htmlToBlocks: HtmlToBlocks): AnyExtension[] {
  const text = (t: string): JSONContent[] => (t ? [{ type: 'text', text: t }] : []);
  return [
    Extension.create({
      name: 'markdownTableAsLines',
      markdownTokenName: 'table',
      parseMarkdown: (token, h) => {
        const row = (cells: MarkdownToken[], bold: boolean): JSONContent => ({
          type: 'paragraph',
          content: cells.flatMap((cell, i) => {
            const inline = h.parseInline(cell.tokens ?? []);
            const marked = bold ? inline.map((n) => (n.type === 'text' ? { ...n, marks: [...(n.marks ?? []), { type: 'bold' }] } : n)) : inline;
            return i === 0 ? marked : [...text(' | '), ...marked];
          }),
        });
        const header = (token.header ?? []) as MarkdownToken[];
        const rows = (token.rows ?? []) as MarkdownToken[][];
        return [row(header, true), ...rows.map((r) => row(r, false))];
      },
    }),
    Extension.create({
      name: 'markdownImageAsLink',
      markdownTokenName: 'image',
      parseMarkdown: (token) => {
        const href = String(token.href ?? '');
        const label = String(token.text ?? '') || href;
        return { type: 'text', text: label, marks: [{ type: 'link', attrs: { href } }] };
      },
    }),
    Extension.create({
      name: 'markdownHtmlBlock',
      markdownTokenName: 'html',
      parseMarkdown: (token) => htmlToBlocks(String(token.text ?? token.raw ?? '')),
    }),
    Extension.create({
      name: 'markdownInlineHtml',
      markdownTokenName: 'inlineHtml',
      markdownTokenizer: {
        name: 'inlineHtml',
        level: 'inline',
        start: (src: string) => src.search(/<[a-zA-Z!/]/),
        tokenize: (src: string) => {
          const m = INLINE_HTML.exec(src);
          return m ? { type: 'inlineHtml', raw: m[0], text: m[0] } : undefined;
        },
      },
      parseMarkdown: (token) => inlineOf(htmlToBlocks(String(token.text ?? ''))),
    }),
  ];
}

/** Inline HTML inside a line keeps only inline content; its blocks are joined with line breaks. */
function inlineOf(blocks: JSONContent[]): JSONContent[] {
  const lines: JSONContent[][] = [];
  const walk = (nodes: JSONContent[]) => {
    for (const n of nodes) {
      if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'codeBlock') lines.push(n.content ?? []);
      else walk(n.content ?? []);
    }
  };
  walk(blocks);
  return lines.flatMap((l, i) => (i === 0 ? l : [{ type: 'hardBreak' }, ...l]));
}
