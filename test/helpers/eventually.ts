/**
 * Waits until `check` holds: the one polling helper of the tests (integration,
 * e2e, benches' tests). Never a fixed sleep: a condition is awaited, and
 * "this did not happen" is asserted after a round-trip barrier instead.
 *
 * `check` may be synchronous or async; a check that throws counts as "not
 * yet" (a page still navigating, a request refused while a server starts),
 * and the last error is in the timeout's message.
 *
 * @example
 * await eventually(() => notesText(reader.doc).includes('hello'), 5000, 'the reader to see hello');
 * const items = await eventuallyValue(() => listItems(), (v) => v.length === 2, 'two items');
 */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  await eventuallyValue(check, (ok) => ok, what, timeoutMs);
}

/** Reads `get` until `ok` accepts what it returned, and returns that. */
export async function eventuallyValue<T>(get: () => T | Promise<T>, ok: (value: T) => boolean, what = 'condition', timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  let last: { value: T } | { error: unknown } | null = null;
  for (let delay = 5; ; delay = Math.min(delay * 2, 25)) {
    try {
      const value = await get();
      if (ok(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe(last)}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

function describe(last: { value: unknown } | { error: unknown } | null): string {
  if (!last) return '';
  if ('error' in last) return `: ${String(last.error)}`;
  if (typeof last.value === 'boolean') return '';
  const text = JSON.stringify(last.value);
  return text === undefined ? '' : `; last value ${text.length > 500 ? `${text.slice(0, 500)}…` : text}`;
}
