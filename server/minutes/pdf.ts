import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { JSONContent } from '@tiptap/core';
import { safeHref } from '../../shared/editor/safeUrl.js';
import { minutesLabels, type MinutesLabels } from '../../shared/minutes/labels.js';
import { headingLevel, listStart } from '../../shared/minutes/notes.js';
import { eventStats, statsLine, formatWhen, groupItems, notesForMinutes, roomsHeader, scheduleOrder, type MinutesEvent, type MinutesSession } from '../../shared/minutes/model.js';
import { thanksLines } from '../../shared/minutes/thanks.js';

// Noto Sans JP (SIL OFL) ships in an npm package, so PDFs show Japanese on
// any server without system fonts and without a browser.
const fontDir = path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-jp/package.json'));
const FONTS = {
  regular: path.join(fontDir, '400Regular', 'NotoSansJP_400Regular.ttf'),
  bold: path.join(fontDir, '700Bold', 'NotoSansJP_700Bold.ttf'),
};

type Doc = PDFKit.PDFDocument;
const MARGIN = 56;
const INK = '#1f2328';
const MUTED = '#57606a';
const LINK = '#0a58ca';
const HEADING_SIZES = [20, 16, 13.5, 12, 11, 11];

interface Segment {
  text: string;
  bold: boolean;
  italic: boolean;
  strike: boolean;
  underline: boolean;
  code: boolean;
  link: string | null;
}

const PLAIN: Omit<Segment, 'text'> = { bold: false, italic: false, strike: false, underline: false, code: false, link: null };

function segments(nodes: JSONContent[] | undefined): Segment[] {
  const out: Segment[] = [];
  for (const n of nodes ?? []) {
    if (n.type === 'hardBreak') out.push({ ...PLAIN, text: '\n' });
    if (n.type !== 'text' || !n.text) continue;
    const marks = n.marks ?? [];
    const has = (t: string) => marks.some((m) => m.type === t);
    const link = marks.find((m) => m.type === 'link');
    out.push({ text: n.text, bold: has('bold'), italic: has('italic'), strike: has('strike'), underline: has('underline'), code: has('code'), link: link ? pdfUri(safeHref(link.attrs?.href)) : null });
  }
  return out;
}

/** A PDF link target is 7-bit ASCII: the URL's canonical form (punycode host, percent-encoded path). */
function pdfUri(href: string | null): string | null {
  if (href === null) return null;
  try {
    return new URL(href).href;
  } catch {
    return null;
  }
}

// Courier is one of PDF's built-in fonts, but only covers Latin-1: code with other characters stays in Noto Sans JP.
const LATIN1 = /^[\t\n\u0020-\u007e\u00a0-\u00ff]*$/;

function writeSegments(doc: Doc, segs: Segment[], x: number, opts: { size?: number; width?: number; color?: string } = {}): void {
  const width = opts.width ?? doc.page.width - MARGIN - x;
  const size = opts.size ?? 10.5;
  const color = opts.color ?? INK;
  if (segs.length === 0) {
    doc.font('regular').fontSize(size).text(' ', x, undefined, { width });
    return;
  }
  // pdfkit ignores "\n" inside continued text, so each hard-broken line is written as its own run of text.
  const lines: Segment[][] = [[]];
  for (const s of segs) {
    if (s.text === '\n') lines.push([]);
    else lines.at(-1)!.push(s);
  }
  for (const line of lines) {
    if (line.length === 0) {
      doc.font('regular').fontSize(size).text(' ', x, undefined, { width });
      continue;
    }
    line.forEach((s, i) => {
      // Inline code keeps the text font (a second font on one line shifts the baseline); colour sets it apart.
      doc
        .font(s.bold ? 'bold' : 'regular')
        .fontSize(size)
        .fillColor(s.link ? LINK : s.code ? '#6e2b8a' : color);
      const options: PDFKit.Mixins.TextOptions = {
        width,
        continued: i < line.length - 1,
        link: s.link ?? undefined,
        underline: s.link !== null || s.underline,
        strike: s.strike,
        oblique: s.italic ? 12 : false,
      };
      // pdfkit drops the options when x is given as undefined, so only the first run is positioned.
      if (i === 0) doc.text(s.text, x, undefined, options);
      else doc.text(s.text, options);
    });
  }
  doc.fillColor(INK);
}

