import { useEffect } from 'react';
import type * as Y from 'yjs';
import { apiClient } from './api.js';
import { rememberSeenRev } from './seenRevision.js';

/**
 * How often, at most, an open and visible session page asks which version it is showing (only after the notes
 * changed). Rare on purpose: every open page of a live event asks (a meetup has hundreds), and a version list
 * reads the session's history; leaving the page or hiding it asks at once, which is when it matters.
 */
export const SEEN_EVERY_MS = 120_000;

/**
 * Remembers on this device the newest version the session page has shown,
 * for the timeslider's "Compare with what I saw last". The page does not know
 * version numbers, so it asks the server (one version of the list) — never
 * per keystroke: when the page is hidden (tab switched, phone locked) or left
 * in the app, and at most every SEEN_EVERY_MS while it stays visible, each
 * time only if the notes changed since (or it has not asked yet). A tab
 * closed outright may not get its answer in time.
 */
export function useRememberSeen(sessionId: string, token: string | null, doc: Y.Doc | null, connected: boolean): void {
  useEffect(() => {
    if (!token || !doc || !connected) return;
    const api = apiClient(token);
    // The notes on screen on arrival (once synced) count as seen too.
    let dirty = true;
    let asking = false;
    const onUpdate = () => {
      dirty = true;
    };
    const ask = () => {
      if (!dirty || asking) return;
      dirty = false;
      asking = true;
      api.history(sessionId, { limit: 1 }).then(
        (list) => rememberSeenRev(sessionId, list.latest),
        () => {
          dirty = true;
        },
      ).finally(() => {
        asking = false;
      });
    };
    doc.on('update', onUpdate);
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') ask();
    }, SEEN_EVERY_MS);
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') ask();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      doc.off('update', onUpdate);
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      ask();
    };
  }, [sessionId, token, doc, connected]);
}
