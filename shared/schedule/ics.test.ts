import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSchedule } from './parseSchedule.js';
import type { ScheduleParseResult } from './types.js';

const ics = (...events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (...props: string[]) => ['BEGIN:VEVENT', ...props, 'END:VEVENT'].join('\r\n');
const parse = (text: string, timezone = 'UTC') => parseSchedule(text, 'text/calendar', { timezone });
function fail(r: ScheduleParseResult) {
  if (r.ok) throw new Error(`expected a failure, got ${r.sessions.length} sessions`);
  return r;
}

describe('iCalendar rules on top of ical.js', () => {
  it('refuses RRULE INTERVAL=0 (ical.js would quietly read it as 1), with the line of the RRULE', () => {
    const r = fail(parse(ics(vevent('UID:x', 'SUMMARY:x', 'DTSTART:20160425T161500Z', 'RRULE:FREQ=DAILY;INTERVAL=0;COUNT=3'))));
    expect(r.details).toEqual([expect.objectContaining({ code: 'rrule_interval', line: 7, params: { value: '0' } })]);
  });

  it('ends a rule that can never match (every 7th day, on Tuesdays, from a Monday) instead of looping forever', () => {
    const r = fail(parse(ics(vevent('SUMMARY:x', 'DTSTART:20240101T090000Z', 'RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=TU;COUNT=2'))));
    expect(r.details).toEqual([expect.objectContaining({ code: 'rrule_unreadable', line: 6 })]);
    const impossible = fail(parse(ics(vevent('SUMMARY:x', 'DTSTART:20240101T090000Z', 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2'))));
    expect(['rrule_unreadable', 'rrule_too_far']).toContain(impossible.details[0]!.code);
  });

  it('refuses rules that reach past the limits, whichever way they get there', () => {
    const codes = (rule: string) => fail(parse(ics(vevent('SUMMARY:x', 'DTSTART:20240101T090000Z', rule)))).details.map((d) => d.code);
    expect(codes('RRULE:FREQ=DAILY;INTERVAL=30;COUNT=60')).toEqual(['rrule_too_far']);
    // 1 January 2024 to 1 January 2025 is 366 days (a leap year): 13 monthly occurrences fit, 14 do not.
    expect(parse(ics(vevent('SUMMARY:x', 'DTSTART:20240101T090000Z', 'RRULE:FREQ=MONTHLY;COUNT=13'))).ok).toBe(true);
    expect(codes('RRULE:FREQ=MONTHLY;COUNT=14')).toEqual(['rrule_too_far']);
    expect(codes('RRULE:FREQ=DAILY;COUNT=40\r\nRRULE:FREQ=DAILY;COUNT=40;BYHOUR=12')).toEqual(['rrule_too_many']);
    expect(codes('RRULE:FREQ=HOURLY;COUNT=5')).toEqual(['rrule_freq']);
    expect(codes('RRULE:FREQ=WEEKLY;UNTIL=20260101T000000Z')).toEqual(['rrule_too_far']);
    const manyExdates = `EXDATE:${Array.from({ length: 300 }, (_, i) => `2024${String(1 + (i % 12)).padStart(2, '0')}01T090000Z`).join(',')}`;
    expect(codes(`RRULE:FREQ=DAILY;COUNT=5\r\n${manyExdates}`)).toEqual(['too_many_dates']);
  });

  it('expands BYDAY with ordinals, RDATE and EXDATE, and applies RECURRENCE-ID overrides (moved and cancelled)', () => {
    const result = parse(
      ics(
        vevent('UID:wg', 'SUMMARY:WG', 'DTSTART;TZID=Europe/Berlin:20251014T140000', 'DURATION:PT1H', 'RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=4', 'RDATE;TZID=Europe/Berlin:20251216T140000', 'EXDATE;TZID=Europe/Berlin:20251209T140000'),
        vevent('UID:wg', 'RECURRENCE-ID;TZID=Europe/Berlin:20251111T140000', 'SUMMARY:WG (room change)', 'DTSTART;TZID=Europe/Berlin:20251111T150000', 'DTEND;TZID=Europe/Berlin:20251111T160000', 'LOCATION:Room B'),
        vevent('UID:wg', 'RECURRENCE-ID:20260113T130000Z', 'STATUS:CANCELLED', 'SUMMARY:WG', 'DTSTART;TZID=Europe/Berlin:20260113T140000'),
      ),
      'Europe/Berlin',
    );
    if (!result.ok) throw new Error(JSON.stringify(result.details));
    expect(result.sessions.map((s) => [s.title, s.startsAt, s.endsAt, s.rooms, s.uid])).toEqual([
      ['WG', '2025-10-14T12:00:00.000Z', '2025-10-14T13:00:00.000Z', [], 'wg#2025-10-14T12:00:00.000Z'],
      ['WG (room change)', '2025-11-11T14:00:00.000Z', '2025-11-11T15:00:00.000Z', ['Room B'], 'wg#2025-11-11T13:00:00.000Z'],
      ['WG', '2025-12-16T13:00:00.000Z', '2025-12-16T14:00:00.000Z', [], 'wg#2025-12-16T13:00:00.000Z'],
    ]);
  });

  it('a SUMMARY or LOCATION with line breaks becomes one line; "all rooms" is a plenary', () => {
    const result = parse(ics(vevent('SUMMARY:Opening\\nand\\N\\n welcome\t', 'DTSTART:20250101T090000Z', 'LOCATION:All rooms')));
    expect(result.ok && result.sessions[0]).toMatchObject({ title: 'Opening and welcome', rooms: [] });
  });

  it('treats properties named like prototype keys as unknown properties, and refuses names RFC 5545 does not allow', () => {
    const result = parse(ics(vevent('SUMMARY:Safe', 'DTSTART:20250101T090000Z', 'CONSTRUCTOR;X=1:y', 'TOSTRING:z', 'HASOWNPROPERTY:w', 'X-THING;__PROTO__=1:v')));
    expect(result.ok && result.sessions.map((s) => s.title)).toEqual(['Safe']);
    expect(({} as Record<string, unknown>).y).toBeUndefined();
    expect(fail(parse(ics(vevent('SUMMARY:x', 'DTSTART:20250101T090000Z', '__PROTO__:x')))).details).toEqual([expect.objectContaining({ code: 'ics_bad_line', line: 6 })]);
  });

  it('refuses a calendar that spreads over too many years or time zones, before building zone tables for them', () => {
    const years = Array.from({ length: 25 }, (_, i) => vevent(`SUMMARY:y${i}`, `DTSTART:${2000 + i * 10}0101T090000Z`));
    expect(fail(parse(ics(...years))).details.map((d) => d.code)).toEqual(['too_many_years']);
    const zones = ['Europe/Berlin', 'Europe/Paris', 'Europe/Rome', 'Europe/Madrid', 'Europe/Lisbon', 'Europe/London', 'Europe/Oslo', 'Europe/Vienna', 'Europe/Prague', 'Europe/Warsaw', 'Europe/Athens', 'Europe/Helsinki', 'Asia/Tokyo', 'Asia/Seoul', 'Asia/Shanghai', 'Asia/Kolkata', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/New_York', 'America/Los_Angeles', 'Australia/Sydney'];
    const many = zones.map((z, i) => vevent(`SUMMARY:z${i}`, `DTSTART;TZID=${z}:20250101T090000`));
    expect(fail(parse(ics(...many))).details.map((d) => d.code)).toContain('too_many_timezones');
  });

  it('refuses a flood of events or of lines in one event before ical.js builds them', () => {
    const many = Array.from({ length: 1001 }, (_, i) => vevent(`UID:${i}`, 'SUMMARY:x', 'DTSTART:20250101T090000Z'));
    expect(fail(parse(ics(...many))).details.map((d) => d.code)).toEqual(['too_many_sessions']);
    const flood = vevent('SUMMARY:x', 'DTSTART:20250101T090000Z', 'RRULE:FREQ=DAILY;COUNT=5', ...Array.from({ length: 5000 }, () => 'EXDATE:20250102T090000Z'));
    expect(fail(parse(ics(flood))).details).toEqual([expect.objectContaining({ code: 'too_many_properties', line: 3 })]);
  });

  it('never throws and always answers, whatever lines a calendar holds (fuzzed)', () => {
    const name = fc.constantFrom('SUMMARY', 'DTSTART', 'DTEND', 'DURATION', 'RRULE', 'RDATE', 'EXDATE', 'RECURRENCE-ID', 'UID', 'LOCATION', 'CATEGORIES', 'STATUS', 'BEGIN', 'END', 'X-FOO', '__PROTO__');
    const param = fc.constantFrom('', ';TZID=Europe/Berlin', ';TZID=W. Europe Standard Time', ';VALUE=DATE', ';TZID="a:b"', ';VALUE=PERIOD', ';TZID=Nowhere/None');
    const value = fc.oneof(
      fc.constantFrom('20250101T090000', '20250101T090000Z', '20250101', 'FREQ=DAILY;COUNT=3', 'FREQ=WEEKLY;INTERVAL=0;COUNT=2', 'FREQ=MONTHLY;BYDAY=5FR;COUNT=3', 'PT1H', 'P1D', 'VEVENT', 'VALARM', 'CANCELLED', 'x\\,y\\;z', '20250101T090000Z/PT1H'),
      fc.string({ maxLength: 30 }),
    );
    const line = fc.tuple(name, param, value).map(([n, p, v]) => `${n}${p}:${v}`);
    fc.assert(
      fc.property(fc.array(fc.array(line, { maxLength: 12 }), { maxLength: 6 }), (events) => {
        const text = ics(...events.map((props) => vevent('UID:u', 'DTSTART:20250101T090000Z', ...props)));
        const r = parse(text, 'Europe/Berlin');
        expect(r.ok || r.code === 'invalid_schedule').toBe(true);
        if (!r.ok) for (const d of r.details) expect(typeof d.code).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});
