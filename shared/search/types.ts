import type { ActionItemStatus } from '../schemas.js';
import type { TextRange } from './snippet.js';

/** Where a result was found: a block of the notes, the session's title, or its moderators. */
export type SearchHitKind = 'notes' | 'title' | 'moderators';

/** One hit of `GET /api/events/:eventId/search`. */
export interface SearchResultDto {
  sessionId: string;
  sessionTitle: string;
  rooms: string[];
  startsAt: string | null;
  endsAt: string | null;
  kind: SearchHitKind;
  /** The block's stable address (its Yjs id, "client-clock"); null for title and moderator hits. */
  blockId: string | null;
  /** The action item the block carries, if any (a second way to find the block). */
  actionItemId: string | null;
  /** The heading the block sits under ('' when none). */
  heading: string;
  /** Plain text (never HTML): render it as text, with `highlights` as ranges of it. */
  snippet: string;
  highlights: TextRange[];
  isActionItem: boolean;
  status: ActionItemStatus | null;
}

export interface SearchResponseDto {
  /** Grouped by session (a session's hits are consecutive), best session first. */
  results: SearchResultDto[];
  /** More matched than `limit` (or than the server looks at): refine the query. */
  truncated: boolean;
}
