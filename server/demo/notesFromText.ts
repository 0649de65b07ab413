import type { JSONContent } from '@tiptap/core';

/** Section names of the session template, in English and as Japanese note-takers write them. */
const SECTION_HEADINGS = new Set(['attendees', 'agenda', 'notes', 'decisions', 'action items', 'アジェンダ', 'メモ', '決定事項', 'アクション', '参加者']);

const text = (t: string): JSONContent[] => (t ? [{ type: 'text', text: t }] : []);
const paragraph = (t: string): JSONContent => ({ type: 'paragraph', content: text(t) });

/**
 * Turns plain pad text (as people typed it in Etherpad) into a notes document:
 * template section names become headings, `- ` and `・` lines bullet lists,
 * `[ ]` / `[x]` lines task items; every other line stays a paragraph, so the
 * action-item tagger sees exactly what was typed. The first line is the pad's
 * title and is left out: the session already has one.
 */
export function notesFromText(source: string): JSONContent {
  const lines = source.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const content: JSONContent[] = [];
  const lastList = (type: string): JSONContent | null => {
    const last = content[content.length - 1];
    return last?.type === type ? last : null;
  };
  for (const line of lines.slice(1)) {
    const bullet = /^(?:-|・)\s*(.*)$/u.exec(line);
    const task = /^\[( |x|X)\]\s*(.*)$/.exec(line);
    if (SECTION_HEADINGS.has(line.trim().toLowerCase())) {
      content.push({ type: 'heading', attrs: { level: 2 }, content: text(line.trim()) });
    } else if (task) {
      const item: JSONContent = { type: 'taskItem', attrs: { checked: task[1] !== ' ' }, content: [paragraph(task[2]!)] };
      const list = lastList('taskList');
      if (list) list.content!.push(item);
      else content.push({ type: 'taskList', content: [item] });
    } else if (bullet) {
      const item: JSONContent = { type: 'listItem', content: [paragraph(bullet[1]!)] };
      const list = lastList('bulletList');
      if (list) list.content!.push(item);
      else content.push({ type: 'bulletList', content: [item] });
    } else {
      content.push(paragraph(line.trim()));
    }
  }
  return { type: 'doc', content };
}
