import { describe, expect, it } from 'vitest';
import { localDate } from './timezone.js';

describe('localDate', () => {
  it('gives the calendar date in the time zone, each zone with its own formatter', () => {
    const instant = '2016-04-25T03:30:00Z';
    expect(localDate(instant, 'America/Chicago')).toBe('2016-04-24');
    expect(localDate(instant, 'Asia/Tokyo')).toBe('2016-04-25');
    // Second round uses the kept formatters and must not mix the zones up.
    expect(localDate(new Date(instant), 'America/Chicago')).toBe('2016-04-24');
    expect(localDate(new Date(instant), 'Asia/Tokyo')).toBe('2016-04-25');
    expect(localDate('2016-12-31T23:59:59Z', 'UTC')).toBe('2016-12-31');
  });

  it('refuses an unknown time zone every time', () => {
    expect(() => localDate('2016-04-25T03:30:00Z', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localDate('2016-04-25T03:30:00Z', 'Mars/Olympus')).toThrow(RangeError);
  });
});
