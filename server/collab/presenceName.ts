/**
 * The display name a presence (awareness) state shows, as every part of the
 * server reads it: `user.name`, trimmed, at most 60 characters; null when it
 * shows none. Names are what history, search and presence claims credit.
 */
export function presenceName(state: unknown): string | null {
  const name = (state as { user?: { name?: unknown } } | null | undefined)?.user?.name;
  return typeof name === 'string' && name.trim() ? name.trim().slice(0, 60) : null;
}
