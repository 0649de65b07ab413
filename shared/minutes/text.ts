import type { JSONContent } from '@tiptap/core';
import { safeHref } from '../editor/safeUrl.js';
import { minutesLabels } from './labels.js';
import { eventStats, statsLine, formatWhen, groupItems, notesForMinutes, roomsHeader, scheduleOrder, type MinutesEvent, type MinutesSession } from './model.js';
import { listStart } from './notes.js';
import { pushAll } from './pushAll.js';
import { thanksLines } from './thanks.js';
import { textWidth, wrap } from './wrap.js';

/** Plain text for mailing lists: 72 columns, CJK-aware wrapping, links as "text <url>". */
export const TEXT_WIDTH = 72;
/** Deeper lists stop indenting here, so their text keeps room on the line. */
const MAX_INDENT = 36;

function inline(nodes: JSONContent[] | undefined): string {
  let out = '';
  for (const n of nodes ?? []) {
    if (n.type === 'hardBreak') out += '\n';
    if (n.type !== 'text' || !n.text) continue;
    const link = (n.marks ?? []).find((m) => m.type === 'link');
    const href = link ? safeHref(link.attrs?.href) : null;
    out += href && href !== n.text.trim() ? `${n.text} <${href}>` : n.text;
  }
  return out;
}

function underline(title: string, ch: string): string[] {
  const lines = wrap(title.replace(/\n/g, ' '), TEXT_WIDTH);
  let widest = 3;
  for (const l of lines) widest = Math.max(widest, textWidth(l));
  return lines.concat(ch.repeat(Math.min(TEXT_WIDTH, widest)));
}

/** The indent of nested content, `by` columns deeper, up to MAX_INDENT. */
function deeper(indent: string, by: number): string {
  return ' '.repeat(Math.min(MAX_INDENT, indent.length + by));
}

function blocks(nodes: JSONContent[] | undefined, indent: string, out: string[]): void {
  for (const n of nodes ?? []) block(n, indent, out);
}

function items(list: JSONContent, indent: string, marker: (i: number, item: JSONContent) => string, out: string[]): void {
  (list.content ?? []).forEach((item, i) => {
    const m = marker(i, item);
    const [first, ...rest] = item.content ?? [];
    const hang = deeper(indent, textWidth(m));
    inline(first?.type === 'paragraph' ? first.content : []).split('\n').forEach((line, j) => pushAll(out, wrap(line, TEXT_WIDTH, j === 0 ? indent + m : hang, hang)));
    blocks(first?.type === 'paragraph' ? rest : item.content, hang, out);
  });
}

function block(n: JSONContent, indent: string, out: string[]): void {
  switch (n.type) {
    case 'paragraph': {
      const text = inline(n.content);
      if (text.trim()) {
        for (const line of text.split('\n')) pushAll(out, wrap(line, TEXT_WIDTH, indent));
        out.push('');
      }
      return;
    }
    case 'heading':
      out.push('');
      pushAll(out, underline(inline(n.content), '-')).push('');
      return;
    case 'bulletList':
      items(n, indent, () => '* ', out);
      out.push('');
      return;
    case 'orderedList':
      items(n, indent, (i) => `${listStart(n) + i}. `, out);
      out.push('');
      return;
    case 'taskList':
      items(n, indent, (_i, item) => (item.attrs?.checked ? '[x] ' : '[ ] '), out);
      out.push('');
      return;
    case 'blockquote': {
      const inner: string[] = [];
      blocks(n.content, '', inner);
      while (inner.at(-1) === '') inner.pop();
      pushAll(out, inner.map((l) => `${indent}> ${l}`.trimEnd())).push('');
      return;
    }
    case 'codeBlock':
      pushAll(out, (n.content ?? []).map((c) => c.text ?? '').join('').split('\n').map((l) => `${indent}    ${l}`)).push('');
      return;
    case 'horizontalRule':
      out.push('-'.repeat(24), '');
      return;
    default:
      blocks(n.content, indent, out);
  }
}

