import { apiClient } from '../lib/api.js';
import { storedName } from '../lib/identity.js';

/** The history API of one session (README, HTTP API), with the event's link as the token. */
export function historyApi(sessionId: string, token: string | null) {
  const api = apiClient(token);
  return {
    list: () => api.history(sessionId, { limit: 1000 }),
    /** A version's notes with authorship; with `diffFrom`, what changed between that version and this one. */
    version: (rev: number, diffFrom?: number) => api.historyVersion(sessionId, rev, diffFrom),
    /** Credited to the name this device writes notes under (read at the click: the session page may have changed it). */
    restore: (rev: number, blockId?: string) => api.restore(sessionId, rev, blockId, storedName()),
    name: (rev: number, name: string) => api.nameVersion(sessionId, rev, name),
    /** Undoes one person's changes after a version's last change, credited like a restore. */
    revertAuthor: (name: string, since: string) => api.revertAuthor(sessionId, name, since, storedName()),
  };
}

export type HistoryApi = ReturnType<typeof historyApi>;