/** A check box drawn as vector graphics: Noto Sans JP has no ☐/☑ glyphs. */
function checkbox(doc: Doc, x: number, y: number, checked: boolean, size = 8.5): void {
  doc.save().lineWidth(0.8).strokeColor('#57606a').rect(x, y, size, size).stroke();
  if (checked) {
    doc
      .lineWidth(1.3)
      .strokeColor('#1a7f37')
      .moveTo(x + size * 0.2, y + size * 0.55)
      .lineTo(x + size * 0.42, y + size * 0.78)
      .lineTo(x + size * 0.82, y + size * 0.22)
      .stroke();
  }
  doc.restore();
}

function blocks(doc: Doc, nodes: JSONContent[] | undefined, indent: number, shift: number): void {
  for (const n of nodes ?? []) block(doc, n, indent, shift);
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

/** Nested lists and quotes stop moving right here, so deep notes keep a readable column. */
const MAX_INDENT = 180;

function block(doc: Doc, n: JSONContent, indent: number, shift: number): void {
  const x = MARGIN + Math.min(indent, MAX_INDENT);
  switch (n.type) {
    case 'paragraph':
      writeSegments(doc, segments(n.content), x);
      doc.moveDown(0.3);
      return;
    case 'heading': {
      const level = Math.min(6, headingLevel(n) + shift);
      ensureSpace(doc, 40);
      doc.moveDown(0.4);
      writeSegments(doc, segments(n.content).map((s) => ({ ...s, bold: true })), x, { size: HEADING_SIZES[level - 1] });
      doc.moveDown(0.2);
      return;
    }
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
      (n.content ?? []).forEach((item, i) => {
        const [first, ...rest] = item.content ?? [];
        ensureSpace(doc, 16);
        const y = doc.y;
        if (n.type === 'taskList') checkbox(doc, x + 1, y + 3.5, Boolean(item.attrs?.checked));
        else doc.font('regular').fontSize(10.5).fillColor(INK).text(n.type === 'bulletList' ? '•' : `${listStart(n) + i}.`, x, y, { width: 18, lineBreak: false });
        doc.y = y;
        writeSegments(doc, first?.type === 'paragraph' ? segments(first.content) : [], x + 18, { color: item.attrs?.checked ? MUTED : undefined });
        blocks(doc, first?.type === 'paragraph' ? rest : item.content, indent + 18, shift);
      });
      doc.moveDown(0.3);
      return;
    case 'blockquote': {
      const top = doc.y;
      const page = doc.page;
      blocks(doc, n.content, indent + 14, shift);
      // The bar is drawn only when the quote stayed on one page; across a page break the indent alone marks it.
      if (doc.page === page) doc.save().lineWidth(2.5).strokeColor('#d0d7de').moveTo(x + 3, top).lineTo(x + 3, doc.y - 4).stroke().restore();
      return;
    }
    case 'codeBlock': {
      const code = (n.content ?? []).map((c) => c.text ?? '').join('');
      const mono = LATIN1.test(code);
      const width = doc.page.width - MARGIN - x - 16;
      doc.font(mono ? 'Courier' : 'regular').fontSize(9);
      const height = doc.heightOfString(code || ' ', { width });
      if (height < doc.page.height - 2 * MARGIN) ensureSpace(doc, height + 12);
      const top = doc.y;
      if (doc.y + height + 12 <= doc.page.height - MARGIN) doc.save().rect(x, top, width + 16, height + 12).fill('#f6f8fa').restore();
      doc.font(mono ? 'Courier' : 'regular').fontSize(9).fillColor('#24292f').text(code || ' ', x + 8, top + 6, { width });
      doc.y += 6;
      doc.moveDown(0.4).fillColor(INK);
      return;
    }
    case 'horizontalRule':
      doc.moveTo(x, doc.y + 4).lineTo(doc.page.width - MARGIN, doc.y + 4).strokeColor('#d0d7de').stroke();
      doc.moveDown(0.8);
      return;
    default:
      blocks(doc, n.content, indent, shift);
  }
}

const TABLE_COLUMNS = [110, 240, 72, 60];

function tableCells(a: MinutesSession['actionItems'][number], L: MinutesLabels): string[] {
  return [a.owners.join(', ') || '—', a.text, a.due ?? '—', L.statusValue[a.status === 'done' ? 'done' : 'open']];
}

/** The height of one row of the action-item table (sets the row's font). */
function rowHeight(doc: Doc, cells: string[], header: boolean): number {
  doc.font(header ? 'bold' : 'regular').fontSize(9.5);
  return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: TABLE_COLUMNS[i]! - 6 })));
}

/**
 * The summary's heading, the table's header and its first row go on one page:
 * a heading alone at the foot of a page, its table over the leaf, reads as a
 * printing accident. A first row taller than a page is left to break.
 */
