import { Router } from 'express';
import { DomainError } from '../domainError.js';
import type { Search } from './createSearch.js';

/**
 * Search on a server that stores in PostgreSQL: its index is SQLite's FTS5
 * in the data directory, one per process, so it would answer from whatever
 * this process happened to index. Until search has a PostgreSQL index, the
 * route says so (501 search_unavailable) instead of answering incompletely.
 */
export function searchUnavailable(search: Search): Search {
  return {
    ...search,
    routes: () =>
      Router().get('/events/:eventId/search', () => {
        throw new DomainError('search_unavailable');
      }),
  };
}
