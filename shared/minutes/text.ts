import type { JSONContent } from '@tiptap/core';
import { isSafeUrl } from '../editor/safeUrl.js';
import { minutesLabels } from './labels.js';
import { thanksLines } from './thanks.js';
import { eventStats, statsLine, formatWhen, groupItems, pruneEmpty, scheduleOrder, type MinutesEvent, type MinutesSession } from './model.js';
import { textWidth, wrap } from './wrap.js';

/** Plain text for mailing lists: 72 columns, CJK-aware wrapping, links as "text <url>". */
export const TEXT_WIDTH = 72;

function inline(nodes: JSONContent[] | undefined): string {
  let out = '';
  for (const n of nodes ?? []) {
    if (n.type === 'hardBreak') out += '\n';
    if (n.type !== 'text' || !n.text) continue;
    const link = (n.marks ?? []).find((m) => m.type === 'link');
    const href = typeof link?.attrs?.href === 'string' ? link.attrs.href.trim() : null;
    out += href && isSafeUrl(href) && href !== n.text ? `${n.text} <${href}>` : n.text;
  }
  return out;
}

function underline(title: string, ch: string): string[] {
  const lines = wrap(title.replace(/\n/g, ' '), TEXT_WIDTH);
  return [...lines, ch.repeat(Math.min(TEXT_WIDTH, Math.max(3, ...lines.map(textWidth))))];
}

function blocks(nodes: JSONContent[] | undefined, indent: string, out: string[]): void {
  for (const n of nodes ?? []) block(n, indent, out);
}

function items(list: JSONContent, indent: string, marker: (i: number, item: JSONContent) => string, out: string[]): void {
  (list.content ?? []).forEach((item, i) => {
    const m = marker(i, item);
    const [first, ...rest] = item.content ?? [];
    const hang = indent + ' '.repeat(textWidth(m));
    inline(first?.type === 'paragraph' ? first.content : []).split('\n').forEach((line, j) => out.push(...wrap(line, TEXT_WIDTH, j === 0 ? indent + m : hang, hang)));
    blocks(first?.type === 'paragraph' ? rest : item.content, indent + ' '.repeat(textWidth(m)), out);
  });
}

function block(n: JSONContent, indent: string, out: string[]): void {
  switch (n.type) {
    case 'paragraph': {
      const text = inline(n.content);
      if (text.trim()) out.push(...text.split('\n').flatMap((line) => wrap(line, TEXT_WIDTH, indent)), '');
      return;
    }
    case 'heading':
      out.push('', ...underline(inline(n.content), '-'), '');
      return;
    case 'bulletList':
      items(n, indent, () => '* ', out);
      out.push('');
      return;
    case 'orderedList':
      items(n, indent, (i) => `${Number(n.attrs?.start ?? 1) + i}. `, out);
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
      out.push(...inner.map((l) => `${indent}> ${l}`.trimEnd()), '');
      return;
    }
    case 'codeBlock':
      out.push(...(n.content ?? []).map((c) => c.text ?? '').join('').split('\n').map((l) => `${indent}    ${l}`), '');
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
  const out: string[] = [...underline(m.session.title, '='), ''];
  const meta: [string, string | null][] = [
    [L.event, m.event.title],
    [L.whenLabel, when],
    [L.room, m.session.room],
    [L.moderators, m.session.moderators.join(', ') || null],
    [L.noteTakers, m.noteTakers.join(', ') || null],
  ];
  for (const [k, v] of meta) if (v) out.push(...wrap(v, TEXT_WIDTH, `${k}: `, ' '.repeat(textWidth(k) + 2)));
  const notes: string[] = [];
  blocks(pruneEmpty(m.notes, m.scaffoldHeadings).content, '', notes);
  if (notes.length === 0) notes.push(`(${L.noNotesShort})`);
  out.push('', ...notes, '', ...underline(L.actionSummary, '-'), '');
  if (m.actionItems.length === 0) out.push(`(${L.none})`);
  for (const a of m.actionItems) {
    const owner = a.owners.length ? ` (${a.owners.join(', ')})` : '';
    const due = a.due ? ` ${L.dueOn(a.due)}` : '';
    out.push(...wrap(`${a.text}${owner}${due}`, TEXT_WIDTH, a.status === 'done' ? '[x] ' : '[ ] ', '    '));
  }
  return out;
}

function finish(lines: string[]): string {
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
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
    for (const { item, session } of list) out.push(...wrap(`${item.text} [${session}]${item.due ? ` ${L.dueOn(item.due)}` : ''}`, TEXT_WIDTH, `  ${item.status === 'done' ? '[x]' : '[ ]'} `, '      '));
  }
  out.push('', ...underline(L.byWorkingGroup, '-'));
  for (const [tag, list] of groupItems(e, 'tags', L.untagged)) {
    out.push('', `${tag}:`);
    for (const { item, session } of list) out.push(...wrap(`${item.text} [${session}]`, TEXT_WIDTH, `  ${item.status === 'done' ? '[x]' : '[ ]'} `, '      '));
  }
  for (const m of sessions) out.push('', '', ...sessionLines(m));
  return finish(out);
}
