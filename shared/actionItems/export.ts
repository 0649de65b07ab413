import type { ActionItemDto } from '../schemas.js';

export interface ActionItemExportRow extends ActionItemDto {
  sessionTitle: string;
  eventTitle: string;
  sessionStartsAt: string | null;
}

/**
 * A CSV cell, RFC 4180 quoted and formula-safe: spreadsheets run cells that
 * start with = + - @ (or a tab / CR), so those get a leading apostrophe.
 */
export function csvCell(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The UTF-8 byte order mark (EF BB BF) CSV exports open with: without it Excel
 * reads the file in the system's legacy code page and shows Japanese names as
 * mojibake. Spreadsheets, csv-parse (`bom: true`) and our schedule import skip it.
 */
export const CSV_BOM = '\uFEFF';

/** The action-item CSV file: BOM, header, one CRLF-terminated row per item. */
export function actionItemsToCsv(rows: readonly ActionItemExportRow[]): string {
  const header = ['id', 'event', 'session', 'status', 'owners', 'due', 'tags', 'text'];
  const lines = [header.join(',')];
  for (const r of rows) {
    lines.push([r.id, r.eventTitle, r.sessionTitle, r.status, r.owners.join('; '), r.due ?? '', r.tags.join('; '), r.text].map(csvCell).join(','));
  }
  return CSV_BOM + lines.join('\r\n') + '\r\n';
}

/** Escapes text so Markdown shows it literally and never turns it into HTML or links. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export function actionItemsToMarkdown(rows: readonly ActionItemExportRow[], title: string): string {
  const out = [`# ${escapeMarkdown(title)}`, ''];
  let session: string | null = null;
  for (const r of rows) {
    if (r.sessionTitle !== session) {
      session = r.sessionTitle;
      out.push('', `## ${escapeMarkdown(session || 'Untitled session')}`, '');
    }
    const owners = r.owners.length ? ` — **${r.owners.map(escapeMarkdown).join(', ')}**` : '';
    const due = r.due ? ` (due ${r.due})` : '';
    const tags = r.tags.length ? ' ' + r.tags.map((t) => `\`${t.replace(/`/g, '')}\``).join(' ') : '';
    out.push(`- [${r.status === 'done' ? 'x' : ' '}] ${escapeMarkdown(r.text)}${owners}${due}${tags}`);
  }
  if (rows.length === 0) out.push('_No action items._');
  return out.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

export function actionItemsToJson(rows: readonly ActionItemExportRow[]): string {
  return JSON.stringify({ items: rows }, null, 2) + '\n';
}

function icsEscape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1). */
export function foldIcsLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const n = encoder.encode(ch).length;
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (bytes + n > limit) {
      parts.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function icsStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** One VTODO per item that has a due date. */
export function actionItemsToIcs(rows: readonly ActionItemExportRow[], opts: { calendarName: string; now: Date }): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Roundtable//Action items//EN', 'CALSCALE:GREGORIAN', `X-WR-CALNAME:${icsEscape(opts.calendarName)}`];
  for (const r of rows) {
    if (!r.due) continue;
    const description = [`Session: ${r.sessionTitle}`, r.owners.length ? `Owners: ${r.owners.join(', ')}` : '', `Event: ${r.eventTitle}`]
      .filter(Boolean)
      .join('\n');
    lines.push(
      'BEGIN:VTODO',
      `UID:${r.id}@roundtable`,
      `DTSTAMP:${icsStamp(opts.now)}`,
      `SUMMARY:${icsEscape(r.text)}`,
      `DUE;VALUE=DATE:${r.due.replace(/-/g, '')}`,
      `STATUS:${r.status === 'done' ? 'COMPLETED' : 'NEEDS-ACTION'}`,
      ...(r.tags.length ? [`CATEGORIES:${r.tags.map(icsEscape).join(',')}`] : []),
      `DESCRIPTION:${icsEscape(description)}`,
      'END:VTODO',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldIcsLine).join('\r\n') + '\r\n';
}
