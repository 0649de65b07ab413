import { describe, expect, it } from 'vitest';
import { formatDay, spansYears, timeRangeFromToday } from './format.js';
import { parseRoute } from './router.js';
import { parseEventLink, tokenFromHash } from './tokens.js';

const token = 'A'.repeat(16) + 'b_-'.repeat(5) + 'z';

describe('links and routes', () => {
  it('reads the token from the fragment only', () => {
    expect(tokenFromHash(`#k=${token}`)).toBe(token);
    expect(tokenFromHash('#k=short')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
  });

  it('parses pasted links', () => {
    expect(parseEventLink(`http://localhost:3000/e/aus-ops-2016#k=${token}`)).toEqual({ eventRef: 'aus-ops-2016', token, path: '/e/aus-ops-2016' });
    expect(parseEventLink('not a link')).toBeNull();
    expect(parseEventLink('http://x/e/slug')).toBeNull();
  });

  it('routes pages', () => {
    expect(parseRoute('/')).toEqual({ name: 'home' });
    expect(parseRoute('/e/ops')).toEqual({ name: 'event', eventRef: 'ops', view: 'sessions' });
    expect(parseRoute('/e/ops/actions')).toEqual({ name: 'event', eventRef: 'ops', view: 'board' });
    expect(parseRoute('/e/ops/s/abcdefghijklmnop')).toEqual({ name: 'session', eventRef: 'ops', sessionId: 'abcdefghijklmnop' });
    expect(parseRoute('/e/ops/s/abcdefghijklmnop/present')).toEqual({ name: 'present', eventRef: 'ops', sessionId: 'abcdefghijklmnop' });
    expect(parseRoute('/nope')).toEqual({ name: 'notFound' });
  });
});

describe('day labels', () => {
  it('name the year only when the days fall in more than one', () => {
    expect(spansYears(['2026-12-29', '2026-12-30'])).toBe(false);
    expect(spansYears(['2026-12-29', '2027-01-05'])).toBe(true);
    expect(spansYears(['', '2026-12-29'])).toBe(false);
    expect(formatDay('2026-12-29T15:00:00Z', 'UTC', 'en')).toBe('Tue 29 Dec');
    expect(formatDay('2026-12-29T15:00:00Z', 'UTC', 'en', true)).toBe('Tue, 29 Dec 2026');
    expect(formatDay('2026-12-29T15:00:00Z', 'Asia/Tokyo', 'ja', true)).toBe('2026年12月30日(水)');
  });
});

describe('a session time seen on a given day', () => {
  const s = { startsAt: '2026-12-08T09:00:00Z', endsAt: '2026-12-08T10:30:00Z' };
  it('is the times alone on the session’s own day in the event’s zone', () => {
    expect(timeRangeFromToday(s, 'UTC', 'en', Date.parse('2026-12-08T23:59:00Z'))).toBe('09:00–10:30');
    // 19:00 in Tokyo is already 8 Dec there, while UTC is still on the 7th.
    expect(timeRangeFromToday(s, 'Asia/Tokyo', 'ja', Date.parse('2026-12-07T16:00:00Z'))).toBe('18:00–19:30');
  });
  it('names the day when the session is on another one, and the year only across years', () => {
    expect(timeRangeFromToday(s, 'UTC', 'en', Date.parse('2026-12-07T12:00:00Z'))).toBe('Tue 8 Dec 09:00–10:30');
    expect(timeRangeFromToday(s, 'UTC', 'en', Date.parse('2026-12-09T00:00:00Z'))).toBe('Tue 8 Dec 09:00–10:30');
    expect(timeRangeFromToday(s, 'Asia/Tokyo', 'ja', Date.parse('2026-12-07T12:00:00Z'))).toBe('12月8日(火) 18:00–19:30');
    expect(timeRangeFromToday(s, 'UTC', 'en', Date.parse('2027-01-02T12:00:00Z'))).toBe('Tue, 8 Dec 2026 09:00–10:30');
  });
  it('is empty without a start, and times alone without an end', () => {
    expect(timeRangeFromToday({ startsAt: null, endsAt: null }, 'UTC', 'en', 0)).toBe('');
    expect(timeRangeFromToday({ startsAt: s.startsAt, endsAt: null }, 'UTC', 'en', Date.parse('2026-12-08T01:00:00Z'))).toBe('09:00');
  });
});
