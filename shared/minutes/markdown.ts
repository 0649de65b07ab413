import type { JSONContent } from '@tiptap/core';
import { isSafeUrl } from '../editor/safeUrl.js';
import { minutesLabels, type MinutesLabels } from './labels.js';
import { thanksLines } from './thanks.js';
import { eventStats, statsLine, formatWhen, groupItems, pruneEmpty, scheduleOrder, type MinutesEvent, type MinutesSession } from './model.js';

// A walker of our own rather than a generic renderer: task lists, escaping of
// user text and unsafe links need exact control.

/**
 * User text shown literally: never HTML, an entity, a link, emphasis, or (at
 * the start of a line) a heading, quote, list or rule. Only the characters
 * that can mean something are escaped, so the raw text stays readable in a
 * mail or a wiki editor.
 */
export function mdText(text: string, lineStart = false): string {
  let out = text.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
  if (lineStart) {
    out = out
      .replace(/^\s+/, '')
      .replace(/^(\d{1,9})([.)])/, '$1\\$2')
      .replace(/^[#>+=-]/, (c) => `\\${c}`);
  }
  return out;
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function inline(nodes: JSONContent[] | undefined, indent = ''): string {
  let out = '';
  let lineStart = true;
  for (const n of nodes ?? []) {
    if (n.type === 'hardBreak') {
      out += `\\\n${indent}`;
      lineStart = true;
      continue;
    }
    if (n.type !== 'text' || !n.text) continue;
    const marks = n.marks ?? [];
    const has = (t: string) => marks.some((m) => m.type === t);
    let t = has('code') ? codeSpan(n.text) : mdText(n.text, lineStart);
    lineStart = false;
    if (has('bold')) t = `**${t}**`;
    if (has('italic')) t = `_${t}_`;
    if (has('strike')) t = `~~${t}~~`;
    const link = marks.find((m) => m.type === 'link');
    const href = typeof link?.attrs?.href === 'string' ? link.attrs.href.trim() : null;
    if (href && isSafeUrl(href)) t = `[${t}](<${href.replace(/[<>\s]/g, encodeURIComponent)}>)`;
    out += t;
  }
  return out;
}

interface Ctx {
  /** Added to every heading level of the notes. */
  shift: number;
  /** No heading of the notes goes above this level (the title owns the ones above). */
  minLevel: number;
}

function blocks(nodes: JSONContent[] | undefined, indent: string, out: string[], ctx: Ctx): void {
  for (const n of nodes ?? []) block(n, indent, out, ctx);
}

function listItems(items: JSONContent[] | undefined, indent: string, bullet: (i: number, item: JSONContent) => string, childIndent: (marker: string) => number, out: string[], ctx: Ctx): void {
  (items ?? []).forEach((item, i) => {
    const marker = bullet(i, item);
    const inner = indent + ' '.repeat(childIndent(marker));
    const [first, ...rest] = item.content ?? [];
    const firstText = first?.type === 'paragraph' ? inline(first.content, inner) : '';
    out.push(`${indent}${marker}${firstText}`.trimEnd());
    const lines: string[] = [];
    const children = first?.type === 'paragraph' ? rest : (item.content ?? []);
    blocks(children, inner, lines, ctx);
    // Only lists may follow the item's line directly; anything else needs a blank line to stay inside the item.
    const onlyLists = children.every((c) => c.type === 'bulletList' || c.type === 'orderedList' || c.type === 'taskList');
    while (lines.at(-1) === '') lines.pop();
    if (!onlyLists && lines.length) out.push('');
    out.push(...(onlyLists ? lines.filter((l) => l !== '') : lines));
  });
}

function block(n: JSONContent, indent: string, out: string[], ctx: Ctx): void {
  switch (n.type) {
    case 'paragraph': {
      const text = inline(n.content, indent);
      out.push(indent + text, '');
      return;
    }
    case 'heading': {
      const level = Math.min(6, Math.max(ctx.minLevel, Number(n.attrs?.level ?? 2) + ctx.shift));
      out.push(`${indent}${'#'.repeat(level)} ${inline(n.content)}`, '');
      return;
    }
    case 'bulletList':
      listItems(n.content, indent, () => '- ', (m) => m.length, out, ctx);
      out.push('');
      return;
    case 'orderedList': {
      const start = Math.max(0, Math.floor(Number(n.attrs?.start ?? 1)) || 1);
      listItems(n.content, indent, (i) => `${start + i}. `, (m) => m.length, out, ctx);
      out.push('');
      return;
    }
    case 'taskList':
      // Nested content aligns with the text after "- ", not after the box: deeper would make it a code block.
      listItems(n.content, indent, (_i, item) => `- [${item.attrs?.checked ? 'x' : ' '}] `, () => 2, out, ctx);
      out.push('');
      return;
    case 'blockquote': {
      const inner: string[] = [];
      blocks(n.content, '', inner, ctx);
      while (inner.at(-1) === '') inner.pop();
      out.push(...inner.map((l) => `${indent}> ${l}`.trimEnd()), '');
      return;
    }
    case 'codeBlock': {
      const code = (n.content ?? []).map((c) => c.text ?? '').join('');
      const fence = code.includes('```') ? '~~~~' : '```';
      out.push(indent + fence + String(n.attrs?.language ?? '').replace(/[^\w+-]/g, ''), ...code.split('\n').map((l) => indent + l), indent + fence, '');
      return;
    }
    case 'horizontalRule':
      out.push(`${indent}---`, '');
      return;
    default:
      blocks(n.content, indent, out, ctx);
  }
}

/**
 * The notes alone, as GitHub-flavoured Markdown. `titleLevel` is the level of
 * the heading the notes sit under (0: none); their own headings go below it.
 */
export function notesToMarkdown(doc: JSONContent, titleLevel = 0, scaffoldHeadings: readonly string[] = []): string {
  const out: string[] = [];
  blocks(pruneEmpty(doc, scaffoldHeadings).content, '', out, titleLevel ? { shift: titleLevel - 1, minLevel: titleLevel + 1 } : { shift: 0, minLevel: 1 });
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function cell(text: string): string {
  return mdText(text);
}

function actionTable(m: MinutesSession, L: MinutesLabels): string[] {
  if (m.actionItems.length === 0) return [`_${L.noActionItems}_`];
  const rows = [`| ${L.owner} | ${L.item} | ${L.due} | ${L.status} |`, '| --- | --- | --- | --- |'];
  for (const a of m.actionItems) {
    rows.push(`| ${cell(a.owners.join(', ') || '—')} | ${cell(a.text)} | ${a.due ?? '—'} | ${L.statusValue[a.status === 'done' ? 'done' : 'open']} |`);
  }
  return rows;
}

function sessionBody(m: MinutesSession, headingLevel: number): string[] {
  const L = minutesLabels(m.event.language);
  const h = '#'.repeat(headingLevel);
  const when = formatWhen(m.session.startsAt, m.session.endsAt, m.event.timezone, L);
  const meta = [
    when ? `- **${L.whenLabel}:** ${mdText(when)}` : null,
    m.session.room ? `- **${L.room}:** ${mdText(m.session.room)}` : null,
    m.session.moderators.length ? `- **${L.moderators}:** ${m.session.moderators.map((x) => mdText(x)).join(', ')}` : null,
    m.noteTakers.length ? `- **${L.noteTakers}:** ${m.noteTakers.map((x) => mdText(x)).join(', ')}` : null,
    m.session.tags.length ? `- **${L.tags}:** ${m.session.tags.map(codeSpan).join(' ')}` : null,
  ].filter((l): l is string => l !== null);
  const notes = notesToMarkdown(m.notes, headingLevel - 1, m.scaffoldHeadings);
  return [...meta, '', notes || `_${L.noNotes}_`, '', `${h} ${L.actionSummary}`, '', ...actionTable(m, L), ''];
}

export function renderSessionMarkdown(m: MinutesSession): string {
  return [`# ${mdText(m.session.title)}`, '', `_${mdText(m.event.title)}_`, '', ...sessionBody(m, 2)].join('\n').replace(/\n{3,}/g, '\n\n');
}

function anchor(title: string, i: number): string {
  return `session-${i + 1}-${title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '')}`;
}

function thanksSection(e: MinutesEvent, L: MinutesLabels): string[] {
  const lines = thanksLines(e, L);
  return lines.length ? [`## ${L.thanksTo}`, '', ...lines.map((l) => `- **${l.label}:** ${mdText(l.text)}`), ''] : [];
}

export function renderEventMarkdown(e: MinutesEvent): string {
  const L = minutesLabels(e.event.language);
  const sessions = scheduleOrder(e.sessions);
  const stats = eventStats(e);
  const out = [
    `# ${L.minutesTitle(mdText(e.event.title))}`,
    '',
    statsLine(stats, ' · ', L),
    '',
    ...thanksSection(e, L),
    `## ${L.contents}`,
    '',
    ...sessions.map((s, i) => `${i + 1}. [${mdText(s.session.title)}](#${anchor(s.session.title, i)})`),
    '',
    `## ${L.byOwner}`,
    '',
  ];
  for (const [owner, items] of groupItems(e, 'owners', L.unassigned)) {
    out.push(`### ${mdText(owner)}`, '');
    for (const { item, session } of items) out.push(`- [${item.status === 'done' ? 'x' : ' '}] ${mdText(item.text)} — _${mdText(session)}_${item.due ? ` (${L.dueOn(item.due)})` : ''}`);
    out.push('');
  }
  out.push(`## ${L.byWorkingGroup}`, '');
  for (const [tag, items] of groupItems(e, 'tags', L.untagged)) {
    out.push(`### ${mdText(tag)}`, '');
    for (const { item, session } of items) out.push(`- [${item.status === 'done' ? 'x' : ' '}] ${mdText(item.text)} — _${mdText(session)}_`);
    out.push('');
  }
  sessions.forEach((s, i) => {
    out.push(`<a id="${anchor(s.session.title, i)}"></a>`, '', `## ${i + 1}. ${mdText(s.session.title)}`, '', ...sessionBody(s, 3));
  });
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
