/**
 * Secrets as they must never be logged. Capability tokens travel in
 * `Authorization: Bearer`, in `?k=` (calendar feed), `?token=` (WebSocket)
 * and `#k=` (links; a browser never sends the fragment, but a pasted link
 * can reach a log through a body). Everything a log line carries passes
 * through here: the message, every string and every key that names a secret.
 */
const URL_SECRET = /([?&#](?:k|token|access_token)=)[^&#\s"']*/gi;
const BEARER = /(\bBearer\s+)[^\s,"']+/gi;
// A capability token is 32 base64url characters and, being random, almost surely mixes upper and lower
// case: standalone runs like that go too (a token pasted into a message); slugs and ids are lower case.
const BARE_TOKEN = /(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])/g;
const SECRET_KEY = /^(?:authorization|cookie|set-cookie|password|secret|k|tokens?|[a-z]*token)$/i;

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return text.replace(URL_SECRET, `$1${REDACTED}`).replace(BEARER, `$1${REDACTED}`).replace(BARE_TOKEN, REDACTED);
}

/** A copy of `value` with secrets replaced; bounded in depth so a cyclic or huge object cannot stall logging. */
export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 6) return '[too deep]';
  if (value instanceof Error) return redactText(value.stack ?? value.message);
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? REDACTED : redactFields(v, depth + 1);
  return out;
}
