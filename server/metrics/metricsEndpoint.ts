import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { collectDefaultMetrics, type Registry } from 'prom-client';
import { DomainError } from '../domainError.js';
import { sendError } from '../http/errorResponse.js';

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * GET /metrics in the Prometheus text format: this server's registry, plus
 * Node's default process metrics, registered on the first scrape (their
 * event-loop and GC observers cost nothing until someone looks). With a
 * token, only `Authorization: Bearer <METRICS_TOKEN>` may read it.
 */
export function metricsHandler(registry: Registry, token: string | null): NodeHandler {
  let defaults = false;
  const wanted = token ? digest(token) : null;
  return (req, res) => {
    if (wanted) {
      const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (!m || !timingSafeEqual(digest(m[1]!), wanted)) {
        sendError(res, new DomainError('metrics_token_required'), { 'WWW-Authenticate': 'Bearer realm="metrics"' });
        return;
      }
    }
    if (!defaults) {
      defaults = true;
      collectDefaultMetrics({ register: registry });
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
        res.end(text);
      },
      (err: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`# metrics failed: ${err instanceof Error ? err.message : String(err)}\n`);
      },
    );
  };
}

/** /metrics on the main port, as an Express router. */
export function metricsRoutes(handler: NodeHandler): Router {
  const r = Router();
  r.get('/metrics', (req, res) => handler(req, res));
  return r;
}

/** /metrics alone on its own port (METRICS_PORT), e.g. reachable only from the monitoring network. */
export async function startMetricsServer(handler: NodeHandler, port: number, host: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) return handler(req, res);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found: this port serves /metrics only\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
