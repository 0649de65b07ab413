import type { JSONContent } from '@tiptap/core';
import { isSafeUrl } from '../../shared/editor/safeUrl.js';
import { linkifiedText } from '../../shared/notesImport/autolink.js';
import { decodeAtext, type PadLine, type PadSpan } from './etherpadAtext.js';
import { readEtherpadExport } from './etherpadExport.js';

/** Who wrote what in the pad (kept in the import's response until Roundtable has its own authorship). */
export interface PadAuthor {
  id: string;
  name: string | null;
  /** The author's colour when the pad stored one (`#rrggbb`); a number is an index into Etherpad's own palette. */
  color: string | null;
  colorId: number | string | null;
  /** Characters of the current text written by this author. */
  chars: number;
}

export interface EtherpadNotes {
  doc: JSONContent;
  padId: string;
  authors: PadAuthor[];
}

const MARKS: Record<string, string> = { bold: 'bold', italic: 'italic', underline: 'underline', strikethrough: 'strike' };
const LIST = /^(bullet|number|indent|task|taskdone)(\d+)$/;
const HEADING = /^h([1-6])$/;

/**
 * A `.etherpad` export → notes. Keeps bold, italic, underline and
 * strike-through; bullet and numbered lists nested by their `list`
 * attribute (`bullet2` is the second level); ep_headings2's `heading` line
 * attribute (h1–h6; `code` lines become a code block); links from link
 * attributes (ep_ link plugins store `url` or `link`) or URLs in the text,
 * as Etherpad shows them; and counts authorship per author.
 */
export function notesFromEtherpad(source: string): EtherpadNotes {
  const pad = readEtherpadExport(source);
  const lines = decodeAtext(pad.text, pad.attribs, pad.pool);
  const chars = new Map<string, number>();
  for (const line of lines) {
    for (const span of line.spans) {
      const author = span.attribs.get('author');
      if (author) chars.set(author, (chars.get(author) ?? 0) + span.text.length);
    }
  }
  const known = new Map(pad.authors.map((a) => [a.id, a]));
  const ids = new Set([...Object.values(pad.pool).filter(([k, v]) => k === 'author' && v).map(([, v]) => v), ...pad.authors.map((a) => a.id)]);
  const authors = [...ids].map((id): PadAuthor => {
    const rec = known.get(id);
    const colorId = rec?.colorId ?? null;
    return { id, name: rec?.name ?? null, color: typeof colorId === 'string' && /^#[0-9a-f]{3,8}$/i.test(colorId) ? colorId : null, colorId, chars: chars.get(id) ?? 0 };
  });
  authors.sort((a, b) => b.chars - a.chars);
  return { doc: { type: 'doc', content: blocksOf(lines) }, padId: pad.padId, authors };
}

interface OpenList {
  node: JSONContent;
  level: number;
}

function blocksOf(lines: PadLine[]): JSONContent[] {
  const out: JSONContent[] = [];
  let open: OpenList[] = [];
  let code: string[] | null = null;
  const endCode = () => {
    if (code) out.push({ type: 'codeBlock', attrs: { language: null }, content: code.join('\n') ? [{ type: 'text', text: code.join('\n') }] : [] });
    code = null;
  };
  for (const line of lines) {
    const heading = line.lineAttribs.get('heading');
    const list = LIST.exec(line.lineAttribs.get('list') ?? '');
    if (heading === 'code') {
      open = [];
      (code ??= []).push(line.spans.map((s) => s.text).join(''));
      continue;
    }
    endCode();
    const inline = inlineOf(line.spans);
    if (list && list[1] !== 'indent') {
      const type = list[1] === 'number' ? 'orderedList' : list[1]!.startsWith('task') ? 'taskList' : 'bulletList';
      const item: JSONContent =
        type === 'taskList'
          ? { type: 'taskItem', attrs: { checked: list[1] === 'taskdone' }, content: [{ type: 'paragraph', content: inline }] }
          : { type: 'listItem', content: [{ type: 'paragraph', content: inline }] };
      addItem(out, open, type, Number(list[2]), item, line.lineAttribs.get('start'));
      continue;
    }
    open = [];
    if (inline.length === 0) continue;
    const level = HEADING.exec(heading ?? '');
    out.push(level ? { type: 'heading', attrs: { level: Number(level[1]) }, content: inline } : { type: 'paragraph', content: inline });
  }
  endCode();
  return out;
}

/** `bullet3` under a `bullet1` has no level 2 to hang from: it nests one level below the deepest open list. */
function addItem(out: JSONContent[], open: OpenList[], type: string, wanted: number, item: JSONContent, start: string | undefined): void {
  const level = Math.max(1, Math.min(wanted, (open[open.length - 1]?.level ?? 0) + 1));
  while (open.length && open[open.length - 1]!.level > level) open.pop();
  const top = open[open.length - 1];
  if (top && top.level === level && top.node.type === type) {
    top.node.content!.push(item);
    return;
  }
  if (top && top.level === level) open.pop();
  const node: JSONContent = type === 'orderedList' ? { type, attrs: { start: Number(start) > 0 ? Number(start) : 1 }, content: [item] } : { type, content: [item] };
  const parent = open[open.length - 1];
  if (parent) parent.node.content![parent.node.content!.length - 1]!.content!.push(node);
  else out.push(node);
  open.push({ node, level });
}

function inlineOf(spans: PadSpan[]): JSONContent[] {
  return spans.flatMap((span) => {
    const marks = [...span.attribs.keys()].filter((k) => MARKS[k] && span.attribs.get(k) === 'true').map((k) => ({ type: MARKS[k]! }));
    const href = span.attribs.get('url') ?? span.attribs.get('link');
    if (href && isSafeUrl(href)) return [{ type: 'text', text: span.text, marks: [...marks, { type: 'link', attrs: { href } }] }];
    return linkifiedText(span.text, marks);
  });
}
