import type { JSONContent } from '@tiptap/core';
import { safeHref } from '../editor/safeUrl.js';
import { minutesLabels, type MinutesLabels, type MinutesLanguage } from './labels.js';
import { eventStats, statsLine, formatWhen, groupItems, notesForMinutes, roomsHeader, scheduleOrder, type MinutesEvent, type MinutesSession } from './model.js';
import { headingLevel, listStart } from './notes.js';
import { thanksLines } from './thanks.js';

/** Every piece of user text goes through this: the output has only the tags this file writes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function inline(nodes: JSONContent[] | undefined): string {
  let out = '';
  for (const n of nodes ?? []) {
    if (n.type === 'hardBreak') {
      out += '<br>';
      continue;
    }
    if (n.type !== 'text' || !n.text) continue;
    const marks = n.marks ?? [];
    const has = (t: string) => marks.some((m) => m.type === t);
    let t = escapeHtml(n.text);
    if (has('code')) t = `<code>${t}</code>`;
    if (has('bold')) t = `<strong>${t}</strong>`;
    if (has('italic')) t = `<em>${t}</em>`;
    if (has('underline')) t = `<u>${t}</u>`;
    if (has('strike')) t = `<s>${t}</s>`;
    const link = marks.find((m) => m.type === 'link');
    const href = link ? safeHref(link.attrs?.href) : null;
    if (href) t = `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${t}</a>`;
    out += t;
  }
  return out;
}

interface Ctx {
  shift: number;
  minLevel: number;
  labels: MinutesLabels;
}

function blocks(nodes: JSONContent[] | undefined, ctx: Ctx): string {
  return (nodes ?? []).map((n) => block(n, ctx)).join('\n');
}

/** A list item: its first paragraph inline (so a task's box sits on the same line), the rest as blocks. */
function itemBody(item: JSONContent, ctx: Ctx): string {
  const [first, ...rest] = item.content ?? [];
  if (first?.type !== 'paragraph') return blocks(item.content, ctx);
  return inline(first.content) + (rest.length ? '\n' + blocks(rest, ctx) : '');
}

function block(n: JSONContent, ctx: Ctx): string {
  switch (n.type) {
    case 'paragraph': {
      const isAction = typeof n.attrs?.actionItemId === 'string';
      return `<p${isAction ? ' class="action-item"' : ''}>${inline(n.content)}</p>`;
    }
    case 'heading': {
      const level = Math.min(6, Math.max(ctx.minLevel, headingLevel(n) + ctx.shift));
      return `<h${level}>${inline(n.content)}</h${level}>`;
    }
    case 'bulletList':
      return `<ul>${(n.content ?? []).map((i) => `<li>${itemBody(i, ctx)}</li>`).join('')}</ul>`;
    case 'orderedList': {
      const start = listStart(n);
      return `<ol${start !== 1 ? ` start="${start}"` : ''}>${(n.content ?? []).map((i) => `<li>${itemBody(i, ctx)}</li>`).join('')}</ol>`;
    }
    case 'taskList':
      return `<ul class="tasks">${(n.content ?? [])
        .map((i) => {
          const done = Boolean(i.attrs?.checked);
          return `<li class="${done ? 'done' : 'open'}"><span class="box" role="img" aria-label="${ctx.labels.statusValue[done ? 'done' : 'open']}">${done ? '☑' : '☐'}</span> ${itemBody(i, ctx)}</li>`;
        })
        .join('')}</ul>`;
    case 'blockquote':
      return `<blockquote>${blocks(n.content, ctx)}</blockquote>`;
    case 'codeBlock':
      return `<pre><code>${escapeHtml((n.content ?? []).map((c) => c.text ?? '').join(''))}</code></pre>`;
    case 'horizontalRule':
      return '<hr>';
    default:
      return blocks(n.content, ctx);
  }
}

const STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", "Noto Sans CJK JP", sans-serif; line-height: 1.55; color: #1f2328; max-width: 52rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.9rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #d8dee4; padding-bottom: .3rem; }
.meta { color: #57606a; margin: .2rem 0 1.2rem; padding: 0; list-style: none; } .meta li { margin: .1rem 0; }
.event { color: #57606a; margin-top: 0; }
ul.tasks { list-style: none; padding-left: .2rem; } li ul.tasks { padding-left: 1.6rem; } ul.tasks li.done { color: #57606a; } .box { display: inline-block; width: 1.3em; }
li > p { margin: .15rem 0; } p.action-item { background: #fff8c5; border-radius: 4px; padding: 0 .3rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.4rem; } th, td { border: 1px solid #d0d7de; padding: .35rem .55rem; text-align: left; vertical-align: top; } th { background: #f6f8fa; }
/* A date or a status split over two lines ("2016-06-" / "01") reads as two values: the item column takes the squeeze. */
.nowrap { white-space: nowrap; }
code { background: #f6f8fa; padding: .1rem .3rem; border-radius: 4px; font-size: .92em; } pre { background: #f6f8fa; padding: .8rem; overflow-x: auto; border-radius: 6px; } pre code { padding: 0; background: none; }
blockquote { border-left: 4px solid #d0d7de; margin-left: 0; padding-left: 1rem; color: #57606a; }
.stats { background: #f6f8fa; padding: .6rem .9rem; border-radius: 6px; }
nav ol { columns: 2; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; } a { color: inherit; text-decoration: none; }
  @page { margin: 18mm 16mm; }
  h2 { border: none; } h1, h2, h3, h4 { break-after: avoid; }
  section[id] { break-before: page; }
  a[href^="http"]::after { content: " <" attr(href) ">"; color: #57606a; font-size: .85em; word-break: break-all; }
  table, ul.tasks li, pre { page-break-inside: avoid; } p.action-item { background: none; border-left: 3px solid #bf8700; }
  nav ol { columns: 1; }
}`;

/**
 * The document's `lang`: the event's language (the language of the minutes'
 * fixed words, and the one screen readers, hyphenation and CJK font choice
 * should use); minutes without one have English words, so `en`.
 */
function htmlLang(language: MinutesLanguage | undefined): string {
  return language === 'ja' ? 'ja' : 'en';
}

function page(title: string, body: string, language: MinutesLanguage | undefined): string {
  return `<!doctype html>
<html lang="${htmlLang(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function actionTable(m: MinutesSession, L: MinutesLabels): string {
  if (m.actionItems.length === 0) return `<p><em>${L.noActionItems}</em></p>`;
  const rows = m.actionItems
    .map((a) => `<tr><td>${escapeHtml(a.owners.join(', ') || '—')}</td><td>${escapeHtml(a.text)}</td><td class="nowrap">${escapeHtml(a.due ?? '—')}</td><td class="nowrap">${a.status === 'done' ? `☑ ${L.statusValue.done}` : `☐ ${L.statusValue.open}`}</td></tr>`)
    .join('');
  return `<table><thead><tr><th>${L.owner}</th><th>${L.item}</th><th>${L.due}</th><th>${L.status}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function sessionSection(m: MinutesSession, level: number, id?: string): string {
  const L = minutesLabels(m.event.language);
  const when = formatWhen(m.session.startsAt, m.session.endsAt, m.event.timezone, L);
  const rooms = roomsHeader(m.session.rooms, L);
  const meta = [
    when ? `<li><strong>${L.whenLabel}:</strong> ${escapeHtml(when)}</li>` : '',
    rooms ? `<li><strong>${rooms[0]}:</strong> ${escapeHtml(rooms[1])}</li>` : '',
    m.session.moderators.length ? `<li><strong>${L.moderators}:</strong> ${escapeHtml(m.session.moderators.join(', '))}</li>` : '',
    m.noteTakers.length ? `<li><strong>${L.noteTakers}:</strong> ${escapeHtml(m.noteTakers.join(', '))}</li>` : '',
    m.session.tags.length ? `<li><strong>${L.tags}:</strong> ${m.session.tags.map((t) => `<code>${escapeHtml(t)}</code>`).join(' ')}</li>` : '',
  ].join('');
  const notes = blocks(notesForMinutes(m).content, { shift: level - 1, minLevel: level + 1, labels: L }) || `<p><em>${L.noNotes}</em></p>`;
  return `<section${id ? ` id="${id}"` : ''}>
<h${level}>${escapeHtml(m.session.title)}</h${level}>
<ul class="meta">${meta}</ul>
${notes}
<h${level + 1}>${L.actionSummary}</h${level + 1}>
${actionTable(m, L)}
</section>`;
}

export function renderSessionHtml(m: MinutesSession): string {
  return page(`${m.session.title} — ${m.event.title}`, `<p class="event">${escapeHtml(m.event.title)}</p>\n${sessionSection(m, 1)}`, m.event.language);
}

function thanksHtml(e: MinutesEvent, L: MinutesLabels): string {
  const lines = thanksLines(e, L);
  return lines.length ? `<h2>${escapeHtml(L.thanksTo)}</h2><ul class="thanks">${lines.map((l) => `<li><strong>${escapeHtml(l.label)}:</strong> ${escapeHtml(l.text)}</li>`).join('')}</ul>` : '';
}

export function renderEventHtml(e: MinutesEvent): string {
  const L = minutesLabels(e.event.language);
  const sessions = scheduleOrder(e.sessions);
  const stats = eventStats(e);
  const toc = sessions.map((s, i) => `<li><a href="#s${i + 1}">${escapeHtml(s.session.title)}</a></li>`).join('');
  const group = (key: 'owners' | 'tags', none: string) =>
    [...groupItems(e, key, none)]
      .map(
        ([k, items]) =>
          `<h3>${escapeHtml(k)}</h3><ul class="tasks">${items
            .map(({ item, session }) => `<li class="${item.status}"><span class="box">${item.status === 'done' ? '☑' : '☐'}</span> ${escapeHtml(item.text)} — <em>${escapeHtml(session)}</em>${item.due ? ` (${escapeHtml(L.dueOn(item.due))})` : ''}</li>`)
            .join('')}</ul>`,
      )
      .join('\n');
  const body = `<h1>${escapeHtml(L.minutesTitle(e.event.title))}</h1>
<p class="stats">${statsLine(stats, ' · ', L)}</p>
${thanksHtml(e, L)}
<nav><h2>${L.contents}</h2><ol>${toc}</ol></nav>
<h2>${L.byOwner}</h2>
${group('owners', L.unassigned)}
<h2>${L.byWorkingGroup}</h2>
${group('tags', L.untagged)}
${sessions.map((s, i) => sessionSection(s, 2, `s${i + 1}`)).join('\n')}`;
  return page(L.minutesTitle(e.event.title), body, e.event.language);
}
