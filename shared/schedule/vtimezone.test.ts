import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { offsetAt } from './timezone.js';
import { vtimezoneFor, zoneTransitions } from './vtimezone.js';

describe('zoneTransitions', () => {
  it('finds the US switches of 2016 to the minute, and none in Tokyo', () => {
    const { initial, transitions } = zoneTransitions('America/Chicago', Date.UTC(2016, 0, 1), Date.UTC(2017, 0, 1));
    expect(initial).toBe(-360);
    expect(transitions).toEqual([
      { at: Date.parse('2016-03-13T08:00:00Z'), from: -360, to: -300 },
      { at: Date.parse('2016-11-06T07:00:00Z'), from: -300, to: -360 },
    ]);
    expect(zoneTransitions('Asia/Tokyo', Date.UTC(2016, 0, 1), Date.UTC(2020, 0, 1)).transitions).toEqual([]);
  });
});

describe('vtimezoneFor', () => {
  it('gives ical.js the same offsets as Intl, across the 2007 change of US rules', () => {
    const vtz = vtimezoneFor('America/New_York', 'America/New_York', [[2005, 2008]]);
    const zone = new ICAL.Timezone({ component: vtz, tzid: 'America/New_York' });
    // 2006: DST began on 2 April; 2007: on 11 March.
    for (const iso of ['2006-03-20T12:00:00Z', '2006-04-03T12:00:00Z', '2007-03-20T12:00:00Z', '2007-11-03T12:00:00Z', '2007-11-05T12:00:00Z', '2008-07-01T12:00:00Z']) {
      const t = ICAL.Time.fromJSDate(new Date(iso), true).convertToZone(zone);
      expect(zone.utcOffset(t) / 60, iso).toBe(offsetAt('America/New_York', Date.parse(iso)));
    }
    const text = vtz.toString();
    expect(text).toContain('BEGIN:DAYLIGHT');
    expect(text).toContain('DTSTART:20070311T020000');
    expect(text).toContain('TZNAME:EDT');
  });
});
