import { CsvError, parse } from 'csv-parse/sync';
import { LIMITS } from '../limits.js';
import { parseRoomList } from '../sessionFields.js';
import { columnFor, type CsvColumnKey } from './columns.js';
import { checkSession, importedSession, rowTimes, splitList } from './fields.js';
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
  for (const r of rows) {
    const get = (k: CsvColumnKey) => {
      const i = index.get(k);
      return i === undefined ? null : (r.cells[i] ?? '').trim() || null;
    };
    const where = { line: r.line, row: r.row };
    const times = rowTimes({ date: get('date'), start: get('start'), end: get('end'), endDate: get('endDate') }, timezone, where, issues);
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
    if (s.title && !get('start')) warnings.add('no_start_time', where);
    sessions.push(s);
    sources.push(where);
  }
  if (issues.any) return invalid();
  return { ok: true, title: null, timezone: null, sessions, sources, warnings: warnings.list };
}
