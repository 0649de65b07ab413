import { CsvError, parse } from 'csv-parse/sync';
import { LIMITS } from '../limits.js';
import { parseRoomList } from '../sessionFields.js';
import { columnFor, type CsvColumnKey } from './columns.js';
import { checkSession, importedSession, parseDate, rowTimes, splitList } from './fields.js';
import { problemsMessage, ScheduleIssues } from './issues.js';
import type { ImportedFrom, ImportedSession, ScheduleParseResult } from './types.js';

/** Characters one row may hold: every field at its limit (a 10,000-character description included) fits many times over. */
export const MAX_ROW_CHARS = 100_000;

/** The separator the header line uses most: `,`, `;` (European Excel) or a tab. */
function detectSeparator(text: string): string {
  const headerLine = text.slice(0, text.search(/\r?\n|\r|$/));
  const counts = [',', ';', '\t'].map((s) => ({ s, n: headerLine.split(s).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.s : ',';
}

/** Byte offsets where each line starts (CRLF, LF and a lone CR each end a line). */
function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) starts.push(i + 1);
  }
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

interface CsvRecord {
  cells: string[];
  /** Line where the record starts. */
  line: number;
  /** As a spreadsheet numbers rows: every record, blank ones too, the header being row 1. */
  row: number;
}

/** Records via csv-parse, each with the line it starts on (csv-parse counts a CRLF inside quotes twice, so lines come from byte offsets). */
function readRecords(text: string, separator: string, issues: ScheduleIssues): CsvRecord[] | null {
  const bytes = new TextEncoder().encode(text);
  const starts = lineStarts(bytes);
  const out: CsvRecord[] = [];
  let recordStart = 0;
  try {
    parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      delimiter: separator,
      // Every line ending ends a record: csv-parse would otherwise keep the first one it sees, and a
      // CRLF file with LF lines added by hand would run those rows together.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      // A real row is far shorter; stopping here keeps a 2 MiB cell (or a quote never closed) cheap.
      max_record_size: MAX_ROW_CHARS,
      on_record: (cells: string[], context) => {
        out.push({ cells, line: lineAt(starts, recordStart), row: out.length + 1 });
        recordStart = context.bytes;
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = lineAt(starts, recordStart);
    const where = { line, row: out.length + 1 };
    if (err.code === 'CSV_MAX_RECORD_SIZE') issues.add('csv_row_too_long', where, { max: MAX_ROW_CHARS });
    else issues.add(err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'csv_unclosed_quote' : 'csv_unreadable', where);
    return null;
  }
  return out;
}

/** A date and a time in one cell: `2016-04-26 09:00`, `2016-04-26T09:00`, Outlook's `4/26/2016 9:00:00 AM`. */
const DATE_AND_TIME = /^(\S+?)(?:\s+|T)(\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)$/i;
/** Day, month and year with slashes, as spreadsheets and Outlook write them (`4/26/2016`, `26/04/2016`). */
const SLASH_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** A date cell and the time it may carry (when the file has no separate time column for it). */
function splitDateTime(cell: string | null): { date: string | null; time: string | null } {
  // A full ISO instant (`2016-04-26T14:00:00Z`) is a start or end by itself.
  if (cell && /^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})$/.test(cell)) return { date: null, time: cell };
  const m = cell ? DATE_AND_TIME.exec(cell.normalize('NFKC').trim()) : null;
  return m ? { date: m[1]!, time: m[2]! } : { date: cell, time: null };
}

/**
 * Whether the file's `N/N/YYYY` dates are month first (US, Outlook's default)
 * or day first: decided by a date that can only be read one way (`4/26/2016`,
 * `26/04/2016`). When every date could be either, or the file has both, they
 * stay unread (a problem asking for YYYY-MM-DD) rather than guessed.
 */
function slashOrder(cells: readonly (string | null)[]): 'mdy' | 'dmy' | null {
  let mdy = false;
  let dmy = false;
  for (const cell of cells) {
    const m = cell ? SLASH_DATE.exec(cell) : null;
    if (!m) continue;
    if (Number(m[1]) > 12) dmy = true;
    if (Number(m[2]) > 12) mdy = true;
  }
  return mdy === dmy ? null : mdy ? 'mdy' : 'dmy';
}

