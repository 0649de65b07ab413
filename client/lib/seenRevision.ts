/** What "Compare with what I saw last" on the timeslider compares with: kept per session on this device. */
const seenKey = (sessionId: string) => `roundtable:history:seen:${sessionId}`;

/** The newest version this device has looked at ("since I last looked"), or null. */
export function lastSeenRev(sessionId: string): number | null {
  const v = Number(localStorage.getItem(seenKey(sessionId)));
  return Number.isInteger(v) && v > 0 ? v : null;
}

export function rememberSeenRev(sessionId: string, rev: number): void {
  if (rev > 0) localStorage.setItem(seenKey(sessionId), String(rev));
}
