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
import { CollabServer } from './collab/collabServer.js';
import { CommitQueue } from './collab/commitQueue.js';
import { RoomRegistry } from './collab/roomRegistry.js';
import { EventService } from './domain/eventService.js';
import { createDemoEvent } from './demo/createDemo.js';
import { localDate } from '../shared/schedule/timezone.js';
import { MinutesSource } from './export/minutesData.js';
import { minutesRoutes } from './export/minutesRoutes.js';
import { createWorkerRenderer } from './minutes/renderPool.js';
import { scheduleRoutes } from './schedule/scheduleRoutes.js';
import { createSearch, type Search } from './search/createSearch.js';
import { createNotesSchema } from './domain/seedNotes.js';
import { createApp } from './http/app.js';
import { GuessLimiter } from './join/guessLimiter.js';
import { JoinCodeRepo } from './join/joinCodeRepo.js';
import { joinCodeApiRoutes, joinPageRoutes } from './join/joinRoutes.js';
import { EventStreamHub } from './http/eventStream.js';
import { createLogger, type Logger } from './logger.js';
import { openDatabase } from './storage/database.js';
import { createSqliteDocStore, type DocStore } from './storage/docStore.js';
import { EventRepo, eventLanguageOf } from './storage/eventRepo.js';
import { SessionRepo } from './storage/sessionRepo.js';
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
  readonly search: Search;
  /** Graceful: closes sockets, commits and compacts every room, closes the database. */
  close(): Promise<void>;
}

/** Wires storage, the collaboration core and the HTTP API; nothing here is a module-level singleton. */
export async function createRoundtableServer(opts: ServerOptions): Promise<RoundtableServer> {
  const log = opts.log ?? createLogger('info');
  const db = openDatabase(opts.dataDir);
  const sqliteDocs = createSqliteDocStore(db);
  const docStore = opts.wrapDocStore ? opts.wrapDocStore(sqliteDocs) : sqliteDocs;
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
      return { eventId: event.id, sessionDate: session.starts_at ? localDate(session.starts_at, event.timezone) : null };
    },
    changed: (eventId, sessionId) => notifyActionItems(eventId, sessionId),
    statusChanged: (id, status) => propagateStatus(id, status),
  });
  const search = createSearch({ db, log, sessions: sessionRepo, actionItems: actionItemRepo, docStore, isLive: (id) => registry.get(id) !== undefined });
  const commitQueue = new CommitQueue({ docStore, log, compactEveryUpdates: opts.compactEveryUpdates ?? TIMINGS.compactEveryUpdates });
  const registry = new RoomRegistry({
    docStore,
    commitQueue,
    log,
    unloadDelayMs: opts.unloadDelayMs ?? 2000,
    isLocked: (docId) => sessionRepo.find(docId)?.locked === 1,
    onLoaded: (room) => {
      tagger.attach(room);
      search.indexer.loaded(room);
    },
    beforeUnload: (room) => tagger.flush(room),
    onUnloaded: (room) => {
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
  const stream = new EventStreamHub((eventId) => {
    const event = eventRepo.find(eventId);
    return { event: event ? { title: event.title, timezone: event.timezone, language: eventLanguageOf(event) } : null, sessions: events.sessionsOf(eventId) };
  });
  const events: EventService = new EventService({
    events: eventRepo,
    sessions: sessionRepo,
    tokens: tokenRepo,
    docStore,
    schema,
    changed: (eventId) => stream.changed(eventId),
    live: {
      liveCounts: (sessionId) => registry.get(sessionId)?.liveCounts() ?? { editors: 0, viewers: 0 },
      revokeTokens: (hashes) => collab.revokeTokens(hashes),
      setLocked: (sessionId, locked) => {
        const room = registry.get(sessionId);
        if (room) room.locked = locked;
      },
      closeSession: (sessionId) => collab.closeSession(sessionId, CLOSE_CODES.unknownSession, 'session deleted'),
    },
  });
  const actionItems = new ActionItemService({ repo: actionItemRepo, registry, commitQueue, tagger });
  notifyActionItems = (eventId, sessionId) => stream.publish(eventId, 'actionItems', { sessionId });
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

  // DOCX and PDF render in a worker thread; created here so close() can stop it.
  const minutesRenderer = createWorkerRenderer();
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
    rawBodyRoutes: [scheduleRoutes({ events, sessions: sessionRepo, tokens: tokenRepo })],
    pageRoutes: [joinPageRoutes(join)],
    extraRoutes: [
      joinCodeApiRoutes(join),
      ...search.routes({ events, tokens: tokenRepo, flushActionItems: (id) => actionItems.flushSession(id) }),
      minutesRoutes({
        binary: minutesRenderer,
        source: new MinutesSource({
          events: eventRepo,
          sessions: sessionRepo,
          actionItems: actionItemRepo,
          actionItemService: actionItems,
          registry,
          docStore,
          schema,
        }),
        events,
        tokens: tokenRepo,
      }),
      actionItemRoutes({
        repo: actionItemRepo,
        service: actionItems,
        events,
        tokens: tokenRepo,
        today: (tz) => localDate(new Date(), tz),
      }),
    ],
  });
  const server = http.createServer(app);
  server.on('upgrade', (req, socket, head) => {
    if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
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
    search,
    close() {
      closing ??= (async () => {
        stream.close();
        await minutesRenderer.close();
        await collab.close();
        await registry.closeAll();
        search.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        db.close();
      })();
      return closing;
    },
  };
}
