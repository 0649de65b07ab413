import type { AuthorCharCounts } from '../contributors/authorCharCounts.js';

export interface NoteTakersDeps {
  /** Characters of the current notes per session and name (the contributors report's source). */
  counts: AuthorCharCounts;
  /** The event of a session (null when unknown). */
  eventOf(sessionId: string): string | null;
  /** Brings the counts up to the notes (the search index indexes what is pending). */
  flush(): void;
  /** An event's counts are read once for this long: its minutes read every session's. */
  reuseMs?: number;
  now?: () => number;
}

/**
 * The minutes' "Note-takers": people ordered by how many characters of the
 * final notes each wrote (ties by name), not who connected. Only people with
 * text still in the notes are listed.
 */
export class NoteTakers {
  private cached: { eventId: string; at: number; counts: Map<string, Map<string, number>> } | null = null;

  constructor(private readonly deps: NoteTakersDeps) {}

  of(sessionId: string): string[] {
    const eventId = this.deps.eventOf(sessionId);
    if (!eventId) return [];
    const now = (this.deps.now ?? Date.now)();
    if (!this.cached || this.cached.eventId !== eventId || now - this.cached.at > (this.deps.reuseMs ?? 2000)) {
      this.deps.flush();
      this.cached = { eventId, at: now, counts: this.deps.counts.byEvent(eventId) };
    }
    return rankByChars(this.cached.counts.get(sessionId));
  }
}

export function rankByChars(chars: ReadonlyMap<string, number> | undefined): string[] {
  return [...(chars ?? [])]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name]) => name);
}
