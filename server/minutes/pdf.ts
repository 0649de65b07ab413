import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { JSONContent } from '@tiptap/core';
import { isSafeUrl } from '../../shared/editor/safeUrl.js';
import { eventStats, formatWhen, groupItems, scheduleOrder, type MinutesEvent, type MinutesSession } from '../../shared/minutes/model.js';

// Noto Sans JP (SIL OFL) ships in an npm package, so PDFs show Japanese on
// any server without system fonts and without a browser.
const fontDir = path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-jp/package.json'));
const FONTS = {
  regular: path.join(fontDir, '400Regular', 'NotoSansJP_400Regular.ttf'),
  bold: path.join(fontDir, '700Bold', 'NotoSansJP_700Bold.ttf'),
};

type Doc = PDFKit.PDFDocument;
const MARGIN = 56;
const HEADING_SIZES = [20, 16, 13.5, 12, 11, 11];

interface Segment {
  text: string;
  bold: boolean;
  link: string | null;
}

function segments(nodes: JSONContent[] | undefined): Segment[] {
  const out: Segment[] = [];
  for (const n of nodes ?? []) {
    if (n.type === 'hardBreak') out.push({ text: '\n', bold: false, link: null });
    if (n.type !== 'text' || !n.text) continue;
    const marks = n.marks ?? [];
    const link = marks.find((m) => m.type === 'link');
    const href = typeof link?.attrs?.href === 'string' ? link.attrs.href.trim() : null;
    out.push({ text: n.text, bold: marks.some((m) => m.type === 'bold'), link: href && isSafeUrl(href) ? href : null });
  }
  return out;
}

function writeSegments(doc: Doc, segs: Segment[], x: number, opts: { size?: number; width?: number } = {}): void {
  const width = opts.width ?? doc.page.width - MARGIN - x;
  doc.fontSize(opts.size ?? 10.5);
  if (segs.length === 0) {
    doc.font('regular').text(' ', x, undefined, { width });
    return;
  }
  segs.forEach((s, i) => {
    doc
      .font(s.bold ? 'bold' : 'regular')
      .fillColor(s.link ? '#0a58ca' : '#1f2328')
      .text(s.text, i === 0 ? x : undefined, undefined, { width, continued: i < segs.length - 1, link: s.link ?? undefined, underline: s.link !== null });
  });
  doc.fillColor('#1f2328');
}

function blocks(doc: Doc, nodes: JSONContent[] | undefined, indent: number, shift: number): void {
  for (const n of nodes ?? []) block(doc, n, indent, shift);
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

function block(doc: Doc, n: JSONContent, indent: number, shift: number): void {
  const x = MARGIN + indent;
  switch (n.type) {
    case 'paragraph':
      writeSegments(doc, segments(n.content), x);
      doc.moveDown(0.3);
      return;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(n.attrs?.level ?? 2) + shift));
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
        const marker = n.type === 'bulletList' ? '•' : n.type === 'orderedList' ? `${Number(n.attrs?.start ?? 1) + i}.` : item.attrs?.checked ? '☑' : '☐';
        const [first, ...rest] = item.content ?? [];
        ensureSpace(doc, 16);
        const y = doc.y;
        doc.font('regular').fontSize(10.5).text(marker, x, y, { width: 18, lineBreak: false });
        doc.y = y;
        writeSegments(doc, first?.type === 'paragraph' ? segments(first.content) : [], x + 18);
        blocks(doc, first?.type === 'paragraph' ? rest : item.content, indent + 18, shift);
      });
      doc.moveDown(0.3);
      return;
    case 'blockquote':
      doc.fillColor('#57606a');
      blocks(doc, n.content, indent + 14, shift);
      doc.fillColor('#1f2328');
      return;
    case 'codeBlock':
      doc.font('regular').fontSize(9.5).fillColor('#24292f').text((n.content ?? []).map((c) => c.text ?? '').join(''), x + 8, undefined, { width: doc.page.width - MARGIN - x - 8 });
      doc.moveDown(0.4);
      return;
    case 'horizontalRule':
      doc.moveTo(x, doc.y + 4).lineTo(doc.page.width - MARGIN, doc.y + 4).strokeColor('#d0d7de').stroke();
      doc.moveDown(0.8);
      return;
    default:
      blocks(doc, n.content, indent, shift);
  }
}

