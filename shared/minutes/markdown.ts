import type { JSONContent } from '@tiptap/core';
import { isSafeUrl } from '../editor/safeUrl.js';
import { escapeMarkdown } from '../actionItems/export.js';
import { eventStats, formatWhen, groupItems, scheduleOrder, type MinutesEvent, type MinutesSession } from './model.js';

// A walker of our own rather than a generic renderer: task lists, escaping of
// user text and unsafe links need exact control.

function inline(nodes: JSONContent[] | undefined): string {
  let out = '';
  for (const n of nodes ?? []) {
    if (n.type === 'hardBreak') {
      out += '  \n';
      continue;
    }
    if (n.type !== 'text' || !n.text) continue;
    const marks = n.marks ?? [];
    const has = (t: string) => marks.some((m) => m.type === t);
    let t = has('code') ? '`' + n.text.replace(/`/g, 'ˋ') + '`' : escapeMarkdown(n.text);
    if (has('bold')) t = `**${t}**`;
    if (has('italic')) t = `_${t}_`;
    if (has('strike')) t = `~~${t}~~`;
    const link = marks.find((m) => m.type === 'link');
    const href = typeof link?.attrs?.href === 'string' ? link.attrs.href : null;
    if (href && isSafeUrl(href)) t = `[${t}](<${href.replace(/[<>\s]/g, encodeURIComponent)}>)`;
    out += t;
  }
  return out;
}

function blocks(nodes: JSONContent[] | undefined, indent: string, out: string[]): void {
  for (const n of nodes ?? []) block(n, indent, out);
}

function listItems(items: JSONContent[] | undefined, indent: string, bullet: (i: number, item: JSONContent) => string, out: string[]): void {
  (items ?? []).forEach((item, i) => {
    const marker = bullet(i, item);
    const [first, ...rest] = item.content ?? [];
    const firstText = first?.type === 'paragraph' ? inline(first.content) : '';
    out.push(`${indent}${marker}${firstText}`);
    const inner: string[] = [];
    blocks(first?.type === 'paragraph' ? rest : item.content, indent + ' '.repeat(marker.length), inner);
    out.push(...inner.filter((l) => l !== ''));
  });
}

function block(n: JSONContent, indent: string, out: string[]): void {
  switch (n.type) {
    case 'paragraph': {
      const text = inline(n.content);
      out.push(indent + text, '');
      return;
    }
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(n.attrs?.level ?? 2) + 1));
      out.push(`${'#'.repeat(level)} ${inline(n.content)}`, '');
      return;
    }
    case 'bulletList':
      listItems(n.content, indent, () => '- ', out);
      out.push('');
      return;
    case 'orderedList': {
      const start = Number(n.attrs?.start ?? 1);
      listItems(n.content, indent, (i) => `${start + i}. `, out);
      out.push('');
      return;
    }
    case 'taskList':
      listItems(n.content, indent, (_i, item) => `- [${item.attrs?.checked ? 'x' : ' '}] `, out);
      out.push('');
      return;
    case 'blockquote': {
      const inner: string[] = [];
      blocks(n.content, '', inner);
      out.push(...inner.filter((l, i, a) => !(l === '' && i === a.length - 1)).map((l) => `${indent}> ${l}`.trimEnd()), '');
      return;
    }
    case 'codeBlock': {
      const code = (n.content ?? []).map((c) => c.text ?? '').join('');
      const fence = code.includes('```') ? '~~~~' : '```';
      out.push(indent + fence + String(n.attrs?.language ?? '').replace(/[^\w+-]/g, ''), ...code.split('\n').map((l) => indent + l), indent + fence, '');
      return;
    }
    case 'horizontalRule':
      out.push('---', '');
      return;
    default:
      blocks(n.content, indent, out);
  }
}

