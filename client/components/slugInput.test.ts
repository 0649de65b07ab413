import { describe, expect, it } from 'vitest';
import { SLUG_PATTERN } from '../../shared/ids.js';
import { isValidSlug, normalizeSlugInput, SLUG_INPUT_PATTERN } from './slugInput.js';

describe('slug field', () => {
  it('its pattern compiles the way browsers compile `pattern` (the v flag), and agrees with the server’s', () => {
    // The old pattern threw here: "Invalid character in character class".
    // eslint-disable-next-line no-invalid-regexp -- the point: the old pattern is invalid under the v flag
    expect(() => new RegExp('^(?:[a-z0-9][a-z0-9-]*[a-z0-9])$', 'v')).toThrow();
    const browser = new RegExp(`^(?:${SLUG_INPUT_PATTERN})$`, 'v');
    for (const s of ['a', 'ux', 'ux-meetup-2026', 'a'.repeat(64), '', 'UX', '-ux', 'ux-', 'ux meetup', 'a'.repeat(65), 'ü']) {
      expect(browser.test(s), s).toBe(SLUG_PATTERN.test(s));
    }
  });

  it('turns spaces into dashes and upper case into lower case while typing', () => {
    expect(normalizeSlugInput('UX Meetup')).toBe('ux-meetup');
    expect(normalizeSlugInput('ux  meetup 2026 ')).toBe('ux-meetup-2026-');
    expect(isValidSlug('ux-meetup-2026-')).toBe(false);
    expect(isValidSlug('ux-meetup-2026')).toBe(true);
  });
});
