import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError } from './domainError.js';
import { sendError } from './http/errorResponse.js';
import type { Logger } from './logger.js';

export interface HttpFrontDeps {
  /** The Express app (everything but WebSocket upgrades). */
  app: http.RequestListener;
  /** WebSocket upgrades; returns false for a path that is not its. */
  upgrade(req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): boolean;
  /** True once a graceful stop began: everything but the probes is refused. */
  draining(): boolean;
  /** True while storage refuses writes: API writes are refused before they reach a route. */
  fenced(): boolean;
  log: Logger;
}

/**
 * The one port: HTTP requests, WebSocket upgrades, and what is refused
 * before routing (503 while stopping, API writes while storage is fenced).
 * It knows the requests still being answered, so a graceful stop can let
 * them finish (an export) or refuse them cleanly.
 */
export class HttpFront {
  readonly server: http.Server;
  private readonly inFlight = new Set<http.ServerResponse>();

  constructor(deps: HttpFrontDeps) {
    this.server = http.createServer((req, res) => {
      const pathname = (req.url ?? '/').split('?')[0]!;
      const probe = pathname === '/healthz' || pathname === '/readyz' || pathname === '/metrics';
      if (deps.draining() && !probe) return refuse(res, 'shutting_down');
      if (deps.fenced() && pathname.startsWith('/api/') && req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 'storage_unavailable');
      this.inFlight.add(res);
      res.on('close', () => this.inFlight.delete(res));
      deps.app(req, res);
    });
    this.server.on('upgrade', (req, socket, head) => {
      try {
        if (!deps.upgrade(req, socket, head)) socket.destroy();
      } catch (err) {
        deps.log.error('upgrade failed', { error: err instanceof Error ? err.message : String(err) });
        socket.destroy();
      }
    });
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Requests still being answered. */
  unfinished(): http.ServerResponse[] {
    return [...this.inFlight].filter((r) => !r.writableEnded);
  }

  /** At the deadline: what still runs is refused (503 when nothing was sent yet) or cut. */
  cutUnfinished(): void {
    for (const res of this.unfinished()) {
      if (!res.headersSent) refuse(res, 'shutting_down');
      else res.destroy();
    }
  }
}

/** Answers outside Express (before routing): the same error body the API uses. */
function refuse(res: http.ServerResponse, code: 'shutting_down' | 'storage_unavailable'): void {
  sendError(res, new DomainError(code), { 'Retry-After': '5', Connection: 'close' });
}
