import { useEffect, useState } from 'react';

export type EventView = 'sessions' | 'board' | 'index' | 'contributors';

export type Route =
  | { name: 'home' }
  | { name: 'event'; eventRef: string; view: EventView }
  | { name: 'session'; eventRef: string; sessionId: string }
  | { name: 'present'; eventRef: string; sessionId: string }
  | { name: 'history'; eventRef: string; sessionId: string }
  | { name: 'notFound' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'e' || !parts[1]) return { name: 'notFound' };
  const eventRef = parts[1];
  if (parts.length === 2) return { name: 'event', eventRef, view: 'sessions' };
  if (parts.length === 3 && parts[2] === 'actions') return { name: 'event', eventRef, view: 'board' };
  if (parts.length === 3 && parts[2] === 'index') return { name: 'event', eventRef, view: 'index' };
  if (parts.length === 3 && parts[2] === 'contributors') return { name: 'event', eventRef, view: 'contributors' };
  if (parts[2] === 's' && parts[3] && parts.length === 4) return { name: 'session', eventRef, sessionId: parts[3] };
  if (parts[2] === 's' && parts[3] && parts[4] === 'present' && parts.length === 5) return { name: 'present', eventRef, sessionId: parts[3] };
  if (parts[2] === 's' && parts[3] && parts[4] === 'history' && parts.length === 5) return { name: 'history', eventRef, sessionId: parts[3] };
  return { name: 'notFound' };
}

/** Client-side navigation; the token fragment is kept so the address bar can always be copied. */
export function navigate(path: string): void {
  const hash = window.location.hash;
  window.history.pushState(null, '', path + (path.includes('#') ? '' : hash));
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return route;
}

/** The session page (or its projector) opened at a target in its notes: what search results and the action board link to (read back by search/searchTarget.ts). */
export function sessionTargetPath(eventSlug: string, sessionId: string, target: { blockId?: string | null; actionItemId?: string | null; text?: string | null } | null, present = false): string {
  const base = `/e/${encodeURIComponent(eventSlug)}/s/${sessionId}${present ? '/present' : ''}`;
  const params = new URLSearchParams();
  if (target?.blockId) params.set('b', target.blockId);
  if (target?.actionItemId) params.set('a', target.actionItemId);
  if (target?.text) params.set('m', target.text.slice(0, 100));
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}
