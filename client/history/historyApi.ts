import type { HistoryListDto, NamedVersionDto, RestoreResultDto, VersionDocDto } from '../../shared/history/history.js';
import { apiFetch } from '../lib/api.js';

/** The history API of one session (README, HTTP API), with the event's link as the token. */
export function historyApi(sessionId: string, token: string | null) {
  const base = `/api/sessions/${encodeURIComponent(sessionId)}`;
  return {
    list: () => apiFetch<HistoryListDto>(`${base}/history?limit=1000`, { token }),
    /** A version's notes with authorship; with `diffFrom`, what changed between that version and this one. */
    version: (rev: number, diffFrom?: number) => apiFetch<VersionDocDto>(`${base}/history/${rev}${diffFrom !== undefined ? `?diff=${diffFrom}` : ''}`, { token }),
    restore: (rev: number, blockId?: string) => apiFetch<RestoreResultDto>(`${base}/restore`, { token, method: 'POST', body: blockId ? { rev, blockId } : { rev } }),
    name: (rev: number, name: string) => apiFetch<NamedVersionDto>(`${base}/versions`, { token, method: 'POST', body: { rev, name } }),
  };
}

export type HistoryApi = ReturnType<typeof historyApi>;

const seenKey = (sessionId: string) => `roundtable:history:seen:${sessionId}`;

/** The newest version this device has looked at ("since I last looked"), or null. */
export function lastSeenRev(sessionId: string): number | null {
  const v = Number(localStorage.getItem(seenKey(sessionId)));
  return Number.isInteger(v) && v > 0 ? v : null;
}

export function rememberSeenRev(sessionId: string, rev: number): void {
  if (rev > 0) localStorage.setItem(seenKey(sessionId), String(rev));
}
