import { LIMITS } from '../limits.js';
import { parseCsv } from './csv.js';
import { parseIcs } from './ics.js';
import { parseJson } from './json.js';
import { MAX_REPORTED_ISSUES, placeText, problemsMessage, scheduleIssue } from './issues.js';
import type { ImportedSession, ScheduleParseResult } from './types.js';

/**
 * Removes RFC 5545 line folds on bytes, so a fold inside a multi-byte character
 * is healed before decoding. `lines[i]` is the file line where unfolded line i+1
 * starts, so errors point at the line people see in their editor.
 */
function unfoldBytes(bytes: Uint8Array): { bytes: Uint8Array; lines: number[] } {
  const out = new Uint8Array(bytes.length);
  const lines = [1];
  let fileLine = 1;
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0d && bytes[i + 1] === 0x0a && (bytes[i + 2] === 0x20 || bytes[i + 2] === 0x09)) {
      i += 2;
      fileLine++;
      continue;
    }
    if (b === 0x0a && (bytes[i + 1] === 0x20 || bytes[i + 1] === 0x09)) {
      i += 1;
      fileLine++;
      continue;
    }
    if (b === 0x0a) {
      fileLine++;
      lines.push(fileLine);
    }
    out[n++] = b;
  }
  return { bytes: out.subarray(0, n), lines };
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that breaks UTF-8, found line by line so it stays linear. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return start;
    }
    start = end + 1;
  }
  return 0;
}

/** Content types seen in the wild for the three formats; generic ones are recognised by their first bytes. */
const KINDS: Partial<Record<string, 'ics' | 'csv' | 'json' | 'sniff'>> = Object.assign(Object.create(null) as object, {
  'text/calendar': 'ics',
  'application/ics': 'ics',
  'text/csv': 'csv',
  'text/x-csv': 'csv',
  'application/csv': 'csv',
  'application/vnd.ms-excel': 'csv',
  'application/json': 'json',
  'text/plain': 'sniff',
  'application/octet-stream': 'sniff',
  'application/x-www-form-urlencoded': 'sniff',
});

function sniff(body: Uint8Array | string): 'ics' | 'csv' | 'json' {
  const head = (typeof body === 'string' ? body.slice(0, 64) : new TextDecoder().decode(body.subarray(0, 64))).replace(/^\uFEFF/, '').trimStart();
  if (/^BEGIN:VCALENDAR/i.test(head)) return 'ics';
  if (/^[{[]/.test(head)) return 'json';
  return 'csv';
}

/**
 * Parses a schedule file: `text/calendar`, `text/csv` or `application/json`
 * (parameters such as charset are ignored; `text/plain` and
 * `application/octet-stream`, as `curl --data-binary` sends, are recognised
 * by their first bytes). Local times without a zone are
 * read in `opts.timezone`. Never throws; bounded in time and memory.
 */
export function parseSchedule(body: Uint8Array | string, contentType: string, opts: { timezone: string }): ScheduleParseResult {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const kind = KINDS[type] === 'sniff' ? sniff(body) : (KINDS[type] ?? null);
  if (!kind) {
    return { ok: false, code: 'unsupported_type', message: `unsupported content type "${type || '(none)'}": send text/calendar, text/csv or application/json`, details: [] };
  }
  let bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  if (bytes.length > LIMITS.maxScheduleBytes) {
    return { ok: false, code: 'too_large', message: `the file is larger than ${LIMITS.maxScheduleBytes / 1024 / 1024} MiB`, details: [] };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const details = [scheduleIssue('binary_file', { line: lineOf(bytes, nul) })];
    return { ok: false, code: 'invalid_schedule', message: problemsMessage('the file', details), details };
  }
  let fileLines: number[] | undefined;
  if (kind === 'ics') ({ bytes, lines: fileLines } = unfoldBytes(bytes));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const details = [scheduleIssue('not_utf8', { line: lineOf(bytes, firstInvalidUtf8(bytes)) })];
    return { ok: false, code: 'invalid_schedule', message: problemsMessage('the file', details), details };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) {
    const details = [scheduleIssue('empty_file')];
    return { ok: false, code: 'invalid_schedule', message: problemsMessage('the file', details), details };
  }
  try {
    const parsed = kind === 'ics' ? parseIcs(text, opts.timezone, fileLines) : kind === 'csv' ? parseCsv(text, opts.timezone) : parseJson(text, opts.timezone);
    return parsed.ok ? warnDuplicates(parsed) : parsed;
  } catch (err) {
    // A parser bug must never become a 500 or a half import.
    return { ok: false, code: 'invalid_schedule', message: `the file could not be read: ${err instanceof Error ? err.message.slice(0, 200) : String(err).slice(0, 200)}`, details: [] };
  }
}

const sameKey = (s: ImportedSession) => JSON.stringify([s.title.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim(), s.startsAt, s.rooms.map((r) => r.normalize('NFKC').toLowerCase()).sort()]);

/**
 * A `duplicate_session` warning on each row that repeats an earlier one's
 * title, start and rooms (any format). Both are still imported: two sessions
 * under one title in one room at one time can be meant (two halves of a
 * working group), and the file is the moderator's; the warning lets them see
 * it in the preview. Rows without a start are left to `no_start_time`.
 */
export function warnDuplicates(parsed: Extract<ScheduleParseResult, { ok: true }>): Extract<ScheduleParseResult, { ok: true }> {
  const firstIndex = new Map<string, number>();
  const warnings = [...parsed.warnings];
  parsed.sessions.forEach((s, i) => {
    if (!s.startsAt || !s.title) return;
    const key = sameKey(s);
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, i);
      return;
    }
    if (warnings.length >= MAX_REPORTED_ISSUES) return;
    const at = parsed.sources[first] ?? {};
    const params: Record<string, string | number> = { first: placeText(at) };
    // The client names the first row in its own language from these.
    if (at.row !== undefined) params.firstRow = at.row;
    else if (at.line !== undefined) params.firstLine = at.line;
    else if (at.path) params.firstPath = at.path;
    warnings.push(scheduleIssue('duplicate_session', parsed.sources[i] ?? {}, params));
  });
  return warnings.length === parsed.warnings.length ? parsed : { ...parsed, warnings };
}
