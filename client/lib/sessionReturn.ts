/**
 * "This session is in the event again": an event page's stream saw a session
 * (re)appear, typically a moderator's Undo after deleting it. A notes
 * connection that the server closed with 4404 (session gone) listens for its
 * own session here and reconnects at once, instead of waiting for its slow
 * retry (collabSession.ts). The two sides share no module: they meet on an
 * EventTarget (the page's window), so each page, and each test, has its own.
 *
 * @example
 * const stop = onSessionBack(window, 's1', () => reconnect());
 * announceSessionsBack(window, ['s1']); // → reconnect() runs
 * stop();
 */
const SESSIONS_BACK = 'roundtable:sessions-back';

export function onSessionBack(target: EventTarget, sessionId: string, listener: () => void): () => void {
  const handler = (e: Event) => {
    if ((e as CustomEvent<readonly string[]>).detail.includes(sessionId)) listener();
  };
  target.addEventListener(SESSIONS_BACK, handler);
  return () => target.removeEventListener(SESSIONS_BACK, handler);
}

/** Tells every listener of these sessions that they are in the event (again). */
export function announceSessionsBack(target: EventTarget, sessionIds: Iterable<string>): void {
  target.dispatchEvent(new CustomEvent(SESSIONS_BACK, { detail: [...sessionIds] }));
}
