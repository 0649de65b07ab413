import { LIMITS } from '../limits.js';
import { checkSession, splitList, toInstant } from './fields.js';
import { ScheduleErrors, type ImportedSession, type ScheduleParseResult } from './types.js';

const COLUMNS: Record<string, keyof ColumnMap> = {
  title: 'title', session: 'title', name: 'title', summary: 'title', 'session title': 'title', topic: 'title',
  date: 'date', day: 'date',
  start: 'start', 'start time': 'start', starts: 'start', from: 'start', begin: 'start', 'starts at': 'start',
  end: 'end', 'end time': 'end', ends: 'end', to: 'end', finish: 'end', 'ends at': 'end',
  room: 'room', location: 'room', venue: 'room',
  track: 'track',
  moderators: 'moderators', moderator: 'moderators', speakers: 'moderators', speaker: 'moderators', host: 'moderators', hosts: 'moderators', chair: 'moderators',
  tags: 'tags', tag: 'tags', categories: 'tags', category: 'tags', 'working group': 'tags', 'working groups': 'tags', wg: 'tags',
  description: 'description', notes: 'description', abstract: 'description',
  uid: 'uid', id: 'uid',
};

interface ColumnMap {
  title: number; date: number; start: number; end: number; room: number; track: number; moderators: number; tags: number; description: number; uid: number;
}

/** RFC 4180 records with their starting line numbers; quoted fields may hold separators and newlines. */
function records(text: string, sep: string, errors: ScheduleErrors): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === sep) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      out.push({ line: recordLine, cells });
      cells = [];
      cell = '';
      line++;
      recordLine = line;
    } else cell += c;
  }
  if (quoted) errors.add({ line: recordLine, message: 'a quoted field is never closed' });
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    out.push({ line: recordLine, cells });
  }
  return out.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

function detectSeparator(headerLine: string): string {
  const counts = [',', ';', '\t'].map((s) => ({ s, n: headerLine.split(s).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.s : ',';
}

/** CSV with a header row (title,date,start,end,room,moderators,tags and common variants). */
export function parseCsv(text: string, timezone: string): ScheduleParseResult {
  const errors = new ScheduleErrors();
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = detectSeparator(firstLine);
  const rows = records(text, sep, errors);
  const header = rows.shift();
  if (!header) return { ok: false, code: 'invalid_schedule', message: 'the CSV file is empty', details: [] };
  const map: Partial<ColumnMap> = {};
  header.cells.forEach((h, i) => {
    const name = h.trim().toLowerCase().replace(/[_-]+/g, ' ');
    // Own keys only: a header named "__proto__" or "constructor" is just an unknown column.
    const key = Object.hasOwn(COLUMNS, name) ? COLUMNS[name] : undefined;
    if (key && map[key] === undefined) map[key] = i;
  });
  if (map.title === undefined) {
    return { ok: false, code: 'invalid_schedule', message: 'the CSV header has no title column (expected title,date,start,end,room,moderators,tags)', details: [{ line: header.line, message: `header: ${header.cells.join(sep).slice(0, 200)}` }] };
  }
  if (rows.length > LIMITS.maxSessionsPerEvent) {
    return { ok: false, code: 'invalid_schedule', message: `too many sessions: ${rows.length} (the limit is ${LIMITS.maxSessionsPerEvent})`, details: [] };
  }
  const sessions: ImportedSession[] = [];
  for (const r of rows) {
    const get = (k: keyof ColumnMap) => (map[k] === undefined ? null : (r.cells[map[k]!] ?? '').trim() || null);
    const date = get('date');
    const start = toInstant(date, get('start'), timezone);
    const end = toInstant(date, get('end'), timezone);
    for (const [label, v] of [['start', start], ['end', end]] as const) if (v && 'error' in v) errors.add({ line: r.line, message: `${label}: ${v.error}` });
    const s: ImportedSession = {
      uid: get('uid'),
      title: get('title') ?? '',
      startsAt: start && 'iso' in start ? start.iso : null,
      endsAt: end && 'iso' in end ? end.iso : null,
      room: get('room') ?? get('track'),
      track: get('track'),
      moderators: splitList(get('moderators'), /\s*;\s*/),
      tags: splitList(get('tags'), /\s*;\s*/),
      description: get('description'),
    };
    checkSession(s, errors, { line: r.line });
    sessions.push(s);
  }
  if (errors.any) return { ok: false, code: 'invalid_schedule', message: `the CSV file has ${errors.issues.length} problem(s)`, details: errors.issues };
  return { ok: true, title: null, timezone: null, sessions, warnings: [] };
}
