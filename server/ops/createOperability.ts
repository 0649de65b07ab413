import type http from 'node:http';
import type { Router } from 'express';
import { Gauge, Registry } from 'prom-client';
import type { ActionItemStore } from '../storage/ports.js';
import { BackupSchedule } from '../backup/backupSchedule.js';
import type { RoomExtension } from '../collab/roomExtension.js';
import { httpObserver } from '../logging/httpObserver.js';
import { RequestScope } from '../logging/requestScope.js';
import type { Logger } from '../logger.js';
import { countNewActionItems } from '../metrics/actionItemMetrics.js';
import { observeExports } from '../metrics/exportMetrics.js';
import { metricsHandler, metricsRoutes, startMetricsServer } from '../metrics/metricsEndpoint.js';
import { RoomMetrics } from '../metrics/roomMetrics.js';
import type { MinutesRenderer } from '../minutes/renderPool.js';
import type { Readiness } from '../storage/storageHealth.js';
import { ReadinessChecks, type ExtendedReadiness } from './readinessChecks.js';

/** What a server instance is told about metrics, request logging and scheduled backups (start.ts fills it from the environment). */
export interface OperabilityOptions {
  /** Bearer token for /metrics (METRICS_TOKEN). */
  metricsToken?: string | null;
  /** Serve /metrics on this port only (METRICS_PORT); 0 picks a free one (tests). */
  metricsPort?: number | null;
  /** The scope the logger reads request ids from; pass the logger's own so its lines carry them. */
  requests?: RequestScope;
  /** Scheduled backups (BACKUP_EVERY, BACKUP_DIR, BACKUP_KEEP). */
  backup?: { everyMs: number; dir: string; keep: number } | null;
}

export interface OperabilityDeps extends OperabilityOptions {
  log: Logger;
  /** The live database file. */
  dbPath: string;
  /** Interface the metrics port listens on (HOST). */
  host: string;
  readiness(): Readiness;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface Operability {
  /** This server's own registry: two servers in one process never share a metric. */
  readonly registry: Registry;
  /** The collaboration core's metrics; the commit queue and the sockets report to it directly. */
  readonly rooms: RoomMetrics;
  /** The same metrics as a step of every room's pipeline (loaded, presence, unloaded). */
  readonly roomExtension: RoomExtension;
  /** Request ids, access log and request counts around the HTTP handler. */
  observeHttp(handler: Handler): Handler;
  /** Routers for the main port: /metrics, unless it has its own port. */
  readonly routes: Router[];
  observeExports(renderer: MinutesRenderer): MinutesRenderer;
  countActionItems(repo: ActionItemStore): ActionItemStore;
  /** The metrics port, once started (null: /metrics is on the main port). */
  metricsPort: number | null;
  readonly backups: BackupSchedule | null;
  /** What /readyz answers: storage's checks plus any added (Redis, with scale-out). */
  readiness(): ExtendedReadiness;
  /** The seam for more readiness checks. */
  readonly readinessChecks: ReadinessChecks;
  /** Starts the metrics port and the backup schedule. */
  start(): Promise<void>;
  /** Last step of a shutdown: no more backups (a running one finishes), the metrics port closes. */
  close(): Promise<void>;
}

/**
 * Metrics, structured request logging and scheduled backups for one server
 * instance, made in one place so the server wires them with a handful of
 * calls. Nothing here is a module-level singleton.
 */
export function createOperability(deps: OperabilityDeps): Operability {
  const registry = new Registry();
  const requests = deps.requests ?? new RequestScope();
  const rooms = new RoomMetrics(registry);
  const readinessChecks = new ReadinessChecks(deps.readiness);
  new Gauge({
    name: 'roundtable_ready',
    help: '1 while /readyz would answer 200 (storage writable, migrations done, files unchanged, last write fine, not draining).',
    registers: [registry],
    collect() {
      this.set(readinessChecks.readiness().ready ? 1 : 0);
    },
  });
  const handler = metricsHandler(registry, deps.metricsToken ?? null);
  const ownPort = deps.metricsPort !== null && deps.metricsPort !== undefined;
  const backups = deps.backup ? new BackupSchedule({ source: deps.dbPath, ...deps.backup, log: deps.log, registry }) : null;
  let metricsServer: { port: number; close(): Promise<void> } | null = null;
  const ops: Operability = {
    registry,
    rooms,
    roomExtension: { name: 'metrics', loaded: (room) => rooms.loaded(room), presenceChanged: (room) => rooms.presence(room), unloaded: (room) => rooms.unloaded(room) },
    observeHttp: httpObserver({ log: deps.log, requests, registry }),
    routes: ownPort ? [] : [metricsRoutes(handler)],
    observeExports: (renderer) => observeExports(renderer, registry),
    countActionItems: (repo) => countNewActionItems(repo, (n) => rooms.actionItemsTagged(n)),
    metricsPort: null,
    backups,
    readiness: () => readinessChecks.readiness(),
    readinessChecks,
    async start() {
      if (ownPort) {
        metricsServer = await startMetricsServer(handler, deps.metricsPort!, deps.host);
        ops.metricsPort = metricsServer.port;
      }
      backups?.start();
    },
    async close() {
      await backups?.stop();
      await metricsServer?.close();
    },
  };
  return ops;
}
