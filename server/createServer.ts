import { CLOSE_CODES } from '../shared/closeCodes.js';
import { TIMINGS } from '../shared/limits.js';
import { AccessResolver } from './access/access.js';
import { apiRoutes } from './apiRoutes.js';
import { ActionItemService } from './actionItems/actionItemService.js';
import { sessionContext } from './actionItems/sessionContext.js';
import { ActionItemTagger } from './actionItems/tagger.js';
import { CLOSE_REASONS, CollabServer } from './collab/collabServer.js';
import { CommitQueue } from './collab/commitQueue.js';
import type { RoomExtension } from './collab/roomExtension.js';
import { RoomRegistry } from './collab/roomRegistry.js';
import { NoteTakers } from './contributors/noteTakers.js';
import { createDemoEvent } from './demo/createDemo.js';
import { AnnounceLive } from './eventStream/announceLive.js';
import { LiveCounts } from './eventStream/liveCounts.js';
import { NotesToday } from './eventStream/notesToday.js';
import { EventStreamHub } from './eventStream/streamHub.js';
import { eventSnapshot } from './events/eventSnapshot.js';
import { EventService } from './events/eventService.js';
import { createApp } from './http/app.js';
import { isAllowedOrigin } from './http/origin.js';
import { HttpFront } from './httpFront.js';
import { createLogger } from './logger.js';
import { createRenderPool } from './minutes/renderPool.js';
import { createImportWorker } from './notesImport/preparePool.js';
import { createHistory } from './history/createHistory.js';
import { createOperability } from './ops/createOperability.js';
import { createNotesSchema } from './notesSchema.js';
import { createSearch } from './search/createSearch.js';
import type { RoundtableServer, ServerOptions } from './serverOptions.js';
import { stopGracefully } from './shutdown.js';
import { openStorage } from './storage/openStorage.js';

export type { RoundtableServer, ServerOptions } from './serverOptions.js';