/** `N/N/YYYY` as `YYYY-MM-DD` in the file's order; anything else (a 31 November too) as it is, so a problem quotes the cell. */
function isoDate(cell: string | null, order: 'mdy' | 'dmy' | null): string | null {
  const m = cell && order ? SLASH_DATE.exec(cell) : null;
  if (!m) return cell;
  const [month, day] = order === 'mdy' ? [m[1]!, m[2]!] : [m[2]!, m[1]!];
  const iso = `${m[3]}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return parseDate(iso) ? iso : cell;
}

/**
 * CSV with a header row naming its columns in any order (English or
 * Japanese names, see columns.ts). Rows without a start time are kept as
 * unscheduled sessions, each with a `no_start_time` warning: the importer
 * lets the moderator import or skip them.
 */
export function parseCsv(text: string, timezone: string): ScheduleParseResult {
  const issues = new ScheduleIssues();
  const invalid = (): ScheduleParseResult => ({ ok: false, code: 'invalid_schedule', message: problemsMessage('the CSV file', issues.list), details: issues.list });
  const records = readRecords(text, detectSeparator(text), issues);
  if (!records) return invalid();
  const rows = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const header = rows.shift();
  if (!header) {
    issues.add('empty_file');
    return invalid();
  }
  const warnings = new ScheduleIssues();
  const index = new Map<CsvColumnKey, number>();
  header.cells.forEach((cell, i) => {
    const key = columnFor(cell);
    if (key && !index.has(key)) index.set(key, i);
    else if (cell.trim()) warnings.add('unknown_column', { line: header.line, row: header.row }, { name: cell.trim().slice(0, 60) });
  });
  if (!index.has('title')) {
    issues.add('csv_no_title_column', { line: header.line, row: header.row });
    return invalid();
  }
  if (rows.length > LIMITS.maxSessionsPerEvent) {
    issues.add('too_many_sessions', {}, { count: rows.length, max: LIMITS.maxSessionsPerEvent });
    return invalid();
  }
  const sessions: ImportedSession[] = [];
  const sources: ImportedFrom[] = [];
  const names = /\s*[;；、]\s*/;
  const cellOf = (r: CsvRecord, k: CsvColumnKey) => {
    const i = index.get(k);
    return i === undefined ? null : (r.cells[i] ?? '').trim() || null;
  };
  // A "Start Date" cell may carry the time too: it counts when the row has no time of its own
  // (a spreadsheet's "2016-04-26 00:00:00" next to a start time is just the date).
  const when = rows.map((r) => {
    const startDate = splitDateTime(cellOf(r, 'date'));
    const endDate = splitDateTime(cellOf(r, 'endDate'));
    return { date: startDate.date, start: cellOf(r, 'start') ?? startDate.time, endDate: endDate.date, end: cellOf(r, 'end') ?? endDate.time };
  });
  const order = slashOrder(when.flatMap((w) => [w.date, w.endDate]));
  rows.forEach((r, n) => {
    const get = (k: CsvColumnKey) => cellOf(r, k);
    const where = { line: r.line, row: r.row };
    const cells = when[n]!;
    const times = rowTimes({ date: isoDate(cells.date, order), start: cells.start, end: cells.end, endDate: isoDate(cells.endDate, order) }, timezone, where, issues);
    const s = importedSession({
      uid: get('uid'),
      title: get('title') ?? '',
      ...times,
      rooms: parseRoomList(get('rooms') ?? get('track')),
      track: get('track'),
      moderators: splitList(get('moderators'), names),
      tags: splitList(get('tags'), names),
      description: get('description'),
    });
    checkSession(s, issues, where);
    if (s.title && !cells.start) warnings.add('no_start_time', where);
    sessions.push(s);
    sources.push(where);
  });
  if (issues.any) return invalid();
  return { ok: true, title: null, timezone: null, sessions, sources, warnings: warnings.list };
}
