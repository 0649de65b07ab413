import { HttpError } from './http/httpError.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Database from 'better-sqlite3';
import { CLOSE_CODES } from '../shared/closeCodes.js';
import { TOKEN_PATTERN } from '../shared/ids.js';
import { TIMINGS } from '../shared/limits.js';
import { ActionItemRepo } from './actionItems/actionItemRepo.js';
import { actionItemRoutes } from './actionItems/actionItemRoutes.js';
import { ActionItemService } from './actionItems/actionItemService.js';
import { ActionItemTagger } from './actionItems/tagger.js';
import { CLOSE_REASONS, CollabServer } from './collab/collabServer.js';
import { CommitQueue } from './collab/commitQueue.js';
import { repairRoutes } from './collab/repairRoute.js';
import { RoomRegistry } from './collab/roomRegistry.js';
import { EventService } from './domain/eventService.js';
import { createDemoEvent } from './demo/createDemo.js';
import { localDate } from '../shared/schedule/timezone.js';
import { MinutesSource } from './export/minutesData.js';
import { minutesRoutes } from './export/minutesRoutes.js';
import { createRenderPool, type MinutesRenderer, type RenderPoolOptions } from './minutes/renderPool.js';
import { scheduleRoutes } from './schedule/scheduleRoutes.js';
import { importRoutes } from './notesImport/importRoutes.js';
import { createImportWorker } from './notesImport/preparePool.js';
import { createSearch, type Search } from './search/createSearch.js';
import { createHistory, type History } from './history/createHistory.js';
import { NoteTakers } from './history/noteTakers.js';
import { ClientIdCharCounts } from './contributors/authorCharCounts.js';
import { createNotesSchema } from './domain/seedNotes.js';
import { createApp } from './http/app.js';
import { requestOrigin } from './http/origin.js';
import { GuessLimiter } from './join/guessLimiter.js';
import { JoinCodeRepo } from './join/joinCodeRepo.js';
import { joinCodeApiRoutes, joinPageRoutes } from './join/joinRoutes.js';
import { slugRoutes } from './http/routes/slugRoutes.js';
import { EventStreamHub, type StreamLimits } from './http/eventStream.js';
import { isAllowedOrigin } from './http/origin.js';
import { createLogger, type Logger } from './logger.js';
import { openDatabase } from './storage/database.js';
import { createSqliteDocStore, type DocStore } from './storage/docStore.js';
import { SCHEMA_VERSION } from './storage/migrations.js';
import { guardDocStore, StorageHealth, type Readiness } from './storage/storageHealth.js';
import { EventRepo, eventLanguageOf } from './storage/eventRepo.js';
import { SessionRepo, sessionRowToFields } from './storage/sessionRepo.js';
import { TokenRepo } from './storage/tokenRepo.js';

export interface ServerOptions {
  dataDir: string;
  port?: number;
  host?: string;
  publicUrl?: string | null;
  adminToken?: string | null;
  clientDir?: string | null;
  log?: Logger;
  compactEveryUpdates?: number;
  unloadDelayMs?: number;
  pingIntervalMs?: number;
  /** Create the sample event when the database has no events yet. */
  demo?: boolean;
  /** Called with the demo event's links when one was created. */
  onDemoCreated?: (created: import('../shared/schemas.js').CreateEventResponse) => void;
  /** Action-item tagging debounce (ms after the last edit). */
  taggerDebounceMs?: number;
  /** Wraps the SQLite document store (tests inject slow or failing stores). */
  wrapDocStore?: (store: DocStore) => DocStore;
  /** Origins besides the app's own that may open WebSockets (ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /** Default deadline of a graceful stop (SHUTDOWN_TIMEOUT). */
  shutdownTimeoutMs?: number;
  /** How often the database and WAL files are checked against the open ones. */
  storageCheckIntervalMs?: number;
  /** Event-stream caps and buffer bounds (defaults in server/http/eventStream.ts). */
  streamLimits?: Partial<StreamLimits>;
  /** Export pool size, queue and per-job limits (defaults in server/minutes/renderPool.ts). */
  exportLimits?: Partial<RenderPoolOptions>;
}