function actionSummary(doc: Doc, m: MinutesSession, L: MinutesLabels, size: number): void {
  doc.font('bold').fontSize(size);
  const heading = doc.heightOfString(L.actionSummary, { width: doc.page.width - 2 * MARGIN }) + doc.currentLineHeight(true) * 0.2;
  const first = m.actionItems[0];
  const table = first ? rowHeight(doc, [L.owner, L.item, L.due, L.status], true) + 5 + rowHeight(doc, tableCells(first, L), false) + 6 : doc.font('regular').fontSize(10.5).currentLineHeight(true);
  if (heading + table < doc.page.height - 2 * MARGIN) ensureSpace(doc, heading + table);
  doc.font('bold').fontSize(size).fillColor(INK).text(L.actionSummary, MARGIN);
  doc.moveDown(0.2);
  actionItems(doc, m, L);
}

function actionItems(doc: Doc, m: MinutesSession, L: MinutesLabels): void {
  if (m.actionItems.length === 0) {
    doc.font('regular').fontSize(10.5).fillColor(INK).text(L.noActionItems, MARGIN);
    return;
  }
  const cols = TABLE_COLUMNS;
  const HEADER = [L.owner, L.item, L.due, L.status];
  const row = (cells: string[], header: boolean, done?: boolean) => {
    const height = rowHeight(doc, cells, header);
    const page = doc.page;
    ensureSpace(doc, height + 6);
    // A table that runs onto a new page repeats its header there.
    if (!header && doc.page !== page) {
      row(HEADER, true);
      doc.font('regular').fontSize(9.5);
    }
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      const boxed = !header && i === 3;
      if (boxed) checkbox(doc, x, y + 2.5, done === true);
      doc.fillColor(INK).text(c, boxed ? x + 12 : x, y, { width: cols[i]! - 6 });
      x += cols[i]!;
    });
    const bottom = y + height;
    doc.moveTo(MARGIN, bottom + 2).lineTo(MARGIN + cols.reduce((a, b) => a + b, 0), bottom + 2).strokeColor('#d0d7de').stroke();
    doc.y = bottom + 5;
  };
  row(HEADER, true);
  for (const a of m.actionItems) row(tableCells(a, L), false, a.status === 'done');
  doc.x = MARGIN;
}

function sessionMeta(m: MinutesSession, L: MinutesLabels): [string, string][] {
  const when = formatWhen(m.session.startsAt, m.session.endsAt, m.event.timezone, L);
  const meta: [string, string | null][] = [
    [L.whenLabel, when],
    roomsHeader(m.session.rooms, L) ?? [L.room, null],
    [L.moderators, m.session.moderators.join(', ') || null],
    [L.noteTakers, m.noteTakers.join(', ') || null],
  ];
  return meta.filter((x): x is [string, string] => x[1] !== null);
}

/**
 * The height a session without notes takes (title, header lines, "No notes."),
 * measured with the fonts session() writes it in: it is kept together, and a
 * fixed guess larger than this pushed sessions that fit onto a page of their
 * own (the next session with notes starts a page anyway).
 */
function emptySessionHeight(doc: Doc, m: MinutesSession, level: number, L: MinutesLabels): number {
  const width = doc.page.width - 2 * MARGIN;
  let h = doc.font('bold').fontSize(HEADING_SIZES[level - 1]!).heightOfString(m.session.title, { width });
  h += doc.currentLineHeight(true) * 0.2;
  // The key is bold, the value regular: all bold is never narrower, so never lower.
  doc.font('bold').fontSize(9.5);
  for (const [k, v] of sessionMeta(m, L)) h += doc.heightOfString(`${k}: ${v}`, { width });
  h += doc.currentLineHeight(true) * 0.5;
  h += doc.font('regular').fontSize(10.5).heightOfString(L.noNotes, { width });
  // Rounding in pdfkit's line placement.
  return Math.ceil(h) + 2;
}

