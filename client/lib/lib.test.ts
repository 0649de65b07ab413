import { describe, expect, it } from 'vitest';
import { formatDay, spansYears } from './format.js';
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
