import type { JSONContent } from '@tiptap/core';
import { parseActionItem } from '../actionItems/parse.js';
import { listStart } from './notes.js';

/**
 * An action line ("ACTION: …", "TODO: …", "アクション: …") ticked on the board:
 * the tagger keeps its status in the paragraph's `actionStatus`, not in a box
 * the renderers know. A line with a typed box ("[x] …") already shows its
 * status in its own text.
 */
function isTickedActionLine(n: JSONContent | undefined): n is JSONContent {
  if (n?.type !== 'paragraph' || typeof n.attrs?.actionItemId !== 'string' || n.attrs.actionStatus !== 'done') return false;
  const text = (n.content ?? []).map((c) => c.text ?? '').join('');
  return parseActionItem({ text, kind: 'paragraph', checked: false }, { sessionDate: null })?.source !== 'task';
}

const tickedTask = (content: JSONContent[]): JSONContent => ({ type: 'taskList', content: [{ type: 'taskItem', attrs: { checked: true }, content }] });

/** A bullet or numbered list, cut around its ticked action lines; numbering carries on after each cut. */
function splitList(list: JSONContent): JSONContent[] {
  const out: JSONContent[] = [];
  const items = list.content ?? [];
  let run: JSONContent[] = [];
  let runStart = 0;
  const flush = (next: number) => {
    if (run.length) {
      const start = listStart(list) + runStart;
      out.push({ ...list, ...(list.type === 'orderedList' ? { attrs: { ...list.attrs, start } } : {}), content: run });
    }
    run = [];
    runStart = next;
  };
  items.forEach((item, i) => {
    const [first, ...rest] = item.content ?? [];
    if (isTickedActionLine(first)) {
      flush(i + 1);
      out.push(tickedTask([first, ...withTickedActions(rest, item.type)]));
    } else run.push({ ...item, content: withTickedActions(item.content ?? [], item.type) });
  });
  flush(items.length);
  return out;
}

function withTickedActions(nodes: JSONContent[], parentType: string | undefined): JSONContent[] {
  return nodes.flatMap((n): JSONContent[] => {
    // A task item's line has its own box, and the tagger takes its status from that box.
    if (isTickedActionLine(n) && parentType !== 'taskItem') return [tickedTask([n])];
    if (n.type === 'bulletList' || n.type === 'orderedList') return splitList(n);
    return n.content ? [{ ...n, content: withTickedActions(n.content, n.type) }] : [n];
  });
}

/**
 * The notes with every action line ticked on the board written as a ticked
 * task item, so each renderer shows it done the way it shows a done task
 * (a ticked box), as the editor does with its tick box. Open lines are left as
 * typed.
 */
export function tickDoneActionLines(doc: JSONContent): JSONContent {
  return { ...doc, content: withTickedActions(doc.content ?? [], doc.type) };
}