function session(doc: Doc, m: MinutesSession, level: number): void {
  const L = minutesLabels(m.event.language);
  const notes = notesForMinutes(m).content ?? [];
  // With notes: the title, its header and a first line; without: the whole (short) block.
  ensureSpace(doc, notes.length ? 80 : emptySessionHeight(doc, m, level, L));
  doc.font('bold').fontSize(HEADING_SIZES[level - 1]!).fillColor(INK).text(m.session.title, MARGIN);
  doc.moveDown(0.2);
  for (const [k, v] of sessionMeta(m, L)) doc.font('bold').fontSize(9.5).fillColor(MUTED).text(`${k}: `, MARGIN, undefined, { continued: true }).font('regular').text(v);
  doc.fillColor(INK).moveDown(0.5);
  if (notes.length === 0) doc.font('regular').fontSize(10.5).fillColor(MUTED).text(L.noNotes, MARGIN).fillColor(INK);
  blocks(doc, notes, 0, level - 1);
  doc.moveDown(0.4);
  // Without notes there is nothing to summarise ("No action items." under "No notes." says nothing new).
  if (notes.length || m.actionItems.length) actionSummary(doc, m, L, HEADING_SIZES[level]!);
}

function hasNotes(m: MinutesSession): boolean {
  return (notesForMinutes(m).content ?? []).length > 0;
}

/** Lets sockets and timers run between sessions: a whole event's PDF would otherwise hold the event loop for a second. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function render(title: string, draw: (doc: Doc) => void | Promise<void>): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: title, Creator: 'Roundtable' } });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  await draw(doc);
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // The footer sits inside the bottom margin; without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(8.5).fillColor(MUTED).text(`${i + 1} / ${range.count}`, MARGIN, doc.page.height - MARGIN + 18, { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

/** PDF made on the server with pdfkit, no browser; Japanese set in Noto Sans JP. */
export function renderSessionPdf(m: MinutesSession): Promise<Uint8Array> {
  return render(m.session.title, (doc) => {
    doc.font('regular').fontSize(10).fillColor(MUTED).text(m.event.title, MARGIN).fillColor(INK);
    session(doc, m, 1);
  });
}

export function renderEventPdf(e: MinutesEvent): Promise<Uint8Array> {
  const L = minutesLabels(e.event.language);
  return render(L.minutesTitle(e.event.title), async (doc) => {
    const s = eventStats(e);
    const sessions = scheduleOrder(e.sessions);
    doc.font('bold').fontSize(22).fillColor(INK).text(L.minutesTitle(e.event.title), MARGIN);
    doc.font('regular').fontSize(10.5).fillColor(MUTED).text(statsLine(s, ' · ', L)).fillColor(INK);
    const thanks = thanksLines(e, L);
    if (thanks.length) doc.moveDown().font('bold').fontSize(14).text(L.thanksTo, MARGIN);
    for (const l of thanks) doc.font('bold').fontSize(10.5).text(`${l.label}: `, MARGIN, undefined, { continued: true }).font('regular').text(l.text);
    doc.moveDown().font('bold').fontSize(14).text(L.contents, MARGIN);
    sessions.forEach((x, i) => doc.font('regular').fontSize(10.5).fillColor(LINK).text(`${i + 1}. ${x.session.title}`, MARGIN + 10, undefined, { goTo: `session${i + 1}` }));
    doc.fillColor(INK);
    for (const [label, key, none] of [[L.byOwner, 'owners', L.unassigned], [L.byWorkingGroup, 'tags', L.untagged]] as const) {
      ensureSpace(doc, 60);
      doc.moveDown().font('bold').fontSize(14).text(label, MARGIN);
      for (const [k, list] of groupItems(e, key, none)) {
        ensureSpace(doc, 36);
        doc.moveDown(0.3).font('bold').fontSize(11).fillColor(INK).text(k, MARGIN);
        for (const { item, session: title } of list) {
          ensureSpace(doc, 14);
          checkbox(doc, MARGIN + 12, doc.y + 3, item.status === 'done');
          doc
            .font('regular')
            .fontSize(10)
            .fillColor(INK)
            .text(`${item.text} — ${title}${item.due ? ` (${L.dueOn(item.due)})` : ''}`, MARGIN + 26);
        }
      }
    }
    for (const [i, m] of sessions.entries()) {
      await yieldToLoop();
      // A session with notes starts a page; one without ("No notes.") follows what came before (the
      // summaries, for the first), or a schedule of mostly empty sessions would be mostly empty pages.
      if (hasNotes(m)) doc.addPage();
      else {
        doc.moveDown(1.5);
        // Its title, header lines and "No notes." stay together: a new page only when they do not fit (measured).
        ensureSpace(doc, emptySessionHeight(doc, m, 1, minutesLabels(m.event.language)));
      }
      // The link lands at the session's title, wherever on the page it starts.
      doc.addNamedDestination(`session${i + 1}`, 'XYZ', null, doc.page.height - doc.y, null);
      doc.outline.addItem(m.session.title);
      session(doc, m, 1);
    }
  });
}