function actionItems(doc: Doc, m: MinutesSession): void {
  if (m.actionItems.length === 0) {
    doc.font('regular').fontSize(10.5).text('No action items.', MARGIN);
    return;
  }
  const cols = [110, 230, 70, 60];
  const header = ['Owner', 'Item', 'Due', 'Status'];
  const row = (cells: string[], bold: boolean) => {
    ensureSpace(doc, 20);
    const y = doc.y;
    let x = MARGIN;
    let bottom = y;
    cells.forEach((c, i) => {
      doc.font(bold ? 'bold' : 'regular').fontSize(9.5).text(c, x, y, { width: cols[i]! - 6 });
      bottom = Math.max(bottom, doc.y);
      x += cols[i]!;
    });
    doc.moveTo(MARGIN, bottom + 2).lineTo(MARGIN + cols.reduce((a, b) => a + b, 0), bottom + 2).strokeColor('#d0d7de').stroke();
    doc.y = bottom + 5;
  };
  row(header, true);
  for (const a of m.actionItems) row([a.owners.join(', ') || '—', a.text, a.due ?? '—', a.status === 'done' ? '☑ done' : '☐ open'], false);
  doc.x = MARGIN;
}

function session(doc: Doc, m: MinutesSession, level: number): void {
  ensureSpace(doc, 80);
  doc.font('bold').fontSize(HEADING_SIZES[level - 1]!).text(m.session.title, MARGIN);
  const when = formatWhen(m.session.startsAt, m.session.endsAt, m.event.timezone);
  const meta: [string, string | null][] = [
    ['When', when],
    ['Room', m.session.room],
    ['Moderators', m.session.moderators.join(', ') || null],
    ['Note-takers', m.noteTakers.join(', ') || null],
  ];
  doc.moveDown(0.2);
  for (const [k, v] of meta) if (v) doc.font('bold').fontSize(9.5).fillColor('#57606a').text(`${k}: `, MARGIN, undefined, { continued: true }).font('regular').text(v);
  doc.fillColor('#1f2328').moveDown(0.5);
  blocks(doc, m.notes.content, 0, level - 1);
  doc.moveDown(0.4);
  doc.font('bold').fontSize(HEADING_SIZES[level]!).text('Action items', MARGIN);
  doc.moveDown(0.2);
  actionItems(doc, m);
}

function render(title: string, draw: (doc: Doc) => void): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: title, Creator: 'Roundtable' } });
    doc.registerFont('regular', FONTS.regular);
    doc.registerFont('bold', FONTS.bold);
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    try {
      draw(doc);
      const range = doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        doc.font('regular').fontSize(8.5).fillColor('#57606a').text(`${i + 1} / ${range.count}`, MARGIN, doc.page.height - MARGIN + 18, { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false });
      }
      doc.end();
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/** PDF made on the server with pdfkit, no browser; Japanese set in Noto Sans JP. */
export function renderSessionPdf(m: MinutesSession): Promise<Uint8Array> {
  return render(m.session.title, (doc) => {
    doc.font('regular').fontSize(10).fillColor('#57606a').text(m.event.title, MARGIN).fillColor('#1f2328');
    session(doc, m, 1);
  });
}

export function renderEventPdf(e: MinutesEvent): Promise<Uint8Array> {
  return render(`${e.event.title} — minutes`, (doc) => {
    const s = eventStats(e);
    doc.font('bold').fontSize(22).text(`${e.event.title} — minutes`, MARGIN);
    doc.font('regular').fontSize(10.5).fillColor('#57606a').text(`${s.sessions} sessions · ${s.contributors} contributors · ${s.actionItems} action items (${s.open} open)`).fillColor('#1f2328');
    doc.moveDown().font('bold').fontSize(14).text('Contents');
    scheduleOrder(e.sessions).forEach((x, i) => doc.font('regular').fontSize(10.5).text(`${i + 1}. ${x.session.title}`, MARGIN + 10));
    for (const [label, key, none] of [['Action items by owner', 'owners', 'Unassigned'], ['Action items by working group', 'tags', 'untagged']] as const) {
      doc.moveDown().font('bold').fontSize(14).text(label, MARGIN);
      for (const [k, list] of groupItems(e, key, none)) {
        doc.moveDown(0.3).font('bold').fontSize(11).text(k, MARGIN);
        for (const { item, session: title } of list) doc.font('regular').fontSize(10).text(`${item.status === 'done' ? '☑' : '☐'} ${item.text} — ${title}${item.due ? ` (due ${item.due})` : ''}`, MARGIN + 12);
      }
    }
    for (const m of scheduleOrder(e.sessions)) {
      doc.addPage();
      session(doc, m, 1);
    }
  });
}