function sessionLines(m: MinutesSession): string[] {
  const L = minutesLabels(m.event.language);
  const when = formatWhen(m.session.startsAt, m.session.endsAt, m.event.timezone, L);
  const out: string[] = underline(m.session.title, '=').concat('');
  const meta: [string, string | null][] = [
    [L.event, m.event.title],
    [L.whenLabel, when],
    roomsHeader(m.session.rooms, L) ?? [L.room, null],
    [L.moderators, m.session.moderators.join(', ') || null],
    [L.noteTakers, m.noteTakers.join(', ') || null],
  ];
  for (const [k, v] of meta) if (v) pushAll(out, wrap(v, TEXT_WIDTH, `${k}: `, ' '.repeat(textWidth(k) + 2)));
  const notes: string[] = [];
  blocks(notesForMinutes(m).content, '', notes);
  if (notes.length === 0) notes.push(`(${L.noNotesShort})`);
  out.push('');
  pushAll(out, notes).push('');
  pushAll(out, underline(L.actionSummary, '-')).push('');
  if (m.actionItems.length === 0) out.push(`(${L.none})`);
  for (const a of m.actionItems) {
    const owner = a.owners.length ? ` (${a.owners.join(', ')})` : '';
    const due = a.due ? ` ${L.dueOn(a.due)}` : '';
    pushAll(out, wrap(`${a.text}${owner}${due}`, TEXT_WIDTH, a.status === 'done' ? '[x] ' : '[ ] ', '    '));
  }
  return out;
}

function finish(lines: string[]): string {
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}

/** The notes alone, as plain text (a version in history). */
export function notesToText(doc: JSONContent): string {
  const out: string[] = [];
  blocks(notesForMinutes({ notes: doc }).content, '', out);
  return finish(out);
}

export function renderSessionText(m: MinutesSession): string {
  return finish(sessionLines(m));
}

function thanksText(e: MinutesEvent, L: ReturnType<typeof minutesLabels>): string[] {
  const lines = thanksLines(e, L);
  return lines.length ? [...underline(L.thanksTo, '-'), ...lines.flatMap((l) => wrap(`${l.label}: ${l.text}`, TEXT_WIDTH, '', '  ')), ''] : [];
}

export function renderEventText(e: MinutesEvent): string {
  const L = minutesLabels(e.event.language);
  const sessions = scheduleOrder(e.sessions);
  const s = eventStats(e);
  const out = [
    ...underline(L.minutesTitle(e.event.title), '='),
    '',
    statsLine(s, ', ', L),
    '',
    ...thanksText(e, L),
    ...underline(L.contents, '-'),
    ...sessions.flatMap((x, i) => wrap(x.session.title, TEXT_WIDTH, `${String(i + 1).padStart(2)}. `, '    ')),
    '',
    ...underline(L.byOwner, '-'),
  ];
  for (const [owner, list] of groupItems(e, 'owners', L.unassigned)) {
    out.push('', `${owner}:`);
    for (const { item, session } of list) pushAll(out, wrap(`${item.text} [${session}]${item.due ? ` ${L.dueOn(item.due)}` : ''}`, TEXT_WIDTH, `  ${item.status === 'done' ? '[x]' : '[ ]'} `, '      '));
  }
  out.push('');
  pushAll(out, underline(L.byWorkingGroup, '-'));
  for (const [tag, list] of groupItems(e, 'tags', L.untagged)) {
    out.push('', `${tag}:`);
    for (const { item, session } of list) pushAll(out, wrap(`${item.text} [${session}]`, TEXT_WIDTH, `  ${item.status === 'done' ? '[x]' : '[ ]'} `, '      '));
  }
  for (const m of sessions) {
    out.push('', '');
    pushAll(out, sessionLines(m));
  }
  return finish(out);
}
