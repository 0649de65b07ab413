import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../limits.js';
import { MAX_OCCURRENCES } from './ics.js';
import { parseSchedule } from './parseSchedule.js';
import type { ImportedSession, ScheduleParseResult } from './types.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures');
const fixture = (ext: string) => fs.readFileSync(path.join(fixtures, `ops-meetup-austin-2016.${ext}`));
const TZ = 'America/Chicago';

function ok(r: ScheduleParseResult): ImportedSession[] {
  if (!r.ok) throw new Error(`${r.message}: ${JSON.stringify(r.details)}`);
  return r.sessions;
}
function okResult(r: ScheduleParseResult) {
  if (!r.ok) throw new Error(`${r.message}: ${JSON.stringify(r.details)}`);
  return r;
}
function fail(r: ScheduleParseResult) {
  if (r.ok) throw new Error(`expected a failure, got ${r.sessions.length} sessions`);
  return r;
}
const ics = (...events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (...props: string[]) => ['BEGIN:VEVENT', ...props, 'END:VEVENT'].join('\r\n');

describe('the three Ops Meetup fixtures', () => {
  const parsed = {
    json: ok(parseSchedule(fixture('json'), 'application/json', { timezone: 'UTC' })),
    csv: ok(parseSchedule(fixture('csv'), 'text/csv; charset=utf-8', { timezone: TZ })),
    ics: ok(parseSchedule(fixture('ics'), 'text/calendar', { timezone: 'UTC' })),
  };

  it('each gives 26 sessions, and all three agree on title, instants, room, moderators and tags', () => {
    const key = (s: ImportedSession) => [s.title, s.startsAt, s.endsAt, s.rooms, s.moderators, s.tags];
    for (const list of Object.values(parsed)) expect(list).toHaveLength(26);
    expect(parsed.csv.map(key)).toEqual(parsed.json.map(key));
    expect(parsed.ics.map(key)).toEqual(parsed.json.map(key));
  });

  it('reads local times as Central Daylight Time (UTC-5) in late April, not CST', () => {
    const first = parsed.json[0]!;
    expect(first).toMatchObject({ title: 'Ops Meetup Welcome & Agenda', startsAt: '2016-04-25T16:15:00.000Z', endsAt: '2016-04-25T16:55:00.000Z', rooms: ['Salon A'], moderators: ['akiko'] });
    const jp = parsed.ics.find((s) => s.title.includes('国内OpsWorkshop報告'))!;
    expect(jp).toMatchObject({ startsAt: '2016-04-29T16:00:00.000Z', rooms: ['Salon B'], tags: ['jp-ops'] });
  });

  it('spans two days and four rooms; tags and moderators come through (ICS: CATEGORIES and "Moderator:" in DESCRIPTION)', () => {
    const days = new Set(parsed.ics.map((s) => s.startsAt!.slice(0, 10)));
    expect([...days].sort()).toEqual(['2016-04-25', '2016-04-29']);
    expect(new Set(parsed.ics.flatMap((s) => s.rooms)).size).toBe(4);
    const ironic = parsed.ics.find((s) => s.title === 'Bare Metal with Ironic')!;
    expect(ironic.tags).toEqual(['product-wg', 'scientific-wg']);
    expect(ironic.moderators).toEqual(['akiko']);
    expect(ironic.uid).toMatch(/@sample\.invalid$/);
    expect(ironic.description).toContain('Notes are taken live by everyone in the room.');
  });
});

describe('iCalendar', () => {
  it('reads TZID local times, UTC times and floating times (in the event zone), across the DST switch', () => {
    const sessions = ok(
      parseSchedule(
        ics(
          vevent('UID:a', 'SUMMARY:Before the switch', 'DTSTART;TZID=America/Chicago:20170310T090000', 'DTEND;TZID=America/Chicago:20170310T100000'),
          vevent('UID:b', 'SUMMARY:After the switch', 'DTSTART;TZID=America/Chicago:20170313T090000', 'DURATION:PT45M'),
          vevent('UID:c', 'SUMMARY:UTC', 'DTSTART:20170313T140000Z'),
          vevent('UID:d', 'SUMMARY:Floating', 'DTSTART:20171106T090000'),
        ),
        'text/calendar',
        { timezone: TZ },
      ),
    );
    expect(sessions.map((s) => [s.title, s.startsAt, s.endsAt])).toEqual([
      ['Before the switch', '2017-03-10T15:00:00.000Z', '2017-03-10T16:00:00.000Z'],
      ['After the switch', '2017-03-13T14:00:00.000Z', '2017-03-13T14:45:00.000Z'],
      ['UTC', '2017-03-13T14:00:00.000Z', null],
      ['Floating', '2017-11-06T15:00:00.000Z', null],
    ]);
  });

  it('resolves a TZID that only the file\'s VTIMEZONE defines (Outlook-style names)', () => {
    const tz = [
      'BEGIN:VTIMEZONE', 'TZID:Central Standard Time',
      'BEGIN:STANDARD', 'DTSTART:16010101T020000', 'TZOFFSETFROM:-0500', 'TZOFFSETTO:-0600', 'RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11', 'END:STANDARD',
      'BEGIN:DAYLIGHT', 'DTSTART:16010101T020000', 'TZOFFSETFROM:-0600', 'TZOFFSETTO:-0500', 'RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3', 'END:DAYLIGHT',
      'END:VTIMEZONE',
    ].join('\r\n');
    const sessions = ok(
      parseSchedule(
        ics(tz, vevent('SUMMARY:April', 'DTSTART;TZID="Central Standard Time":20160425T111500'), vevent('SUMMARY:January', 'DTSTART;TZID=Central Standard Time:20160125T111500')),
        'text/calendar',
        { timezone: 'UTC' },
      ),
    );
    expect(sessions.map((s) => s.startsAt)).toEqual(['2016-04-25T16:15:00.000Z', '2016-01-25T17:15:00.000Z']);
  });

  it('unfolds lines (also inside a multi-byte character) and unescapes \\, \\; \\n', () => {
    const title = 'SUMMARY:国内OpsWorkshop報告'; // fold in the middle of a 3-byte character below
    const bytes = Buffer.from(ics(vevent(title, 'DTSTART:20160425T161500Z', 'LOCATION:Salon A\\, 2F', 'DESCRIPTION:Moderators: goro\\, hana\\nAgenda\\; notes', 'CATEGORIES:jp-ops,ops\\,meetups')));
    const at = bytes.indexOf(Buffer.from('報')) + 1;
    const folded = Buffer.concat([bytes.subarray(0, at), Buffer.from('\r\n '), bytes.subarray(at)]);
    const [s] = ok(parseSchedule(folded, 'text/calendar', { timezone: 'UTC' }));
    expect(s).toMatchObject({ title: '国内OpsWorkshop報告', rooms: ['Salon A, 2F'], moderators: ['goro', 'hana'], tags: ['jp-ops', 'ops,meetups'], description: 'Moderators: goro, hana\nAgenda; notes' });
  });

  it('expands a bounded weekly RRULE on the wall clock, keeping 09:00 local across the DST switch', () => {
    const sessions = ok(
      parseSchedule(
        ics(vevent('UID:wg', 'SUMMARY:WG call', 'DTSTART;TZID=America/Chicago:20170302T090000', 'DTEND;TZID=America/Chicago:20170302T100000', 'RRULE:FREQ=WEEKLY;COUNT=3', 'EXDATE;TZID=America/Chicago:20170309T090000')),
        'text/calendar',
        { timezone: TZ },
      ),
    );
    expect(sessions.map((s) => [s.uid, s.startsAt, s.endsAt])).toEqual([
      ['wg#2017-03-02T15:00:00.000Z', '2017-03-02T15:00:00.000Z', '2017-03-02T16:00:00.000Z'],
      ['wg#2017-03-16T14:00:00.000Z', '2017-03-16T14:00:00.000Z', '2017-03-16T15:00:00.000Z'],
    ]);
  });

  it('rejects RRULEs that would expand without bound, with the line of the RRULE', () => {
    for (const rule of ['RRULE:FREQ=DAILY;COUNT=1000000000', 'RRULE:FREQ=DAILY;COUNT=1e9', 'RRULE:FREQ=WEEKLY', 'RRULE:FREQ=DAILY;UNTIL=29991231T000000Z', 'RRULE:FREQ=SECONDLY;COUNT=5']) {
      const r = fail(parseSchedule(ics(vevent('SUMMARY:x', 'DTSTART:20160425T161500Z', rule)), 'text/calendar', { timezone: 'UTC' }));
      expect(r.code).toBe('invalid_schedule');
      expect(r.details).toEqual([expect.objectContaining({ line: 6, message: expect.stringMatching(/RRULE/) })]);
    }
    const r = fail(parseSchedule(ics(vevent('SUMMARY:x', 'DTSTART:20160425T161500Z', `RRULE:FREQ=DAILY;COUNT=${MAX_OCCURRENCES + 1}`)), 'text/calendar', { timezone: 'UTC' }));
    expect(r.details[0]!.message).toContain(String(MAX_OCCURRENCES));
  });

  it('skips cancelled events and reports broken ones with the file line (counting folded lines)', () => {
    const text = ics(
      vevent('SUMMARY:Gone', 'STATUS:CANCELLED', 'DTSTART:20160425T161500Z'),
      vevent('SUMMARY:A long title that is', '  folded', 'DTSTART:2016-04-25'),
      vevent('SUMMARY:No start'),
    );
    const r = fail(parseSchedule(text, 'text/calendar', { timezone: 'UTC' }));
    expect(r.details).toEqual([
      { code: 'ics_bad_datetime', line: 11, params: { property: 'DTSTART', value: '2016-04-25' }, message: 'DTSTART "2016-04-25" is not a date-time' },
      { code: 'ics_no_start', line: 13, message: 'the event has no start (DTSTART)' },
    ]);
  });

  it('rejects unbalanced components, unknown zones, and lines over 10,000 characters', () => {
    expect(fail(parseSchedule('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n', 'text/calendar', { timezone: 'UTC' })).details[0]).toMatchObject({ code: 'ics_end_mismatch', line: 3, message: 'END:VCALENDAR does not match BEGIN:VEVENT' });
    expect(fail(parseSchedule(ics(vevent('SUMMARY:x', 'DTSTART;TZID=Mars/Olympus:20160425T111500')), 'text/calendar', { timezone: 'UTC' })).details[0]).toMatchObject({ code: 'unknown_timezone', line: 5, params: { tzid: 'Mars/Olympus' } });
    const giant = fail(parseSchedule(ics(vevent(`SUMMARY:${'x'.repeat(1_000_000)}`, 'DTSTART:20160425T161500Z')), 'text/calendar', { timezone: 'UTC' }));
    expect(giant.details[0]).toEqual({ code: 'ics_line_too_long', line: 4, params: { max: 10000 }, message: 'the line is longer than 10000 characters' });
    const hello = fail(parseSchedule('hello', 'text/calendar', { timezone: 'UTC' }));
    expect(hello.details.map((d) => d.code)).toEqual(['ics_bad_line', 'ics_not_calendar']);
    expect(hello.message).toMatch(/^the calendar has 2 problems, so nothing was imported; the first: line 1: not an iCalendar content line/);
  });
});

describe('CSV', () => {
  it('detects ; as separator, strips a UTF-8 BOM, accepts header variants, quoted fields and 12-hour times', () => {
    const text = '\uFEFFSession Title;Day;Start Time;End_Time;Location;Speakers;Working Group\r\n' + '"Ops; the ""real"" story";2016-04-25;1:15 PM;2:00 pm;Salon A;akiko; bruno;nfv-telco;product-wg\r\n';
    const [s] = ok(parseSchedule(text, 'text/csv', { timezone: TZ }));
    expect(s).toMatchObject({ title: 'Ops; the "real" story', startsAt: '2016-04-25T18:15:00.000Z', endsAt: '2016-04-25T19:00:00.000Z', rooms: ['Salon A'], moderators: ['akiko'] });
  });

  it('splits several moderators and tags on ; inside a comma-separated file', () => {
    const [s] = ok(parseSchedule('title,date,start,end,room,moderators,tags\nHA for VMs,2016-04-25,14:50,15:30,Salon B,jun; goro,product-wg;ha\n', 'text/csv', { timezone: TZ }));
    expect(s).toMatchObject({ moderators: ['jun', 'goro'], tags: ['product-wg', 'ha'] });
  });

  it('reports every bad row with its line, counting newlines inside quoted fields', () => {
    const text = 'title,date,start,end\n"two\nlines",2016-04-25,11:15,11:55\nBad time,2016-04-25,25:00,11:00\n,2016-04-25,11:00,12:00\nBad date,April 25,11:00,12:00\n';
    const r = fail(parseSchedule(text, 'text/csv', { timezone: TZ }));
    // Rows count as a spreadsheet shows them (the header is row 1); lines as a text editor does.
    expect(r.details).toEqual([
      { code: 'invalid_time', line: 4, row: 3, params: { column: 'start', value: '25:00' }, message: 'the start time "25:00" is not a time (use HH:MM)' },
      { code: 'title_required', line: 5, row: 4, message: 'the title is missing' },
      // A bad date is one problem of the date column, not one of start and one of end.
      { code: 'invalid_date', line: 6, row: 5, params: { column: 'date', value: 'April 25' }, message: '"April 25" is not a date (use YYYY-MM-DD)' },
    ]);
  });

  it('treats __proto__ and constructor headers as unknown columns, and needs a title column', () => {
    const [s] = ok(parseSchedule('__proto__,title,constructor\nx,Real title,y\n', 'text/csv', { timezone: TZ }));
    expect(s!.title).toBe('Real title');
    expect(({} as Record<string, unknown>).title).toBeUndefined();
    expect(fail(parseSchedule('name_of_thing,when\nx,y\n', 'text/csv', { timezone: TZ })).message).toMatch(/no title column/);
  });

  it(`rejects more than ${LIMITS.maxSessionsPerEvent} rows and an unclosed quote`, () => {
    const rows = Array.from({ length: LIMITS.maxSessionsPerEvent + 1 }, (_, i) => `S${i}`).join('\n');
    expect(fail(parseSchedule(`title\n${rows}\n`, 'text/csv', { timezone: TZ })).message).toMatch(/too many sessions/);
    expect(fail(parseSchedule('title\n"never closed\n', 'text/csv', { timezone: TZ })).details).toContainEqual({ code: 'csv_unclosed_quote', line: 2, row: 2, message: 'a quoted field is never closed' });
  });
});

describe('JSON', () => {
  it('reads { timezone, sessions: [{ title, day, start, end, room, track, moderators, tags }] } and ISO instants', () => {
    const body = JSON.stringify({ timezone: 'Asia/Tokyo', sessions: [{ title: '国内OpsWorkshop', day: '2016-07-06', start: '10:00', end: '11:00', room: 'A', moderators: 'goro, hana', tags: ['jp-ops'] }, { title: 'ISO', start: '2016-07-06T01:00:00Z' }] });
    const [a, b] = ok(parseSchedule(body, 'application/json', { timezone: 'UTC' }));
    expect(a).toMatchObject({ startsAt: '2016-07-06T01:00:00.000Z', endsAt: '2016-07-06T02:00:00.000Z', moderators: ['goro', 'hana'], tags: ['jp-ops'] });
    expect(b!.startsAt).toBe('2016-07-06T01:00:00.000Z');
  });

  it('tells when the file\'s zone is not the event\'s, as for an .ics file (and not when the offsets agree)', () => {
    const body = (timezone?: string) => JSON.stringify({ ...(timezone ? { timezone } : {}), sessions: [{ title: 'Opening', day: '2016-07-06', start: '10:00' }] });
    const tokyo = okResult(parseSchedule(body('Asia/Tokyo'), 'application/json', { timezone: 'Europe/Berlin' }));
    expect(tokyo.warnings).toEqual([{ code: 'timezone_differs', params: { file: 'Asia/Tokyo', event: 'Europe/Berlin' }, message: 'the file\'s times are in Asia/Tokyo; the event shows them in Europe/Berlin' }]);
    expect(tokyo.timezone).toBe('Asia/Tokyo');
    expect(okResult(parseSchedule(body('Asia/Tokyo'), 'application/json', { timezone: 'Asia/Tokyo' })).warnings).toEqual([]);
    // Another name for the same offset on that day, or no zone at all (read in the event's): nothing shifts.
    expect(okResult(parseSchedule(body('Asia/Seoul'), 'application/json', { timezone: 'Asia/Tokyo' })).warnings).toEqual([]);
    expect(okResult(parseSchedule(body(), 'application/json', { timezone: 'Europe/Berlin' })).warnings).toEqual([]);
  });

  it('gives the line of a syntax error and paths of invalid fields', () => {
    const syntax = fail(parseSchedule('{\n  "sessions": [\n    { "title": "x", }\n  ]\n}', 'application/json', { timezone: 'UTC' }));
    expect(syntax.details[0]).toMatchObject({ code: 'json_syntax', line: 3 });
    const fields = fail(parseSchedule(JSON.stringify({ sessions: [{ title: 'ok' }, { title: 42 }, { title: 'late', day: '2016-04-25', start: '12:00', end: '11:00' }] }), 'application/json', { timezone: 'UTC' }));
    // zod's own English never reaches the user: each problem is a code the UI translates.
    expect(fields.details).toEqual([
      { code: 'json_wrong_type', path: 'sessions[1].title', params: { expected: 'string' }, message: 'this should be string' },
      { code: 'end_before_start', path: 'sessions[2]', message: 'the end is before the start' },
    ]);
  });

  it('never lets __proto__ keys reach a prototype', () => {
    const body = '{"__proto__": {"polluted": true}, "sessions": [{"title": "x", "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}]}';
    const [s] = ok(parseSchedule(body, 'application/json', { timezone: 'UTC' }));
    expect(s!.title).toBe('x');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
  });
});

describe('any file', () => {
  it('accepts common aliases of the three types and recognises generic ones (curl --data-binary) by their first bytes', () => {
    for (const type of ['application/ics', 'text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded']) {
      expect(ok(parseSchedule(fixture('ics'), type, { timezone: TZ })), type).toHaveLength(26);
    }
    for (const type of ['text/x-csv', 'application/vnd.ms-excel', 'text/plain']) expect(ok(parseSchedule(fixture('csv'), type, { timezone: TZ })), type).toHaveLength(26);
    expect(ok(parseSchedule(fixture('json'), 'application/octet-stream', { timezone: TZ }))).toHaveLength(26);
    expect(fail(parseSchedule('x', '__proto__', { timezone: 'UTC' })).code).toBe('unsupported_type');
  });

  it('warns on each row that repeats an earlier one\'s title, start and rooms, and still imports both', () => {
    const csv = okResult(parseSchedule('title,date,start,end,room\nLightning talks,2026-12-10,12:00,12:30,Room A\nLightning talks,2026-12-10,12:00,12:30,Room B\nlightning  talks,2026-12-10,12:00,12:45,room a\nLightning talks,2026-12-11,12:00,12:30,Room A\nTBA,,,,\nTBA,,,,\n', 'text/csv', { timezone: 'UTC' }));
    expect(csv.sessions).toHaveLength(6);
    expect(csv.warnings.filter((w) => w.code === 'duplicate_session')).toEqual([
      { code: 'duplicate_session', line: 4, row: 4, params: { first: 'row 2', firstRow: 2 }, message: 'the same title, start and rooms as row 2: both are imported (delete one if that is a mistake)' },
    ]);
    const json = okResult(parseSchedule(JSON.stringify({ sessions: [{ title: 'Keynote', start: '2026-12-10T09:00:00Z', rooms: ['B', 'A'] }, { title: 'Keynote', start: '2026-12-10T09:00:00Z', room: 'A; B' }] }), 'application/json', { timezone: 'UTC' }));
    expect(json.warnings).toMatchObject([{ code: 'duplicate_session', path: 'sessions[1]', params: { first: 'sessions[0]', firstPath: 'sessions[0]' } }]);
    const cal = okResult(parseSchedule(ics(vevent('UID:a', 'SUMMARY:Keynote', 'DTSTART:20261210T090000Z'), vevent('UID:b', 'SUMMARY:Keynote', 'DTSTART:20261210T090000Z')), 'text/calendar', { timezone: 'UTC' }));
    expect(cal.warnings).toMatchObject([{ code: 'duplicate_session', line: 8, params: { first: 'line 3', firstLine: 3 } }]);
    // The Ops Meetup files have none.
    expect(okResult(parseSchedule(fixture('csv'), 'text/csv', { timezone: TZ })).warnings.filter((w) => w.code === 'duplicate_session')).toEqual([]);
  });

  it('refuses binary, non-UTF-8, oversized and unknown types with a clear code', () => {
    const binary = fail(parseSchedule(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x0a, 0x00, 0x00]), 'text/csv', { timezone: 'UTC' }));
    expect(binary).toMatchObject({ code: 'invalid_schedule', details: [{ code: 'binary_file', line: 2 }] });
    const latin1 = fail(parseSchedule(new Uint8Array([...Buffer.from('title\nok\nCaf'), 0xe9, 0x0a]), 'text/csv', { timezone: 'UTC' }));
    expect(latin1).toMatchObject({ message: expect.stringContaining('not UTF-8 text'), details: [{ code: 'not_utf8', line: 3 }] });
    expect(fail(parseSchedule(new Uint8Array(LIMITS.maxScheduleBytes + 1).fill(0x41), 'text/csv', { timezone: 'UTC' })).code).toBe('too_large');
    expect(fail(parseSchedule('x', 'application/pdf', { timezone: 'UTC' })).code).toBe('unsupported_type');
  });
});
