import { TOKEN_PATTERN } from '../../shared/ids.js';

/** Reads `#k=<token>` from a URL fragment. */
export function tokenFromHash(hash: string): string | null {
  const m = /(?:^#|&)k=([^&]+)/.exec(hash);
  const token = m ? decodeURIComponent(m[1]!) : null;
  return token && TOKEN_PATTERN.test(token) ? token : null;
}

/** Parses a pasted Roundtable link into the event ref and token. */
export function parseEventLink(link: string): { eventRef: string; token: string; path: string } | null {
  try {
    const url = new URL(link.trim());
    const m = /^\/e\/([^/]+)/.exec(url.pathname);
    const token = tokenFromHash(url.hash);
    if (!m || !token) return null;
    return { eventRef: decodeURIComponent(m[1]!), token, path: url.pathname };
  } catch {
    return null;
  }
}

const key = (eventRef: string) => `roundtable:token:${eventRef}`;

export function storeToken(eventRef: string, token: string): void {
  localStorage.setItem(key(eventRef), token);
}

export function storedToken(eventRef: string): string | null {
  return localStorage.getItem(key(eventRef));
}

export interface RecentEvent {
  ref: string;
  title: string;
  role: string;
  at: number;
}

const RECENT = 'roundtable:recent';

export function recentEvents(): RecentEvent[] {
  try {
    const v = JSON.parse(localStorage.getItem(RECENT) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as RecentEvent[]).filter((r) => typeof r?.ref === 'string').slice(0, 10) : [];
  } catch {
    return [];
  }
}

export function rememberEvent(e: RecentEvent): void {
  const list = [e, ...recentEvents().filter((r) => r.ref !== e.ref)].slice(0, 10);
  localStorage.setItem(RECENT, JSON.stringify(list));
}