/** Wires storage, the room pipeline, the services and the HTTP API; nothing here is a module-level singleton. */
export async function createRoundtableServer(opts: ServerOptions): Promise<RoundtableServer> {
  const log = opts.log ?? createLogger('info');
  const opened = openStorage({ dataDir: opts.dataDir, log, wrapDocStore: opts.wrapDocStore, wrapPorts: opts.wrapPorts, checkIntervalMs: opts.storageCheckIntervalMs });
  const { health } = opened;
  // History keeps what compaction drops and who wrote the templates (server/history): everything else stores through it.
  const history = createHistory({ db: opened.db, log });
  const docs = history.docs(opened.docs);
  const store = { ...opened, docs, sessions: history.sessions(opened.sessions) };
  const schema = createNotesSchema();
  const access = new AccessResolver(store);
  const eventOf = async (sessionId: string) => (await store.events.find((await store.sessions.find(sessionId))?.event_id ?? '')) ?? null;
  let draining = false;
  const ops = createOperability({ log, dbPath: store.db.name, host: opts.host ?? '127.0.0.1', readiness: () => health.readiness(draining), ...opts.operability });

  // The room pipeline: every room runs these, in this order (server/collab/roomExtension.ts).
  const live = new LiveCounts();
  const stream = new EventStreamHub({ log, limits: opts.streamLimits, snapshot: (eventId) => eventSnapshot({ ...store, live: (id) => live.of(id) }, eventId) });
  const tagger = new ActionItemTagger({
    repo: ops.countActionItems(store.actionItems),
    log,
    debounceMs: opts.taggerDebounceMs,
    maxWaitMs: opts.taggerMaxWaitMs,
    sessionContext: (sessionId) => sessionContext(store, sessionId),
    changed: (eventId, sessionId) => stream.publish(eventId, { type: 'actionItems', sessionId }),
  });
  const search = createSearch({ db: store.db, log, sessions: store.sessions, actionItems: store.actionItems, docStore: docs });
  const extensions: RoomExtension[] = [
    ops.roomExtension,
    live,
    history.extension,
    new AnnounceLive({ eventOf: async (id) => (await eventOf(id))?.id ?? null, changed: (eventId) => stream.changed(eventId) }),
    tagger,
    search.indexer,
    new NotesToday({ eventOf, notesWritten: (eventId, sessionId, day) => stream.notesWritten(eventId, sessionId, day) }),
    new NoteTakers({ add: (sessionId, names, now) => store.contributors.add(sessionId, names, now) }),
    ...(opts.extensions ?? []),
  ];
  const commitQueue = new CommitQueue({ docStore: docs, log, observer: ops.rooms, compactEveryUpdates: opts.compactEveryUpdates ?? TIMINGS.compactEveryUpdates });
  const registry = new RoomRegistry({ docStore: docs, commitQueue, log, extensions, unloadDelayMs: opts.unloadDelayMs ?? 2000, isLocked: async (id) => (await store.sessions.find(id))?.locked === 1 });

  const collab = new CollabServer({
    registry,
    commitQueue,
    log,
    observer: ops.rooms,
    pingIntervalMs: opts.pingIntervalMs ?? TIMINGS.pingIntervalMs,
    originAllowed: (origin, host) => isAllowedOrigin(origin, host, { publicUrl: opts.publicUrl ?? null, allowedOrigins: opts.allowedOrigins ?? [] }),
    acceptingWrites: () => health.fenced === null,
    access: { authorize: async (sessionId, token) => access.forSession((await store.sessions.find(sessionId))?.event_id ?? null, token) },
  });
  // Files replaced under us: nothing more can be acknowledged; writers keep their edits and resend after a restart.
  health.onFenced(() => collab.closeWriters(CLOSE_CODES.internalError, CLOSE_REASONS.storage));
  const events = new EventService({
    ...store,
    schema,
    changed: (eventId) => stream.changed(eventId),
    live: {
      liveCounts: (sessionId) => live.of(sessionId),
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
  const actionItems = new ActionItemService({ repo: store.actionItems, registry, commitQueue, tagger });
  // Exports and notes imports are converted in worker threads; created here so a stop can end them.
  const minutesRenderer = ops.observeExports(createRenderPool(schema, opts.exportLimits));
  const importWorker = createImportWorker(schema);
  const past = history.start({ registry, commitQueue, docStore: docs, schema });
  const api = apiRoutes({ history: { routes: past.routes({ events, access }), minutes: past.service.minutes }, store, access, events, stream, registry, commitQueue, tagger, actionItems, search, minutes: minutesRenderer, imports: importWorker, schema, publicUrl: opts.publicUrl ?? null, adminToken: opts.adminToken ?? null });
  const app = createApp({ log, clientDir: opts.clientDir ?? null, readiness: () => ops.readiness(), ...api, pageRoutes: [...api.pageRoutes, ...ops.routes] });

  const front = new HttpFront({ app: ops.observeHttp(app), upgrade: (req, socket, head) => collab.handleUpgrade(req, socket, head), draining: () => draining, fenced: () => health.fenced !== null, log });
  const port = await front.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  await ops.start();
  if (opts.demo && !(await store.events.hasAny())) {
    const created = await createDemoEvent({ events, sessions: store.sessions, registry, commitQueue, tagger, schema }, { origin: opts.publicUrl ?? `http://localhost:${port}`, dataDir: opts.dataDir });
    opts.onDemoCreated?.(created);
  }
  let closing: Promise<void> | null = null;
  const shutdown = (timeoutMs = opts.shutdownTimeoutMs ?? TIMINGS.shutdownTimeoutMs): Promise<void> =>
    (closing ??= stopGracefully(
      {
        front,
        collab,
        commitQueue,
        registry,
        stopAccepting: () => {
          draining = true;
          stream.close();
        },
        workers: [minutesRenderer, importWorker, ops],
        closeStorage: () => {
          search.close();
          history.close();
          store.close();
        },
      },
      timeoutMs,
    ));
  const readiness = () => ops.readiness();
  return { port, url: `http://127.0.0.1:${port}`, db: store.db, storage: store, registry, commitQueue, events, collab, tagger, actionItems, health, readiness, stream, search, minutes: minutesRenderer, ops, shutdown, close: () => shutdown() };
}
