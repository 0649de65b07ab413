import { SLUG_PATTERN } from '../../shared/ids.js';

/**
 * The slug field's `pattern`. Browsers compile it with the `v` flag, where a
 * bare `-` at the end of a class is a syntax error (the console error on
 * every load of the home page): the dash is escaped here.
 */
export const SLUG_INPUT_PATTERN = String.raw`[a-z0-9](?:[a-z0-9\-]{0,62}[a-z0-9])?`;

/** What the field holds after a keystroke: lower case, and spaces turned into dashes as you type. */
export function normalizeSlugInput(value: string): string {
  return value.toLowerCase().replace(/\s+/g, '-');
}

/** Whether a (trimmed) slug can be sent at all; empty means "let the server choose". */
export function isValidSlug(slug: string): boolean {
  return SLUG_PATTERN.test(slug);
}
