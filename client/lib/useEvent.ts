import { useCallback, useEffect, useRef, useState } from 'react';
import { applyEventStreamMessage, parseEventStreamMessage, type EventStreamView } from '../../shared/eventStream.js';
import type { EventWithSessionsDto } from '../../shared/schemas.js';
import { readSseFrames } from '../../shared/sseFrames.js';
import { apiClient, ApiError } from './api.js';
import { announceSessionsBack } from './sessionReturn.js';
import { rememberEvent } from './tokens.js';

export interface EventState {
  event: EventWithSessionsDto | null;
  error: ApiError | null;
  /** Bumped whenever the server says action items changed. */
  actionItemsVersion: number;
  /**
   * Bumped when a moderator rotated one of the event's links (only a moderate link's stream hears it) and
   * whenever the stream starts again after a drop (a rotation may have been missed): fetch the links again.
   */
  linksVersion: number;
  /**
   * Set when this page's link stopped working while open: 'revoked' when a moderator rotated it (the stream says so),
   * 'unauthorized' when the stream, reconnecting, is refused. The page says so and takes the new link (ConnectionBanner).
   */
  linkStatus: 'revoked' | 'unauthorized' | null;
  reload(): void;
}

/**
 * The cached copy belongs to the link that fetched it: another link to the
 * same event (a view link opened after the moderate one, on a projector) must
 * not render with the other's role, even until its own copy arrives. Keyed by
 * a short hash, not the token itself.
 */
const cacheKey = (ref: string, token: string | null) => `roundtable:event:${ref}:${token ? tokenTag(token) : 'none'}`;

function cached(ref: string, token: string | null): EventWithSessionsDto | null {
  if (!token) return null;
  try {
    return JSON.parse(localStorage.getItem(cacheKey(ref, token)) ?? 'null') as EventWithSessionsDto | null;
  } catch {
    return null;
  }
}

function tokenTag(token: string): string {
  // FNV-1a: stable and short; nothing secret depends on it (the tokens themselves sit in localStorage already).
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/** The REST copy with what the stream says on top (the stream is live, so it is never older). */
function merge(base: EventWithSessionsDto, view: EventStreamView | null): EventWithSessionsDto {
  return view ? { ...base, ...view.event, sessions: view.sessions } : base;
}

/**
 * The event with its sessions, kept current by the server's event stream
 * (fetch-based SSE, so the token travels in a header): a full snapshot when
 * the stream opens, then deltas (shared/eventStream.ts). When the server
 * closes a stream that fell behind, the loop reconnects and starts again from
 * a fresh snapshot. The last good copy is cached so pages render offline.
 */
export function useEvent(eventRef: string, token: string | null): EventState {
  // The copy shown belongs to one link (cacheKey): when the page moves to another event or link, it is swapped for
  // that link's cached copy in the same render, so the last link's copy (and role) is never drawn for the new one.
  const key = cacheKey(eventRef, token);
  const [shown, setShown] = useState<{ key: string; event: EventWithSessionsDto | null }>(() => ({ key, event: cached(eventRef, token) }));
  if (shown.key !== key) setShown({ key, event: cached(eventRef, token) });
  const event = shown.key === key ? shown.event : null;
  const [error, setError] = useState<ApiError | null>(null);
  const [actionItemsVersion, setVersion] = useState(0);
  const [linksVersion, setLinksVersion] = useState(0);
  const [nonce, setNonce] = useState(0);
  const [link, setLink] = useState<{ key: string; status: 'revoked' | 'unauthorized' } | null>(null);
  const linkStatus = link && link.key === key ? link.status : null;
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  /** The last event fetched over REST in this page (not the offline cache). */
  const base = useRef<EventWithSessionsDto | null>(null);
  /** What the current stream has told since its snapshot. */
  const view = useRef<EventStreamView | null>(null);

  const show = useCallback(
    (next: EventWithSessionsDto) => {
      setShown({ key, event: next });
      localStorage.setItem(key, JSON.stringify(next));
    },
    [key],
  );

  useEffect(() => {
    base.current = null;
    view.current = null;
  }, [eventRef, token]);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    apiClient(token).getEvent(eventRef).then(
      (e) => {
        if (cancelled) return;
        base.current = e;
        show(merge(e, view.current));
        setError(null);
        rememberEvent({ ref: e.slug, title: e.title, role: e.role, at: Date.now() });
      },
      (err: unknown) => !cancelled && setError(err instanceof ApiError ? err : new ApiError(0, 'network', String(err))),
    );
    return () => {
      cancelled = true;
    };
  }, [eventRef, token, nonce, show]);

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    let retry = 1000;
    let streams = 0;
    const run = async () => {
      while (!controller.signal.aborted) {
        try {
          const res = await apiClient(token)
            .send(`/api/events/${encodeURIComponent(eventRef)}/stream`, { signal: controller.signal })
            .catch((err: unknown) => {
              // The link is gone (rotated) or the event is: reconnecting would never work.
              if (err instanceof ApiError && [401, 403, 404].includes(err.status)) {
                if (err.status === 401) setLink({ key, status: 'unauthorized' });
                return null;
              }
              throw err;
            });
          if (!res) return;
          if (!res.body) throw new Error(String(res.status));
          view.current = null;
          // A stream after the first: a rotation may have happened while none was open.
          if (streams++ > 0) setLinksVersion((v) => v + 1);
          for await (const { event: name, data } of readSseFrames(res.body)) {
            retry = 1000;
            let json: unknown;
            try {
              json = JSON.parse(data);
            } catch {
              continue;
            }
            const msg = parseEventStreamMessage(json);
            if (!msg) continue;
            if (msg.type === 'actionItems') setVersion((v) => v + 1);
            if (msg.type === 'revoked') {
              // The link was replaced: the stream ends for good, and the page says so instead of freezing silently.
              setLink({ key, status: 'revoked' });
              return;
            }
            if (msg.type === 'linksRotated') setLinksVersion((v) => v + 1);
            if (msg.type === 'ping' || msg.type === 'actionItems' || msg.type === 'linksRotated') continue;
            view.current = applyEventStreamMessage(view.current, msg);
            // A session back in the event (a moderator's Undo of a delete): its open notes connection reconnects now.
            if (msg.type === 'sessionAdded') announceSessionsBack(window, [msg.session.id]);
            else if (msg.type === 'snapshot') announceSessionsBack(window, msg.sessions.map((s) => s.id));
            if (base.current) show(merge(base.current, view.current));
            else if (name === 'snapshot') setNonce((n) => n + 1);
          }
        } catch {
          if (controller.signal.aborted) return;
        }
        // Backs off with jitter, so many readers whose streams closed together do not return together.
        await new Promise((r) => setTimeout(r, retry * (0.5 + Math.random() / 2)));
        retry = Math.min(retry * 2, 15_000);
      }
    };
    void run();
    return () => controller.abort();
  }, [eventRef, token, key, show]);

  return { event, error, actionItemsVersion, linksVersion, linkStatus, reload };
}
