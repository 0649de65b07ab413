import type { JSONContent } from '@tiptap/core';
import {
  AlignmentType,
  CheckBox,
  Bookmark,
  Document,
  ExternalHyperlink,
  InternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import { safeHref } from '../../shared/editor/safeUrl.js';
import { headingLevel } from '../../shared/minutes/notes.js';
import { pushAll } from '../../shared/minutes/pushAll.js';
import type { ActionItemDto } from '../../shared/schemas.js';
import { minutesLabels, type MinutesLabels } from '../../shared/minutes/labels.js';
import { eventStats, statsLine, formatWhen, groupItems, notesForMinutes, roomsHeader, scheduleOrder, type MinutesEvent, type MinutesSession } from '../../shared/minutes/model.js';
import { thanksLines } from '../../shared/minutes/thanks.js';

const FONT = { ascii: 'Calibri', hAnsi: 'Calibri', eastAsia: 'Yu Gothic', cs: 'Calibri' };
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

function runs(nodes: JSONContent[] | undefined): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const n of nodes ?? []) {
    if (n.type === 'hardBreak') {
      out.push(new TextRun({ text: '', break: 1 }));
      continue;
    }
    if (n.type !== 'text' || !n.text) continue;
    const has = (t: string) => (n.marks ?? []).some((m) => m.type === t);
    const run = new TextRun({
      text: n.text,
      bold: has('bold'),
      italics: has('italic'),
      strike: has('strike'),
      underline: has('underline') ? {} : undefined,
      font: has('code') ? { ascii: 'Consolas', hAnsi: 'Consolas', eastAsia: 'MS Gothic' } : FONT,
      style: undefined,
    });
    const link = (n.marks ?? []).find((m) => m.type === 'link');
    const href = link ? safeHref(link.attrs?.href) : null;
    out.push(href ? new ExternalHyperlink({ link: href, children: [new TextRun({ text: n.text, style: 'Hyperlink', font: FONT })] }) : run);
  }
  return out;
}

interface ListContext {
  kind: 'bullet' | 'number' | 'task';
  level: number;
  instance: number;
}

class DocxBuilder {
  readonly children: (Paragraph | Table)[] = [];
  /** How many quotes the current block sits in: its paragraphs take the Quote style, indented per level. */
  private quoteDepth = 0;
  constructor(
    private readonly headingShift: number,
    private readonly minLevel: number,
    /** Shared by the whole document: each numbered list restarts at 1 only with its own instance. */
    private readonly numbering: { instances: number },
    private readonly labels: MinutesLabels,
  ) {}

  blocks(nodes: JSONContent[] | undefined, list?: ListContext): void {
    for (const n of nodes ?? []) this.block(n, list);
  }

  private block(n: JSONContent, list?: ListContext): void {
    switch (n.type) {
      case 'paragraph':
        this.children.push(this.quoteDepth > 0 ? this.quoted(runs(n.content)) : new Paragraph({ children: runs(n.content) }));
        return;
      case 'heading': {
        const level = Math.min(6, Math.max(this.minLevel, headingLevel(n) + this.headingShift));
        this.children.push(new Paragraph({ heading: HEADINGS[level - 1], children: runs(n.content) }));
        return;
      }
      case 'bulletList':
      case 'orderedList':
      case 'taskList': {
        const kind = n.type === 'bulletList' ? 'bullet' : n.type === 'orderedList' ? 'number' : 'task';
        const ctx: ListContext = { kind, level: list ? Math.min(list.level + 1, 8) : 0, instance: kind === 'number' ? ++this.numbering.instances : 0 };
        for (const item of n.content ?? []) this.item(item, ctx);
        return;
      }
      case 'blockquote':
        // Whatever the quote holds (paragraphs, lists, quotes) is rendered, in the quote's style.
        this.quoteDepth++;
        this.blocks(n.content, list);
        this.quoteDepth--;
        return;
      case 'codeBlock':
        for (const line of (n.content ?? []).map((c) => c.text ?? '').join('').split('\n')) {
          this.children.push(new Paragraph({ style: 'Code', children: [new TextRun({ text: line, font: { ascii: 'Consolas', hAnsi: 'Consolas', eastAsia: 'MS Gothic' } })] }));
        }
        return;
      case 'horizontalRule':
        this.children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun('* * *')] }));
        return;
      default:
        this.blocks(n.content, list);
    }
  }

  private quoted(children: ParagraphChild[]): Paragraph {
    return new Paragraph({ children: children.length ? children : [new TextRun('')], style: 'Quote', indent: this.quoteDepth > 1 ? { left: 567 * Math.min(this.quoteDepth, 6) } : undefined });
  }

  private item(item: JSONContent, ctx: ListContext): void {
    const [first, ...rest] = item.content ?? [];
    const head = first?.type === 'paragraph' ? runs(first.content) : [];
    if (ctx.kind === 'task') {
      // A Word content-control check box: it can be ticked in Word, and readers see ☐/☒.
      const box = new CheckBox({ checked: Boolean(item.attrs?.checked), alias: this.labels.checkBox });
      this.children.push(new Paragraph({ indent: { left: 360 * (ctx.level + 1), hanging: 360 }, children: pushAll([box, new TextRun(' ')], head) }));
    } else if (ctx.kind === 'bullet') {
      this.children.push(new Paragraph({ bullet: { level: ctx.level }, children: head }));
    } else {
      this.children.push(new Paragraph({ numbering: { reference: 'numbers', level: ctx.level, instance: ctx.instance }, children: head }));
    }
    this.blocks(first?.type === 'paragraph' ? rest : item.content, ctx);
  }
}

