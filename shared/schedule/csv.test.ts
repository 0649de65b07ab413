import { describe, expect, it } from 'vitest';
import { parseSchedule } from './parseSchedule.js';
import type { ImportedSession, ScheduleParseResult } from './types.js';

const TZ = 'Asia/Tokyo';
const parse = (text: string | Uint8Array) => parseSchedule(text, 'text/csv', { timezone: TZ });
function ok(r: ScheduleParseResult) {
  if (!r.ok) throw new Error(JSON.stringify(r.details));
  return r;
}
function fail(r: ScheduleParseResult) {
  if (r.ok) throw new Error(`expected a failure, got ${r.sessions.length} sessions`);
  return r;
}
const brief = (s: ImportedSession) => [s.title, s.startsAt, s.endsAt, s.rooms, s.moderators, s.tags];

describe('CSV through csv-parse', () => {
  it('reads Japanese headers in any order, tab-separated, with a BOM and CRLF', () => {
    const text = '\uFEFFモデレーター\t部屋\tタイトル\t日付\t開始\t終了\tタグ\r\n五郎、花子\t会議室A；会議室B\t国内OpsWorkshop報告\t2025-11-22\t１３:００\t14:00\tjp-ops\r\n';
    const r = ok(parse(text));
    expect(r.sessions.map(brief)).toEqual([['国内OpsWorkshop報告', '2025-11-22T04:00:00.000Z', '2025-11-22T05:00:00.000Z', ['会議室A', '会議室B'], ['五郎', '花子'], ['jp-ops']]]);
    expect(r.warnings).toEqual([]);
  });

  it('keeps newlines inside quoted fields, counts lines and rows apart, and accepts mixed line endings', () => {
    const text = 'title;date;start;room;description\r\n"Two\r\nline title";2025-11-22;10:00;Hall;"a; b\nc"\nNext;2025-11-22;11:00;Hall;\rLast;2025-11-22;12:00;Hall;\r\n';
    const r = ok(parse(text));
    expect(r.sessions.map((s) => [s.title, s.description])).toEqual([['Two line title', 'a; b\nc'], ['Next', null], ['Last', null]]);
    // The second record spans lines 2–4 (two quoted line breaks); rows count records, as a spreadsheet does.
    expect(r.sources).toEqual([{ line: 2, row: 2 }, { line: 5, row: 3 }, { line: 6, row: 4 }]);
  });

  it('a row without a start time is a warning, one per row: importing it unscheduled is the moderator\'s choice', () => {
    const only = ok(parse('title,date\nbad\n'));
    expect(only.sessions.map((s) => [s.title, s.startsAt])).toEqual([['bad', null]]);
    expect(only.warnings).toEqual([{ code: 'no_start_time', line: 2, row: 2, message: 'no start time' }]);
    const mixed = ok(parse('title,date,start,end\nOpening,2025-11-22,09:00,09:30\nTBA,2025-11-22,,\nAlso TBA,,,\n'));
    expect(mixed.warnings.map((w) => [w.code, w.row])).toEqual([['no_start_time', 3], ['no_start_time', 4]]);
  });

  it('an end before the start on one date runs past midnight (up to 12 hours); a longer one stays a problem', () => {
    const csv = 'title,date,start,end,room\nNight BoF,2016-04-26,23:00,01:00,Room A\nTypo,2016-04-26,12:00,11:00,Room A\n';
    const result = parseSchedule(csv, 'text/csv', { timezone: 'UTC' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.details.map((d) => d.code)).toEqual(['end_before_start']);
    const night = parseSchedule('title,date,start,end\nNight BoF,2016-04-26,23:00,01:00\n', 'text/csv', { timezone: 'Asia/Tokyo' });
    expect(night.ok && night.sessions[0]).toMatchObject({ startsAt: '2016-04-26T14:00:00.000Z', endsAt: '2016-04-26T16:00:00.000Z' });
  });

  it('blames a bad date on the date column once, not on start and end', () => {
    const r = fail(parse('title,date,start,end\nX,2025-11-31,09:00,10:00\nY,,09:00,10:00\n'));
    expect(r.details).toEqual([
      expect.objectContaining({ code: 'invalid_date', row: 2, params: { column: 'date', value: '2025-11-31' } }),
      expect.objectContaining({ code: 'date_missing', row: 3, params: { column: 'start' } }),
    ]);
  });

  it('reads a date column that carries the time when the row has no time of its own (Outlook\'s and Excel\'s exports)', () => {
    const combined = ok(parse('Subject,Start Date,End Date,Location\nX,2016-04-26 09:00,2016-04-26 10:00,R1\nY,2016-04-26T11:00,,R1\nZ,2016-04-26T03:00:00Z,,R2\n'));
    expect(combined.sessions.map((s) => [s.title, s.startsAt, s.endsAt])).toEqual([
      ['X', '2016-04-26T00:00:00.000Z', '2016-04-26T01:00:00.000Z'],
      ['Y', '2016-04-26T02:00:00.000Z', null],
      ['Z', '2016-04-26T03:00:00.000Z', null],
    ]);
    expect(combined.warnings).toEqual([]);
    // A time column wins over the time a spreadsheet leaves in the date ("00:00:00").
    expect(ok(parse('title,date,start\nX,2016-04-26 00:00:00,09:30\n')).sessions[0]!.startsAt).toBe('2016-04-26T00:30:00.000Z');
    // A date alone is still a row without a start time.
    expect(ok(parse('title,date\nX,2016-04-26\n')).warnings.map((w) => w.code)).toEqual(['no_start_time']);
  });

  it('reads Outlook\'s N/N/YYYY dates in the order a date of the file settles, and guesses nothing when none does', () => {
    const outlook = '"Subject","Start Date","Start Time","End Date","End Time","All day event","Location"\n"Y","4/26/2016","9:00:00 AM","4/26/2016","10:00:00 AM","False","R1"\n"Z","5/1/2016","1:00:00 PM","5/1/2016","2:00:00 PM","False","R1"\n';
    expect(ok(parse(outlook)).sessions.map((s) => [s.title, s.startsAt, s.endsAt])).toEqual([
      ['Y', '2016-04-26T00:00:00.000Z', '2016-04-26T01:00:00.000Z'],
      ['Z', '2016-05-01T04:00:00.000Z', '2016-05-01T05:00:00.000Z'],
    ]);
    expect(ok(parse('title,date\nX,4/26/2016 9:00:00 AM\n')).sessions[0]!.startsAt).toBe('2016-04-26T00:00:00.000Z');
    // Day first, as a European spreadsheet writes it.
    expect(ok(parse('title,date,start\nA,25/11/2025,09:00\nB,1/12/2025,09:00\n')).sessions.map((s) => s.startsAt)).toEqual(['2025-11-25T00:00:00.000Z', '2025-12-01T00:00:00.000Z']);
    // A date that does not exist is quoted as the file has it.
    expect(fail(parse('title,date,start\nA,31/11/2025,09:00\n')).details).toEqual([expect.objectContaining({ code: 'invalid_date', params: { column: 'date', value: '31/11/2025' } })]);
    // 5/1/2016 alone could be 1 May or 5 January: a problem, not a guess.
    expect(fail(parse('title,date,start\nA,5/1/2016,09:00\n')).details).toEqual([expect.objectContaining({ code: 'invalid_date', params: { column: 'date', value: '5/1/2016' } })]);
  });

  it('reads Japanese dates (2016年7月7日)', () => {
    expect(ok(parse('タイトル,日付,開始\nセッションC,2016年7月7日,11:00\n')).sessions[0]!.startsAt).toBe('2016-07-07T02:00:00.000Z');
  });

  it('warns about columns it does not use, and reads "All rooms" as a plenary', () => {
    const r = ok(parse('Subject,Start Date,Start Time,End Time,Location,Private\nKeynote,2025-11-22,09:00,10:00,All rooms,FALSE\n'));
    expect(r.sessions[0]).toMatchObject({ title: 'Keynote', rooms: [] });
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'unknown_column', params: { name: 'Private' } })]);
  });

  it('turns control characters in a cell into a space: a title is always one line', () => {
    const r = ok(parse('title,start,date\n"Ops\r\nMeetup\u0007 2025",09:00,2025-11-22\n'));
    expect(r.sessions[0]!.title).toBe('Ops Meetup 2025');
  });
});

describe('CSV bombs', () => {
  it('stops reading a row past 100,000 characters (a 1.9 MB cell, or a quote never closed) and names its row', () => {
    const giant = fail(parse(`title,room\n"${'x'.repeat(1_900_000)}",A\n`));
    expect(giant.details).toEqual([expect.objectContaining({ code: 'csv_row_too_long', line: 2, row: 2, params: { max: 100_000 } })]);
    const open = fail(parse(`title\nok\n"never closed\n${'more\n'.repeat(400_000)}`));
    expect(open.details).toEqual([expect.objectContaining({ code: 'csv_row_too_long', line: 3, row: 3 })]);
  });
});
