import type { JSONContent } from '@tiptap/core';
import { safeHref } from '../editor/safeUrl.js';
import { minutesLabels, type MinutesLabels } from './labels.js';
import { eventStats, statsLine, formatWhen, groupItems, notesForMinutes, roomsHeader, scheduleOrder, type MinutesEvent, type MinutesSession } from './model.js';
import { headingLevel, listStart } from './notes.js';
import { pushAll } from './pushAll.js';
import { thanksLines } from './thanks.js';

// A walker of our own rather than a generic renderer: task lists, escaping of
// user text and unsafe links need exact control.

/**
 * User text shown literally: never HTML, an entity, a link, emphasis, or (at
 * the start of a line) a heading, quote, list or rule. Only the characters
 * that can mean something are escaped, so the raw text stays readable in a
 * mail or a wiki editor.
 */
export function mdText(text: string, lineStart = false): string {
  // "<" as an entity, not "\<": GFM autolinks swallow the backslash of "https://x\<img …>", leaving raw HTML.
  let out = text.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]>|~&]/g, (c) => `\\${c}`).replace(/</g, '&lt;');
  if (lineStart) {
    out = out
      .replace(/^\s+/, '')
      .replace(/^(\d{1,9})([.)])/, '$1\\$2')
      .replace(/^[#>+=-]/, (c) => `\\${c}`);
  }
  return out;
}

function codeSpan(raw: string): string {
  // A code span shows a line break as a space anyway; a raw one would end a list item's line unindented.
  const text = raw.replace(/\r?\n/g, ' ');
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A word a GFM renderer turns into a link by itself, at the end of what was written so far. */
const AUTOLINK_TAIL = /(?:https?:\/\/|mailto:|www\.)[^\s<]*$/i;

/**
 * Before something is written straight after a bare URL: some GFM renderers
 * (marked) extend the URL's automatic link over everything up to a space or
 * "<", swallowing the backtick or bracket that opens a code span or link — and
 * with it what kept the next "<" from being HTML. An escaped ":" or "." in the
 * scheme reads the same but starts no automatic link.
 */
function guardAutolink(out: string, from: number, next: string): string {
  if (from < 0 || !next || /^\s/.test(next)) return out;
  const tail = AUTOLINK_TAIL.exec(out.slice(from));
  if (!tail) return out;
  const word = tail[0].replace(/^(https?):\/\//i, '$1\\://').replace(/^mailto:/i, 'mailto\\:').replace(/^www\./i, 'www\\.');
  return out.slice(0, from + tail.index) + word;
}

/** `indent` continues a hard-broken line inside a list item; null writes hard breaks as spaces (a heading is one line). */
function inline(nodes: JSONContent[] | undefined, indent: string | null = ''): string {
  let out = '';
  let lineStart = true;
  /** Where the last piece written starts, if it was text (not a link or code span: their URLs and backticks are ours). */
  let textFrom = -1;
  for (const n of nodes ?? []) {
    if (n.type === 'hardBreak') {
      if (indent === null) {
        out += ' ';
        continue;
      }
      out = guardAutolink(out, textFrom, '\\');
      textFrom = -1;
      out += `\\\n${indent}`;
      lineStart = true;
      continue;
    }
    if (n.type !== 'text' || !n.text) continue;
    const marks = n.marks ?? [];
    const has = (t: string) => marks.some((m) => m.type === t);
    const text = has('code') ? codeSpan(n.text) : mdText(n.text, lineStart);
    lineStart = false;
    // Delimiters hug the words: "**done **" is not bold in CommonMark, "**done** " is.
    const lead = /^\s*/.exec(text)![0];
    const trail = text.length > lead.length ? /\s*$/.exec(text)![0] : '';
    let t = text.slice(lead.length, text.length - trail.length);
    // Strike innermost: marked fails to close "~~" around another delimiter and then reads a code span after it as raw HTML.
    if (t && has('strike')) t = `~~${t}~~`;
    if (t && has('italic')) t = `_${t}_`;
    if (t && has('bold')) t = `**${t}**`;
    t = lead + t + trail;
    const link = marks.find((m) => m.type === 'link');
    const href = link ? safeHref(link.attrs?.href) : null;
    // Inside <…> a backslash could escape the closing bracket and "&" would start a character reference: neither may.
    if (href) {
      t = `[${t}](<${href.replace(/[<>\s\\]/g, encodeURIComponent).replace(/&/g, '\\&')}>)`;
      // "!" typed just before a link would turn it into an image (loaded from that URL, its text lost).
      if (out.endsWith('!')) out = `${out.slice(0, -1)}\\!`;
    }
    out = guardAutolink(out, textFrom, t);
    textFrom = !href && !has('code') ? out.length : -1;
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
    let [first, ...rest] = item.content ?? [];
    let text = first?.type === 'paragraph' ? inline(first.content, inner).trimEnd() : '';
    // An empty first line followed by a paragraph: that paragraph is the item's line.
    const next = rest[0];
    if (!text && first?.type === 'paragraph' && next?.type === 'paragraph') {
      first = next;
      rest = rest.slice(1);
      text = inline(next.content, inner).trimEnd();
    }
    // A line with only the marker would end the item at the next blank line, or under a line of text read as a
    // setext heading's underline: an empty comment keeps it an item's line.
    out.push(`${indent}${marker}${text || '<!-- -->'}`);
    const lines: string[] = [];
    const children = first?.type === 'paragraph' ? rest : (item.content ?? []);
    blocks(children, inner, lines, ctx);
    // Only lists may follow the item's line directly; anything else needs a blank line to stay inside the item.
    const onlyLists = children.every((c) => c.type === 'bulletList' || c.type === 'orderedList' || c.type === 'taskList');
    while (lines.at(-1) === '') lines.pop();
    if (!onlyLists && lines.length) out.push('');
    pushAll(out, onlyLists ? lines.filter((l) => l !== '') : lines);
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
      const level = Math.min(6, Math.max(ctx.minLevel, headingLevel(n) + ctx.shift));
      out.push(`${indent}${'#'.repeat(level)} ${inline(n.content, null)}`, '');
      return;
    }
    case 'bulletList':
      listItems(n.content, indent, () => '- ', (m) => m.length, out, ctx);
      out.push('');
      return;
    case 'orderedList': {
      const start = listStart(n);
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
      // Per physical line: a hard break inside a quoted paragraph continues it on a line that needs its ">" too.
      pushAll(out, inner.flatMap((l) => l.split('\n')).map((l) => `${indent}> ${l}`.trimEnd())).push('');
      return;
    }
    case 'codeBlock': {
      const code = (n.content ?? []).map((c) => c.text ?? '').join('');
      const fence = code.includes('```') ? '~~~~' : '```';
      out.push(indent + fence + String(n.attrs?.language ?? '').replace(/[^\w+-]/g, ''));
      pushAll(out, code.split('\n').map((l) => indent + l)).push(indent + fence, '');
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
  blocks(notesForMinutes({ notes: doc, scaffoldHeadings }).content, '', out, titleLevel ? { shift: titleLevel - 1, minLevel: titleLevel + 1 } : { shift: 0, minLevel: 1 });
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
  const rooms = roomsHeader(m.session.rooms, L);
  const meta = [
    when ? `- **${L.whenLabel}:** ${mdText(when)}` : null,
    rooms ? `- **${rooms[0]}:** ${mdText(rooms[1])}` : null,
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
    out.push(`<a id="${anchor(s.session.title, i)}"></a>`, '', `## ${i + 1}. ${mdText(s.session.title)}`, '');
    pushAll(out, sessionBody(s, 3));
  });
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