export interface RoundtableServer {
  readonly port: number;
  readonly url: string;
  readonly db: Database.Database;
  readonly registry: RoomRegistry;
  readonly commitQueue: CommitQueue;
  readonly events: EventService;
  readonly collab: CollabServer;
  readonly tagger: ActionItemTagger;
  readonly actionItems: ActionItemService;
  readonly health: StorageHealth;
  /** What /readyz answers. */
  readiness(): Readiness;
  /**
   * Graceful stop within `timeoutMs` (default SHUTDOWN_TIMEOUT): unready and
   * no new connections at once, everything pending committed, clients told
   * 1012 (reconnect), in-flight requests finished or answered 503, every room
   * written; whatever is left at the deadline is cut off.
   */
  shutdown(timeoutMs?: number): Promise<void>;
  /** The event streams (SSE), for their stats. */
  readonly stream: EventStreamHub;
  /** The minutes export pool, for its stats. */
  readonly minutes: MinutesRenderer;
  /** shutdown() with the default deadline. */
  readonly search: Search;
  /** History: revisions, authorship, restore. */
  readonly history: History;
  close(): Promise<void>;
}

/** Wires storage, the collaboration core and the HTTP API; nothing here is a module-level singleton. */
export async function createRoundtableServer(opts: ServerOptions): Promise<RoundtableServer> {
  const log = opts.log ?? createLogger('info');
  const db = openDatabase(opts.dataDir);
  const health = new StorageHealth({ db, dbPath: db.name, schemaVersion: SCHEMA_VERSION, log });
  health.start(opts.storageCheckIntervalMs ?? TIMINGS.storageCheckIntervalMs);
  const history = createHistory({ db, log });
  const sqliteDocs = createSqliteDocStore(db, { fold: history.fold });
  // Outermost, so what the store reports (a real failure or a test's injected one) shows in readiness.
  const docStore = guardDocStore(opts.wrapDocStore ? opts.wrapDocStore(sqliteDocs) : sqliteDocs, health);
  let draining = false;
  const eventRepo = new EventRepo(db);
  const sessionRepo = new SessionRepo(db);
  const tokenRepo = new TokenRepo(db);
  const schema = createNotesSchema();

  const actionItemRepo = new ActionItemRepo(db);
  // Late-bound so hooks created here can reach services created below.
  let notifyPresence: (docId: string) => void = () => {};
  let notifyNotesWritten: (docId: string) => void = () => {};
  let notifyActionItems: (eventId: string, sessionId: string) => void = () => {};
  let propagateStatus: (id: string, status: 'open' | 'done') => void = () => {};
  const tagger = new ActionItemTagger({
    repo: actionItemRepo,
    log,
    debounceMs: opts.taggerDebounceMs,
    sessionContext: (sessionId) => {
      const session = sessionRepo.find(sessionId);
      const event = session ? eventRepo.find(session.event_id) : undefined;
      if (!session || !event) return null;
      const knownNames = [...sessionRowToFields(session).moderators, ...sessionRepo.contributors(sessionId)];
      return { eventId: event.id, sessionDate: session.starts_at ? localDate(session.starts_at, event.timezone) : null, knownNames };
    },
    changed: (eventId, sessionId) => notifyActionItems(eventId, sessionId),
    statusChanged: (id, status) => propagateStatus(id, status),
  });
  const search = createSearch({ db, log, sessions: sessionRepo, actionItems: actionItemRepo, docStore, isLive: (id) => registry.get(id) !== undefined });
  const commitQueue = new CommitQueue({ docStore, log, compactEveryUpdates: opts.compactEveryUpdates ?? TIMINGS.compactEveryUpdates, batchAuthors: history.batchAuthors });
  const registry = new RoomRegistry({
    docStore,
    commitQueue,
    log,
    unloadDelayMs: opts.unloadDelayMs ?? 2000,
    isLocked: (docId) => sessionRepo.find(docId)?.locked === 1,
    onLoaded: (room) => {
      history.loaded(room);
      tagger.attach(room);
      search.indexer.loaded(room);
    },
    beforeUnload: (room) => tagger.flush(room),
    onUnloaded: (room) => {
      history.unloaded(room);
      tagger.detach(room);
      search.indexer.unloaded(room);
    },
    hooks: {
      presenceChanged: (room) => notifyPresence(room.docId),
      documentCommitted: (room, writers) => {
        search.indexer.batchCommitted(room);
        notifyNotesWritten(room.docId);
        if (writers.length > 0) sessionRepo.addContributors(room.docId, writers, new Date().toISOString());
      },
    },
  });

  const collab = new CollabServer({
    registry,
    commitQueue,
    log,
    pingIntervalMs: opts.pingIntervalMs ?? TIMINGS.pingIntervalMs,
    originAllowed: (origin, host) => isAllowedOrigin(origin, host, { publicUrl: opts.publicUrl ?? null, allowedOrigins: opts.allowedOrigins ?? [] }),
    acceptingWrites: () => health.fenced === null,
    authorship: history.admit,
    access: {
      authorize(sessionId, token) {
        const session = sessionRepo.find(sessionId);
        if (!session) return { ok: false, code: CLOSE_CODES.unknownSession, reason: 'unknown session' };
        const resolved = TOKEN_PATTERN.test(token) ? tokenRepo.resolve(token) : undefined;
        if (!resolved || resolved.eventId !== session.event_id) {
          return { ok: false, code: CLOSE_CODES.unauthorized, reason: 'invalid token' };
        }
        return { ok: true, role: resolved.role, tokenHash: resolved.hash };
      },
    },
  });

  // The event's own title, zone and language ride along, so a moderator's changes reach open pages too.
  const stream = new EventStreamHub({
    log,
    limits: opts.streamLimits,
    snapshot: (eventId) => {
      const event = eventRepo.find(eventId);
      return event ? { event: { title: event.title, timezone: event.timezone, language: eventLanguageOf(event) }, sessions: events.sessionsOf(eventId) } : null;
    },
  });
  const events: EventService = new EventService({
    events: eventRepo,
    sessions: sessionRepo,
    tokens: tokenRepo,
    docStore: history.attributeSeeds(docStore),
    schema,
    changed: (eventId) => stream.changed(eventId),
    live: {
      liveCounts: (sessionId) => registry.get(sessionId)?.liveCounts() ?? { editors: 0, viewers: 0 },
      revokeTokens: (hashes) => {
        collab.revokeTokens(hashes);
        stream.revokeTokens(hashes);
      },
      setLocked: (sessionId, locked) => {
        const room = registry.get(sessionId);
        if (room) room.locked = locked;
      },
      closeSession: (sessionId) => collab.closeSession(sessionId, CLOSE_CODES.unknownSession, 'session deleted'),
    },
  });
  // Files replaced under us: nothing more can be acknowledged; writers keep their edits and resend after a restart.
  health.onFenced(() => collab.closeWriters(CLOSE_CODES.internalError, CLOSE_REASONS.storage));
  const actionItems = new ActionItemService({ repo: actionItemRepo, registry, commitQueue, tagger });
  notifyActionItems = (eventId, sessionId) => stream.publish(eventId, { type: 'actionItems', sessionId });
  propagateStatus = (id, status) => {
    actionItems.propagate(id, status).catch((err: unknown) => log.warn('linked status update failed', { id, error: String(err) }));
  };
  // This runs after every commit: look the session up and check the day at most every 30 s per document
  // (a new day is then announced up to 30 s late), not two queries and a date per keystroke.
  const notesDayCheckedAt = new Map<string, number>();
  notifyNotesWritten = (docId) => {
    const now = Date.now();
    if (now < (notesDayCheckedAt.get(docId) ?? 0)) return;
    notesDayCheckedAt.set(docId, now + 30_000);
    const session = sessionRepo.find(docId);
    const event = session ? eventRepo.find(session.event_id) : undefined;
    if (event) stream.notesWritten(event.id, docId, localDate(new Date(now), event.timezone));
  };
  notifyPresence = (docId) => {
    const session = sessionRepo.find(docId);
    if (session) stream.changed(session.event_id);
  };

  // Every export renders in worker threads; created here so close() can stop them.
  const minutesRenderer = createRenderPool(schema, opts.exportLimits);
  const importWorker = createImportWorker(schema);
  const liveHistory = history.start({ registry, commitQueue, docStore, schema });
  const noteTakers = new NoteTakers({
    counts: new ClientIdCharCounts(search.repo),
    eventOf: (id) => sessionRepo.find(id)?.event_id ?? null,
    flush: () => search.indexer.flush(),
  });
  const join = {
    events,
    tokens: tokenRepo,
    codes: new JoinCodeRepo(db),
    limiter: new GuessLimiter({ maxFailures: 30, windowMs: 60_000 }),
    publicUrl: opts.publicUrl ?? null,
  };
  const app = createApp({
    events,
    tokens: tokenRepo,
    stream,
    log,
    adminToken: opts.adminToken ?? null,
    publicUrl: opts.publicUrl ?? null,
    clientDir: opts.clientDir ?? null,
    readiness: () => health.readiness(draining),
    rawBodyRoutes: [
      scheduleRoutes({ events, sessions: sessionRepo, tokens: tokenRepo, origin: (req) => requestOrigin(opts.publicUrl ?? null, req) }),
      importRoutes({ events, tokens: tokenRepo, registry, commitQueue, tagger, preparation: importWorker }),
    ],
    pageRoutes: [joinPageRoutes(join)],
    extraRoutes: [
      repairRoutes({ registry, events, tokens: tokenRepo }),
      joinCodeApiRoutes(join),
      slugRoutes({ isTaken: (slug) => eventRepo.find(slug) !== undefined, limiter: new GuessLimiter({ maxFailures: 60, windowMs: 60_000 }) }),
      ...search.routes({ events, tokens: tokenRepo, flushActionItems: (id) => actionItems.flushSession(id) }),
      minutesRoutes({
        renderer: minutesRenderer,
        source: new MinutesSource({
          events: eventRepo,
          sessions: sessionRepo,
          actionItems: actionItemRepo,
          actionItemService: actionItems,
          registry,
          docStore,
          schema,
          history: { noteTakers: (id) => noteTakers.of(id), version: (id, rev) => liveHistory.service.minutesVersion(id, rev) },
        }),
        events,
        tokens: tokenRepo,
      }),
      liveHistory.routes({ events, tokens: tokenRepo }),
      actionItemRoutes({
        repo: actionItemRepo,
        service: actionItems,
        events,
        tokens: tokenRepo,
        today: (tz) => localDate(new Date(), tz),
      }),
    ],
  });
  // Requests still being answered, so a shutdown can let them finish (an export) or refuse them cleanly.
  const inFlight = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0]!;
    const probe = pathname === '/healthz' || pathname === '/readyz';
    if (draining && !probe) {
      refuse(res, 'shutting_down');
      return;
    }
    if (health.fenced && pathname.startsWith('/api/') && req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, 'storage_unavailable');
      return;
    }
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
    app(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    try {
      if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
    } catch (err) {
      log.error('upgrade failed', { error: err instanceof Error ? err.message : String(err) });
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  if (opts.demo && !eventRepo.hasAny()) {
    const created = await createDemoEvent(
      { events, sessions: sessionRepo, registry, commitQueue, tagger, schema },
      { origin: opts.publicUrl ?? `http://localhost:${port}`, dataDir: opts.dataDir },
    );
    opts.onDemoCreated?.(created);
  }

  let closing: Promise<void> | null = null;
  const shutdown = (timeoutMs = opts.shutdownTimeoutMs ?? TIMINGS.shutdownTimeoutMs): Promise<void> => {
    closing ??= (async () => {
      const deadline = Date.now() + timeoutMs;
      const left = () => Math.max(0, deadline - Date.now());
      // Unready and closed to newcomers at once; requests on open keep-alive connections get 503.
      draining = true;
      collab.stopAccepting();
      server.close();
      stream.close();
      // Everything received so far becomes durable and acknowledged before clients are told to go.
      await within(commitQueue.whenIdle(), left());
      const unfinished = () => [...inFlight].filter((r) => !r.writableEnded);
      // Keep time for the final write of every room: clients that never read must not eat all of it.
      const reserve = Math.min(2_000, timeoutMs / 3);
      await Promise.all([
        collab.closeAll(Math.min(TIMINGS.socketCloseGraceMs, Math.max(0, left() - reserve))),
        waitUntil(() => unfinished().length === 0, Math.max(0, left() - reserve)),
      ]);
      await within(registry.closeAll(), left());
      // The deadline: whatever still runs is refused (503 if nothing was sent yet) or cut.
      for (const res of unfinished()) {
        if (!res.headersSent) refuse(res, 'shutting_down');
        else res.destroy();
      }
      await within(minutesRenderer.close(), left());
      await within(importWorker.close(), left());
      server.closeAllConnections();
      health.stop();
      search.close();
      history.close();
      db.close();
    })();
    return closing;
  };
  return {
    port,
    url,
    db,
    registry,
    commitQueue,
    events,
    collab,
    tagger,
    actionItems,
    health,
    readiness: () => health.readiness(draining),
    stream,
    search,
    history,
    minutes: minutesRenderer,
    shutdown,
    close: () => shutdown(),
  };
}

/** Answers outside Express (before routing): the same error body the API uses. */
function refuse(res: http.ServerResponse, code: 'shutting_down' | 'storage_unavailable'): void {
  res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '5', Connection: 'close', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(new HttpError(code).toBody()));
}

/** Resolves when `p` settles or after `ms`, whichever is first; never rejects. */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}
