import { LIMITS } from '../limits.js';
import { parseCsv } from './csv.js';
import { parseIcs } from './ics.js';
import { parseJson } from './json.js';
import type { ScheduleParseResult } from './types.js';

/** Removes RFC 5545 line folds on bytes, so a fold inside a multi-byte character is healed before decoding. */
function unfoldBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0d && bytes[i + 1] === 0x0a && (bytes[i + 2] === 0x20 || bytes[i + 2] === 0x09)) {
      i += 2;
      continue;
    }
    if (b === 0x0a && (bytes[i + 1] === 0x20 || bytes[i + 1] === 0x09)) {
      i += 1;
      continue;
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

/**
 * Parses a schedule file: `text/calendar`, `text/csv` or `application/json`
 * (parameters such as charset are ignored). Local times without a zone are
 * read in `opts.timezone`. Never throws; bounded in time and memory.
 */
export function parseSchedule(body: Uint8Array | string, contentType: string, opts: { timezone: string }): ScheduleParseResult {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const kind = type === 'text/calendar' ? 'ics' : type === 'text/csv' ? 'csv' : type === 'application/json' ? 'json' : null;
  if (!kind) {
    return { ok: false, code: 'unsupported_type', message: `unsupported content type "${type || '(none)'}": send text/calendar, text/csv or application/json`, details: [] };
  }
  let bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  if (bytes.length > LIMITS.maxScheduleBytes) {
    return { ok: false, code: 'too_large', message: `the file is larger than ${LIMITS.maxScheduleBytes / 1024 / 1024} MiB`, details: [] };
  }
  if (bytes.includes(0)) return { ok: false, code: 'invalid_schedule', message: 'this is a binary file, not a schedule (it contains NUL bytes)', details: [] };
  if (kind === 'ics') bytes = unfoldBytes(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, code: 'invalid_schedule', message: 'the file is not UTF-8 text', details: [] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    if (kind === 'ics') return parseIcs(text, opts.timezone);
    if (kind === 'csv') return parseCsv(text, opts.timezone);
    return parseJson(text, opts.timezone);
  } catch (err) {
    // A parser bug must never become a 500 or a half import.
    return { ok: false, code: 'invalid_schedule', message: `the file could not be read: ${err instanceof Error ? err.message : String(err)}`, details: [] };
  }
}
