import type { SearchResponseDto } from '../../shared/search/types.js';
import { apiClient } from '../lib/api.js';

/** One search request; `signal` cancels it when a newer query supersedes it. */
export function fetchSearch(eventRef: string, token: string, q: string, signal: AbortSignal, limit?: number): Promise<SearchResponseDto> {
  return apiClient(token).search(eventRef, q, { limit, signal });
}
