import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { LIMITS } from '../../shared/limits.js';
import type { Logger } from '../logger.js';
import type { Readiness } from '../storage/storageHealth.js';
import { DomainError } from '../domainError.js';
import { errorHandler } from './errorResponse.js';
import { securityHeaders } from './securityHeaders.js';

export interface AppDeps {
  log: Logger;
  /** Built client (index.html + assets); null serves the API only. */
  clientDir: string | null;
  /** API routers mounted under /api after the JSON body parser. */
  routes: express.Router[];
  /** API routers that read raw request bodies, mounted before the JSON parser. */
  rawBodyRoutes?: express.Router[];
  /** Routers for pages outside /api (e.g. /j/<code>), mounted before the client shell. */
  pageRoutes?: express.Router[];
  /** Readiness for /readyz; without it the server counts as ready once it answers. */
  readiness?: () => Readiness;
}

/** The Express app, without listening: tests and the CLI can build it freely. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(securityHeaders());

  // Liveness: the process answers. It says nothing about storage; /readyz does.
  app.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ok: true });
  });

  // Readiness: storage reachable and writable, migrations done, files unchanged, last write fine, not draining.
  app.get('/readyz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const r = deps.readiness?.() ?? { ready: true, checks: {} };
    res.status(r.ready ? 200 : 503).json(r);
  });

  const api = express.Router();
  for (const r of deps.rawBodyRoutes ?? []) api.use(r);
  api.use(express.json({ limit: LIMITS.maxJsonBodyBytes }));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  for (const r of deps.routes) api.use(r);
  api.use(() => {
    throw new DomainError('endpoint_not_found');
  });
  app.use('/api', api);
  for (const r of deps.pageRoutes ?? []) app.use(r);

  if (deps.clientDir && fs.existsSync(path.join(deps.clientDir, 'index.html'))) {
    const indexHtml = path.join(deps.clientDir, 'index.html');
    app.use('/assets', express.static(path.join(deps.clientDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
    app.use(express.static(deps.clientDir, { index: false }));
    // Client-side routes all load the app shell.
    app.get(/^\/(?:e\/.*)?$/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(indexHtml);
    });
  }
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('not found');
  });
  app.use(errorHandler(deps.log));
  return app;
}
