import { Router } from 'express';
import { DomainError } from '../domainError.js';

/**
 * History's routes on a server that stores in PostgreSQL: versions are folded
 * from SQLite's update log, so until history has a PostgreSQL store the
 * routes say so (501 history_unavailable) instead of showing no versions.
 */
export function historyUnavailable(): Router {
  const r = Router();
  const refuse = () => {
    throw new DomainError('history_unavailable');
  };
  for (const path of ['/sessions/:sessionId/history', '/sessions/:sessionId/history/:rev', '/sessions/:sessionId/authors', '/sessions/:sessionId/versions']) r.get(path, refuse);
  for (const path of ['/sessions/:sessionId/versions', '/sessions/:sessionId/restore', '/sessions/:sessionId/revert-author']) r.post(path, refuse);
  return r;
}
