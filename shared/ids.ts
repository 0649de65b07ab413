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

/**
 * Join codes: the short form of a session link shown on the projector for
 * people to type. 8 characters from an alphabet without look-alikes
 * (0/O, 1/I/L, U): about 39 bits, which is only safe because codes expire and
 * failed look-ups are rate-limited per address (see server/join).
 */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const JOIN_CODE_LENGTH = 8;

/** Upper-cases and drops separators, so `abcd-efgh` and `ABCDEFGH` are the same code; null when it cannot be one. */
export function normalizeJoinCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== JOIN_CODE_LENGTH) return null;
  for (const ch of code) if (!JOIN_CODE_ALPHABET.includes(ch)) return null;
  return code;
}

/** `ABCDEFGH` → `ABCD-EFGH`, easier to read off a screen. */
export function formatJoinCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
