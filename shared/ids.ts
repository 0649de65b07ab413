/** Ids are 16 lowercase base32 characters (80 random bits; they are names, not secrets). */
export const ID_PATTERN = /^[a-z2-7]{16}$/;
/** Slugs are human-chosen event names used in URLs. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/** Tokens are 32 base64url characters (192 random bits). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

export function isEventRef(value: string): boolean {
  return ID_PATTERN.test(value) || SLUG_PATTERN.test(value);
}

/** Turns a title into a URL slug; may return '' for titles with no ASCII letters. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
}
