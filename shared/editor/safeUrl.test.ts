import { describe, expect, it } from 'vitest';
import { GOOD_HREFS, NASTY_HREFS } from '../../test/fixtures/minutes/nastyHrefs.js';
import { isSafeUrl, safeHref } from './safeUrl.js';

describe('safeHref', () => {
  it.each(NASTY_HREFS.map((h) => [JSON.stringify(h), h]))('refuses %s', (_name, href) => {
    expect(safeHref(href)).toBeNull();
    expect(isSafeUrl(href)).toBe(false);
  });

  it.each(GOOD_HREFS.map(([h, out]) => [JSON.stringify(h), h, out]))('keeps %s in its decoded form', (_name, href, out) => {
    expect(safeHref(href)).toBe(out);
  });

  it('refuses what is not a string, very long URLs and references nested too deep', () => {
    expect(safeHref(null)).toBeNull();
    expect(safeHref({ href: 'https://x' })).toBeNull();
    expect(safeHref(`https://example.org/${'a'.repeat(9000)}`)).toBeNull();
    expect(safeHref('https://example.org/&amp;amp;amp;amp;amp;amp;x')).toBeNull();
  });
});
