import type http from 'node:http';

/** What Express leaves on a request it routed: the matched route, as declared. */
interface RoutedRequest extends http.IncomingMessage {
  route?: { path?: unknown };
  originalUrl?: string;
}

/**
 * The route template that answered a request, as declared in the routers
 * (`/api/sessions/:sessionId/minutes`), for metric labels and logs: never the
 * raw path, so no id, slug or token makes a label. Requests no route took
 * fall into a few fixed names.
 *
 * Express keeps the matched route on the request; routers are mounted at
 * `/api` or at the root (server/http/app.ts), so the mount point follows
 * from the path.
 */
export function routeTemplate(req: http.IncomingMessage, status: number): string {
  const r = req as RoutedRequest;
  const pathname = (r.originalUrl ?? r.url ?? '/').split('?')[0]!;
  const declared = r.route?.path;
  if (typeof declared === 'string') return pathname.startsWith('/api/') ? `/api${declared === '/' ? '' : declared}` : declared;
  if (declared instanceof RegExp) return '(app page)';
  if (pathname.startsWith('/assets/')) return '/assets/*';
  if (status === 503) return '(refused)';
  if (status === 404) return pathname.startsWith('/api/') ? '/api/*' : '(not found)';
  return status < 400 ? '(static)' : '(other)';
}
