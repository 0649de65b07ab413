import type { JSONContent } from '@tiptap/core';
import { linkifiedText } from '../../shared/notesImport/autolink.js';

/** Section names of the session template, in English and as Japanese note-takers write them. */
const SECTION_HEADINGS = new Set(['attendees', 'agenda', 'notes', 'decisions', 'action items', '参加者', 'アジェンダ', 'メモ', '決定事項', 'アクション']);

const BULLET = /^([ \t]*)(?:[-*+•‣◦▪][ \t]+|・[ \t]*)(.*)$/u;
const NUMBERED = /^([ \t]*)(\d{1,3})[.)][ \t]+(.*)$/;
const TASK = /^([ \t]*)(?:[-*+•][ \t]+)?\[( |x|X)\](?:[ \t]+(.*))?$/;
const HEADING = /^(#{1,6})[ \t]+(.+)$/;

export interface TextOptions {
  /** Leave out the first line: it is the pad's title, and the session already has one. */
  dropTitleLine?: boolean;
}

interface OpenList {
  node: JSONContent;
  /** Indentation width of this list's items (a tab counts 4). */
  indent: number;
}

const paragraph = (text: string): JSONContent => (text ? { type: 'paragraph', content: linkifiedText(text) } : { type: 'paragraph' });

/**
 * Plain pad text (typed in Etherpad, exported as .txt, or pasted) → notes,
 * the way the editor turns typed text into structure: template section
 * names and `# ` lines become headings; `- `, `* `, `+ `, `• ` and `・`
 * lines bullet lists, `1. ` lines numbered lists, `[ ] ` / `[x] ` lines
 * task items, each nested by its indentation (Etherpad's text export
 * indents one tab per level); a blank line ends a list; every other line
 * stays a paragraph exactly as typed, so the action-item tagger sees what
 * people wrote. URLs become links.
 *
 * @example
 *   notesFromText('Agenda\n- cells v2\n\t- placement\nACTION: @dana write it up');
 */
export function notesFromText(source: string, opts: TextOptions = {}): JSONContent {
  let lines = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map((l) => l.trimEnd());
  if (opts.dropTitleLine) {
    const first = lines.findIndex((l) => l.trim() !== '');
    if (first >= 0) lines = lines.slice(first + 1);
  }
  const content: JSONContent[] = [];
  let open: OpenList[] = [];

  const addItem = (type: string, indent: number, item: JSONContent, attrs?: Record<string, unknown>) => {
    while (open.length && open[open.length - 1]!.indent > indent) open.pop();
    const top = open[open.length - 1];
    if (top && top.indent === indent && top.node.type === type) {
      top.node.content!.push(item);
      return;
    }
    if (top && top.indent === indent) open.pop();
    const list: JSONContent = attrs ? { type, attrs, content: [item] } : { type, content: [item] };
    const parent = open[open.length - 1];
    const parentItem = parent?.node.content![parent.node.content!.length - 1];
    if (parent && parentItem && parent.indent < indent) parentItem.content!.push(list);
    else {
      open = [];
      content.push(list);
    }
    open.push({ node: list, indent });
  };

  for (const line of lines) {
    const task = TASK.exec(line);
    const numbered = task ? null : NUMBERED.exec(line);
    const bullet = task || numbered ? null : BULLET.exec(line);
    const heading = HEADING.exec(line);
    if (task) {
      addItem('taskList', width(task[1]!), { type: 'taskItem', attrs: { checked: task[2] !== ' ' }, content: [paragraph(task[3] ?? '')] });
    } else if (numbered) {
      addItem('orderedList', width(numbered[1]!), { type: 'listItem', content: [paragraph(numbered[3]!)] }, { start: Number(numbered[2]) });
    } else if (bullet) {
      addItem('bulletList', width(bullet[1]!), { type: 'listItem', content: [paragraph(bullet[2]!)] });
    } else {
      open = [];
      const text = line.trim();
      if (!text) continue;
      if (SECTION_HEADINGS.has(text.toLowerCase())) content.push({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text }] });
      else if (heading) content.push({ type: 'heading', attrs: { level: heading[1]!.length }, content: linkifiedText(heading[2]!.trim()) });
      else content.push(paragraph(text));
    }
  }
  return { type: 'doc', content };
}

function width(indent: string): number {
  let w = 0;
  for (const c of indent) w += c === '\t' ? 4 : 1;
  return w;
}
