import type { SearchResultDto } from '../../shared/search/types.js';
import { sessionTargetPath } from '../lib/router.js';

/** Where a search result points inside a session's notes; carried in the session URL's query string. */
export interface SearchTarget {
  /** The block's Yjs id ("client-clock"). */
  blockId: string | null;
  /** The action item the block carried (found again even if the block was re-created). */
  actionItemId: string | null;
  /** What matched, as written: the last resort, when neither id is in the notes any more. */
  text: string | null;
}

const BLOCK_ID = /^\d{1,10}-\d{1,12}$/;
const ITEM_ID = /^[a-z2-7]{16}$/;

/** The address of a result: the session page (or its projector) with the target in the query string. */
export function targetPath(eventSlug: string, r: SearchResultDto, present = false): string {
  if (r.kind !== 'notes') return sessionTargetPath(eventSlug, r.sessionId, null, present);
  const first = r.highlights[0];
  return sessionTargetPath(eventSlug, r.sessionId, { blockId: r.blockId, actionItemId: r.actionItemId, text: first ? r.snippet.slice(first[0], first[1]) : null }, present);
}


export function targetFromQuery(search: string): SearchTarget | null {
  const p = new URLSearchParams(search);
  const blockId = p.get('b');
  const actionItemId = p.get('a');
  const text = p.get('m')?.slice(0, 100) || null;
  const target = { blockId: blockId && BLOCK_ID.test(blockId) ? blockId : null, actionItemId: actionItemId && ITEM_ID.test(actionItemId) ? actionItemId : null, text };
  return target.blockId || target.actionItemId || target.text ? target : null;
}
