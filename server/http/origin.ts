import type { Request } from 'express';

/** The base URL links are built on: the configured public URL, else the request's own host. */
export function requestOrigin(publicUrl: string | null, req: Request): string {
  return publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export interface OriginPolicy {
  /** PUBLIC_URL, when configured: then the app's own origin is exactly its origin. */
  publicUrl: string | null;
  /** Further origins allowed to open WebSockets (ALLOWED_ORIGINS), already normalised. */
  allowedOrigins: readonly string[];
}

/**
 * Whether a WebSocket upgrade carrying `origin` may proceed. Browsers always
 * send Origin on upgrades, so a request without one is not a browser page
 * (a stock y-websocket client, a bot) and is allowed: the token still
 * decides what it may do. A page's origin must be the app's own: PUBLIC_URL
 * when set, otherwise the host the request was sent to (`host`), or one of
 * ALLOWED_ORIGINS. "null" (sandboxed frames, files) is never allowed.
 */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, policy: OriginPolicy): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (policy.allowedOrigins.includes(parsed.origin)) return true;
  if (policy.publicUrl !== null) return parsed.origin === new URL(policy.publicUrl).origin;
  return host !== undefined && parsed.host === host.toLowerCase();
}

/** Normalises one configured origin (`https://Example.org/` → `https://example.org`), or null if it is not one. */
export function normaliseOrigin(text: string): string | null {
  try {
    const u = new URL(text.trim());
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.pathname.replace(/\/+$/, '') !== '' || u.search || u.hash) return null;
    return u.origin;
  } catch {
    return null;
  }
}