/** The notes alone, as GitHub-flavoured Markdown. */
export function notesToMarkdown(doc: JSONContent): string {
  const out: string[] = [];
  blocks(doc.content, '', out);
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function cell(text: string): string {
  return escapeMarkdown(text).replace(/\|/g, '\\|');
}

function actionTable(m: MinutesSession): string[] {
  if (m.actionItems.length === 0) return ['_No action items._'];
  const rows = ['| Owner | Item | Due | Status |', '| --- | --- | --- | --- |'];
  for (const a of m.actionItems) {
    rows.push(`| ${cell(a.owners.join(', ') || '—')} | ${cell(a.text)} | ${a.due ?? '—'} | ${a.status === 'done' ? 'done' : 'open'} |`);
  }
  return rows;
}

function sessionBody(m: MinutesSession, headingLevel: number): string[] {
  const h = '#'.repeat(headingLevel);
  const when = formatWhen(m.session.startsAt, m.session.endsAt, m.event.timezone);
  const meta = [
    when ? `- **When:** ${escapeMarkdown(when)}` : null,
    m.session.room ? `- **Room:** ${escapeMarkdown(m.session.room)}` : null,
    m.session.moderators.length ? `- **Moderators:** ${m.session.moderators.map(escapeMarkdown).join(', ')}` : null,
    m.noteTakers.length ? `- **Note-takers:** ${m.noteTakers.map(escapeMarkdown).join(', ')}` : null,
    m.session.tags.length ? `- **Tags:** ${m.session.tags.map((t) => '`' + t.replace(/`/g, '') + '`').join(' ')}` : null,
  ].filter((l): l is string => l !== null);
  // Headings inside the notes start one level below the session's title.
  const notes = notesToMarkdown(m.notes).replace(/^(#{1,6}) /gm, (_all, hashes: string) => `${'#'.repeat(Math.min(6, hashes.length + headingLevel - 1))} `);
  return [...meta, '', notes || '_No notes._', '', `${h}# Action items`, '', ...actionTable(m), ''];
}

export function renderSessionMarkdown(m: MinutesSession): string {
  return [`# ${escapeMarkdown(m.session.title)}`, '', `_${escapeMarkdown(m.event.title)}_`, '', ...sessionBody(m, 2)].join('\n').replace(/\n{3,}/g, '\n\n');
}

function anchor(title: string, i: number): string {
  return `session-${i + 1}-${title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '')}`;
}

export function renderEventMarkdown(e: MinutesEvent): string {
  const sessions = scheduleOrder(e.sessions);
  const stats = eventStats(e);
  const out = [
    `# ${escapeMarkdown(e.event.title)} — minutes`,
    '',
    `${stats.sessions} sessions · ${stats.contributors} contributors · ${stats.actionItems} action items (${stats.open} open)`,
    '',
    '## Contents',
    '',
    ...sessions.map((s, i) => `${i + 1}. [${escapeMarkdown(s.session.title)}](#${anchor(s.session.title, i)})`),
    '',
    '## Action items by owner',
    '',
  ];
  for (const [owner, items] of groupItems(e, 'owners', 'Unassigned')) {
    out.push(`### ${escapeMarkdown(owner)}`, '');
    for (const { item, session } of items) out.push(`- [${item.status === 'done' ? 'x' : ' '}] ${escapeMarkdown(item.text)} — _${escapeMarkdown(session)}_${item.due ? ` (due ${item.due})` : ''}`);
    out.push('');
  }
  out.push('## Action items by working group', '');
  for (const [tag, items] of groupItems(e, 'tags', 'untagged')) {
    out.push(`### ${escapeMarkdown(tag)}`, '');
    for (const { item, session } of items) out.push(`- [${item.status === 'done' ? 'x' : ' '}] ${escapeMarkdown(item.text)} — _${escapeMarkdown(session)}_`);
    out.push('');
  }
  sessions.forEach((s, i) => {
    out.push(`<a id="${anchor(s.session.title, i)}"></a>`, '', `## ${i + 1}. ${escapeMarkdown(s.session.title)}`, '', ...sessionBody(s, 3));
  });
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
