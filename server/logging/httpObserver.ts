import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { Counter, type Registry } from 'prom-client';
import { isEventRef, isId } from '../../shared/ids.js';
import type { Logger } from '../logger.js';
import { redactText } from './redactSecrets.js';
import type { RequestScope } from './requestScope.js';
import { routeTemplate } from './routeTemplate.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** An id from a proxy in front of us is kept when it is short and plain, so one id follows a request through both logs. */
const FORWARDED_ID = /^[A-Za-z0-9._:-]{8,64}$/;
/** Probes and scrapes every few seconds would drown the log: they log at debug. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/** The event and session a path names, where it names them (ids and slugs are names, not secrets). */
export function subjectOf(pathname: string): { eventId?: string; sessionId?: string } {
  const parts = pathname.split('/');
  const at = (i: number) => {
    try {
      return decodeURIComponent(parts[i] ?? '');
    } catch {
      return '';
    }
  };
  if (parts[1] === 'api' && parts[2] === 'events' && isEventRef(at(3))) return { eventId: at(3) };
  if (parts[1] === 'api' && parts[2] === 'sessions' && isId(at(3))) return { sessionId: at(3) };
  if (parts[1] === 'e' && isEventRef(at(2))) return parts[3] === 's' && isId(at(4)) ? { eventId: at(2), sessionId: at(4) } : { eventId: at(2) };
  return {};
}

export interface HttpObserverOptions {
  log: Logger;
  requests: RequestScope;
  registry: Registry;
  now?: () => number;
}

/**
 * Wraps the server's request handler: every request gets an id (echoed as
 * X-Request-Id, and on every log line written while it is answered), one
 * access-log line when it ends (method, route, status, time; the URL only
 * with its secrets redacted), and a count in
 * `roundtable_http_requests_total{route,status}` where the route is the
 * template that answered it, never the raw path.
 */
export function httpObserver(opts: HttpObserverOptions): (handler: Handler) => Handler {
  const now = opts.now ?? (() => performance.now());
  const requestsTotal = new Counter({
    name: 'roundtable_http_requests_total',
    help: 'HTTP requests answered, by route template and status.',
    labelNames: ['route', 'status'],
    registers: [opts.registry],
  });
  return (handler) => (req, res) => {
    const started = now();
    const forwarded = req.headers['x-request-id'];
    const reqId = typeof forwarded === 'string' && FORWARDED_ID.test(forwarded) ? forwarded : randomBytes(8).toString('hex');
    res.setHeader('X-Request-Id', reqId);
    const pathname = (req.url ?? '/').split('?')[0]!;
    const scope = opts.requests.run({ reqId, ...subjectOf(pathname) }, () => {
      res.once('close', () => {
        const route = routeTemplate(req, res.statusCode);
        // A live stream (Server-Sent Events) ends when the browser leaves the page: served, not aborted.
        const stream = res.headersSent && String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');
        const status = res.writableFinished || stream ? res.statusCode : 0;
        requestsTotal.inc({ route, status: String(status) });
        const fields = {
          method: req.method,
          // Redacted here, whatever logger is plugged in (pino's redacts again); kept for the other parameters (format, dryRun…).
          url: redactText(req.url ?? '/'),
          route,
          status,
          ms: Math.round((now() - started) * 10) / 10,
          ...(res.writableFinished ? {} : stream ? { closedBy: 'client' } : { aborted: true }),
        };
        if (QUIET_ROUTES.has(route)) opts.log.debug('request', fields);
        else if (status >= 500 || status === 0) opts.log.warn('request', fields);
        else opts.log.info('request', fields);
        scope.end();
      });
      handler(req, res);
    });
  };
}