function text(s: string, opts: { bold?: boolean; color?: string } = {}): TextRun {
  return new TextRun({ text: s, font: FONT, ...opts });
}

function actionTable(m: MinutesSession, L: MinutesLabels): Table | Paragraph {
  if (m.actionItems.length === 0) return new Paragraph({ children: [text(L.noActionItems)] });
  const cell = (s: string, bold = false) => new TableCell({ children: [new Paragraph({ children: [text(s, { bold })] })] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: [L.owner, L.item, L.due, L.status].map((h) => cell(h, true)) }),
      ...m.actionItems.map((a) => new TableRow({ children: [cell(a.owners.join(', ') || '—'), cell(a.text), cell(a.due ?? '—'), cell(a.status === 'done' ? `☑ ${L.statusValue.done}` : `☐ ${L.statusValue.open}`)] })),
    ],
  });
}

function sessionChildren(m: MinutesSession, level: number, numbering: { instances: number }, bookmark?: string): (Paragraph | Table)[] {
  const L = minutesLabels(m.event.language);
  const when = formatWhen(m.session.startsAt, m.session.endsAt, m.event.timezone, L);
  const meta: [string, string | null][] = [
    [L.whenLabel, when],
    roomsHeader(m.session.rooms, L) ?? [L.room, null],
    [L.moderators, m.session.moderators.join(', ') || null],
    [L.noteTakers, m.noteTakers.join(', ') || null],
  ];
  const b = new DocxBuilder(level - 1, level + 1, numbering, L);
  b.blocks(notesForMinutes(m).content);
  if (b.children.length === 0) b.children.push(new Paragraph({ children: [new TextRun({ text: L.noNotes, italics: true, font: FONT })] }));
  return [
    new Paragraph({ heading: HEADINGS[level - 1], pageBreakBefore: bookmark !== undefined, children: [bookmark ? new Bookmark({ id: bookmark, children: [text(m.session.title)] }) : text(m.session.title)] }),
    ...meta.filter(([, v]) => v).map(([k, v]) => new Paragraph({ children: [text(`${k}: `, { bold: true }), text(v!)] })),
    ...b.children,
    new Paragraph({ heading: HEADINGS[level], children: [text(L.actionSummary)] }),
    actionTable(m, L),
  ];
}

function documentOf(children: (Paragraph | Table)[], title: string): Document {
  return new Document({
    title,
    creator: 'Roundtable',
    styles: {
      default: { document: { run: { font: FONT, size: 22 } } },
      paragraphStyles: [
        { id: 'Quote', name: 'Quote', basedOn: 'Normal', next: 'Normal', run: { italics: true, color: '57606A' }, paragraph: { indent: { left: 567 } } },
        { id: 'Code', name: 'Code', basedOn: 'Normal', run: { size: 19 }, paragraph: { spacing: { before: 0, after: 0 }, indent: { left: 284 } } },
      ],
    },
    numbering: {
      config: [
        {
          reference: 'numbers',
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [{ children }],
  });
}

/** A real Word document: heading styles, numbered and bulleted lists, ☐/☑ task items, an action-item table. */
export async function renderSessionDocx(m: MinutesSession): Promise<Uint8Array> {
  const doc = documentOf([new Paragraph({ children: [text(m.event.title, { color: '57606A' })] }), ...sessionChildren(m, 1, { instances: 0 })], m.session.title);
  return new Uint8Array(await Packer.toBuffer(doc));
}

function summaryItem(item: ActionItemDto, session: string, L: MinutesLabels): Paragraph {
  return new Paragraph({
    indent: { left: 360, hanging: 360 },
    children: [new CheckBox({ checked: item.status === 'done', alias: L.checkBox }), text(` ${item.text}`), text(` — ${session}${item.due ? ` (${L.dueOn(item.due)})` : ''}`, { color: '57606A' })],
  });
}

export async function renderEventDocx(e: MinutesEvent): Promise<Uint8Array> {
  const L = minutesLabels(e.event.language);
  const s = eventStats(e);
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [text(L.minutesTitle(e.event.title))] }),
    new Paragraph({ children: [text(statsLine(s, ' · ', L))] }),
    ...thanksLines(e, L).flatMap((l, i) => [
      ...(i === 0 ? [new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text(L.thanksTo)] })] : []),
      new Paragraph({ children: [text(`${l.label}: `, { bold: true }), text(l.text)] }),
    ]),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text(L.contents)] }),
    ...scheduleOrder(e.sessions).map(
      (x, i) => new Paragraph({ numbering: { reference: 'numbers', level: 0, instance: 0 }, children: [new InternalHyperlink({ anchor: `session${i + 1}`, children: [new TextRun({ text: x.session.title, style: 'Hyperlink', font: FONT })] })] }),
    ),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text(L.byOwner)] }),
  ];
  for (const [owner, list] of groupItems(e, 'owners', L.unassigned)) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [text(owner)] }));
    for (const { item, session } of list) children.push(summaryItem(item, session, L));
  }
  children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [text(L.byWorkingGroup)] }));
  for (const [tag, list] of groupItems(e, 'tags', L.untagged)) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [text(tag)] }));
    for (const { item, session } of list) children.push(summaryItem(item, session, L));
  }
  const numbering = { instances: 0 };
  scheduleOrder(e.sessions).forEach((m, i) => pushAll(children, sessionChildren(m, 1, numbering, `session${i + 1}`)));
  return new Uint8Array(await Packer.toBuffer(documentOf(children, L.minutesTitle(e.event.title))));
}
