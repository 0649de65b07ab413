import type { ApiErrorBody } from '../../shared/errors.js';
import type { SearchResponseDto } from '../../shared/search/types.js';
import { ApiError } from '../lib/api.js';

/** One search request; `signal` cancels it when a newer query supersedes it. */
export async function fetchSearch(eventRef: string, token: string, q: string, signal: AbortSignal, limit?: number): Promise<SearchResponseDto> {
  const params = new URLSearchParams({ q });
  if (limit) params.set('limit', String(limit));
  let res: Response;
  try {
    res = await fetch(`/api/events/${encodeURIComponent(eventRef)}/search?${params}`, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store', signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new ApiError(0, 'network', 'network error');
  }
  const text = await res.text();
  if (!res.ok) {
    let e: ApiErrorBody['error'] | undefined;
    try {
      e = (JSON.parse(text) as ApiErrorBody | null)?.error;
    } catch {
      e = undefined;
    }
    throw new ApiError(res.status, typeof e?.code === 'string' ? e.code : 'error', e?.message ?? res.statusText, e?.details, e?.params);
  }
  return JSON.parse(text) as SearchResponseDto;
}
