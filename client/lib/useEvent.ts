import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { ApiError, apiFetch } from './api.js';
import { rememberEvent } from './tokens.js';

export interface EventState {
  event: EventWithSessionsDto | null;
  error: ApiError | null;
  /** Bumped whenever the server says action items changed. */
  actionItemsVersion: number;
  reload(): void;
}

const cacheKey = (ref: string) => `roundtable:event:${ref}`;

/**
 * The event with its sessions, kept current by the server's event stream
 * (fetch-based SSE, so the token travels in a header). The last good copy is
 * cached so pages render offline.
 */
export function useEvent(eventRef: string, token: string | null): EventState {
  const [event, setEvent] = useState<EventWithSessionsDto | null>(() => {
    try {
      return JSON.parse(localStorage.getItem(cacheKey(eventRef)) ?? 'null') as EventWithSessionsDto | null;
    } catch {
      return null;
    }
  });
  const [error, setError] = useState<ApiError | null>(null);
  const [actionItemsVersion, setVersion] = useState(0);
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const eventRefLatest = useRef(event);
  eventRefLatest.current = event;

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    apiFetch<EventWithSessionsDto>(`/api/events/${encodeURIComponent(eventRef)}`, { token }).then(
      (e) => {
        if (cancelled) return;
        setEvent(e);
        setError(null);
        localStorage.setItem(cacheKey(eventRef), JSON.stringify(e));
        rememberEvent({ ref: e.slug, title: e.title, role: e.role, at: Date.now() });
      },
      (err: unknown) => !cancelled && setError(err instanceof ApiError ? err : new ApiError(0, 'network', String(err))),
    );
    return () => {
      cancelled = true;
    };
  }, [eventRef, token, nonce]);

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    let retry = 1000;
    const run = async () => {
      while (!controller.signal.aborted) {
        try {
          const res = await fetch(`/api/events/${encodeURIComponent(eventRef)}/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
          if (res.status === 401 || res.status === 404) return;
          if (!res.ok || !res.body) throw new Error(String(res.status));
          retry = 1000;
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true });
            let idx: number;
            while ((idx = buffer.indexOf('\n\n')) >= 0) {
              const chunk = buffer.slice(0, idx);
              buffer = buffer.slice(idx + 2);
              const name = /^event: (.*)$/m.exec(chunk)?.[1];
              const data = /^data: (.*)$/m.exec(chunk)?.[1];
              if (name === 'sessions' && data) {
                const { sessions, event: meta } = JSON.parse(data) as { sessions: SessionDto[]; event?: Pick<EventWithSessionsDto, 'title' | 'timezone' | 'language'> | null };
                const prev = eventRefLatest.current;
                if (prev) {
                  const next = { ...prev, ...(meta ?? {}), sessions };
                  setEvent(next);
                  localStorage.setItem(cacheKey(eventRef), JSON.stringify(next));
                } else setNonce((n) => n + 1);
              } else if (name === 'actionItems') setVersion((v) => v + 1);
            }
          }
        } catch {
          if (controller.signal.aborted) return;
        }
        await new Promise((r) => setTimeout(r, retry));
        retry = Math.min(retry * 2, 15_000);
      }
    };
    void run();
    return () => controller.abort();
  }, [eventRef, token]);

  return { event, error, actionItemsVersion, reload };
}
