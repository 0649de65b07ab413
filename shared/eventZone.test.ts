import { describe, expect, it } from 'vitest';
import { sameLocalTime, wallTimeIn, zoneChangeRows } from './eventZone.js';

describe('moving an event to another time zone', () => {
  it('reads the wall-clock time of an instant in a zone, across DST', () => {
    expect(wallTimeIn('2016-04-25T16:15:00Z', 'America/Chicago')).toEqual({ year: 2016, month: 4, day: 25, hour: 11, minute: 15, second: 0 });
    expect(wallTimeIn('2016-01-25T16:15:00Z', 'America/Chicago')).toEqual({ year: 2016, month: 1, day: 25, hour: 10, minute: 15, second: 0 });
    expect(wallTimeIn('2016-04-25T16:15:00Z', 'Asia/Tokyo')).toEqual({ year: 2016, month: 4, day: 26, hour: 1, minute: 15, second: 0 });
  });

  it('keeps the local time: 09:00 in London becomes 09:00 in Tokyo, eight hours earlier', () => {
    const at = sameLocalTime('2026-07-06T08:00:00.000Z', 'Europe/London', 'Asia/Tokyo');
    expect(at).toBe('2026-07-06T00:00:00.000Z');
    expect(wallTimeIn(at, 'Asia/Tokyo')).toMatchObject({ day: 6, hour: 9, minute: 0 });
    // Into a zone with DST: the summer offset applies on a summer date, the winter one in winter.
    expect(sameLocalTime('2026-07-06T00:00:00.000Z', 'Asia/Tokyo', 'America/Chicago')).toBe('2026-07-06T14:00:00.000Z');
    expect(sameLocalTime('2026-01-06T00:00:00.000Z', 'Asia/Tokyo', 'America/Chicago')).toBe('2026-01-06T15:00:00.000Z');
    // 02:30 does not exist in Chicago on 8 March 2026: it moves forward with the clocks, as the importer reads it.
    expect(wallTimeIn(sameLocalTime('2026-03-08T02:30:00.000Z', 'UTC', 'America/Chicago'), 'America/Chicago')).toMatchObject({ hour: 3, minute: 30 });
  });

  it('previews every timed session in schedule order; keeping the moments changes nothing but their local times', () => {
    const sessions = [
      { id: 'b', title: 'Keynote', startsAt: '2026-07-06T08:00:00.000Z', endsAt: '2026-07-06T09:00:00.000Z' },
      { id: 'a', title: 'Unscheduled', startsAt: null, endsAt: null },
      { id: 'c', title: 'Breakfast', startsAt: '2026-07-06T07:00:00.000Z', endsAt: null },
    ];
    const keep = zoneChangeRows(sessions, 'Europe/London', 'Asia/Tokyo', false);
    expect(keep.map((r) => r.id)).toEqual(['c', 'b']);
    for (const r of keep) expect(r.after).toEqual(r.before);
    const local = zoneChangeRows(sessions, 'Europe/London', 'Asia/Tokyo', true);
    expect(local.find((r) => r.id === 'b')).toEqual({
      id: 'b',
      title: 'Keynote',
      before: { startsAt: '2026-07-06T08:00:00.000Z', endsAt: '2026-07-06T09:00:00.000Z' },
      after: { startsAt: '2026-07-06T00:00:00.000Z', endsAt: '2026-07-06T01:00:00.000Z' },
    });
    expect(local.find((r) => r.id === 'c')!.after.endsAt).toBeNull();
  });
});
