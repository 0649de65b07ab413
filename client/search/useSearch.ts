import { useEffect, useState } from 'react';
import type { SearchResponseDto } from '../../shared/search/types.js';
import { ApiError } from '../lib/api.js';
import { fetchSearch } from './searchApi.js';

export interface SearchState {
  /** The query the results are for ('' before the first search). */
  query: string;
  loading: boolean;
  response: SearchResponseDto | null;
  error: ApiError | null;
}

const IDLE: SearchState = { query: '', loading: false, response: null, error: null };

/**
 * Live search as people type: waits `debounceMs` after the last keystroke,
 * and a newer query aborts the request of an older one, so results never
 * arrive out of order.
 */
export function useSearch(eventRef: string, token: string, input: string, debounceMs = 200): SearchState {
  const [state, setState] = useState<SearchState>(IDLE);
  const q = input.trim();
  useEffect(() => {
    if (!q) {
      setState(IDLE);
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      fetchSearch(eventRef, token, q, controller.signal).then(
        (response) => setState({ query: q, loading: false, response, error: null }),
        (err: unknown) => {
          if (controller.signal.aborted) return;
          setState({ query: q, loading: false, response: null, error: err instanceof ApiError ? err : new ApiError(0, 'network', String(err)) });
        },
      );
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [eventRef, token, q, debounceMs]);
  return state;
}
