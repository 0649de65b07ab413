import { CLOSE_CODES } from '../shared/closeCodes.js';
import { TIMINGS } from '../shared/limits.js';
import { AccessResolver } from './access/access.js';
import { apiRoutes } from './apiRoutes.js';
import { openScaleOut } from './bus/openScaleOut.js';
import { RoomFanout } from './bus/roomFanout.js';
import { SharedLiveCounts } from './bus/sharedLiveCounts.js';
import { linkServers, type LocalEffects } from './bus/serverFanout.js';
import { compactOnlyWithLease, SessionLeaseExtension } from './bus/sessionLease.js';
import { guessLimiters } from './bus/redisGuessLimiter.js';
import { streamSlots } from './bus/redisStreamSlots.js';
import { ActionItemService } from './actionItems/actionItemService.js';
import { SessionContexts } from './actionItems/sessionContext.js';
import { ActionItemTagger } from './actionItems/tagger.js';
import { coldAnswerFromStorage } from './collab/coldAnswer.js';
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
import { createLogger, type Logger } from './logger.js';
import { createRenderPool } from './minutes/renderPool.js';
import { createImportWorker } from './notesImport/preparePool.js';
import { createHistory } from './history/createHistory.js';
import { createOperability } from './ops/createOperability.js';
import { lazyNotesSchema } from './notesSchemaLoader.js';
import { createSearch } from './search/createSearch.js';
import type { RoundtableServer, ServerOptions } from './serverOptions.js';
import { stopGracefully } from './shutdown.js';
import { openStorage } from './storage/openStorage.js';

export type { RoundtableServer, ServerOptions } from './serverOptions.js';

/** Wires storage, the room pipeline, the services and the HTTP API; nothing here is a module-level singleton. */
export async function createRoundtableServer(opts: ServerOptions): Promise<RoundtableServer> {
  const log = opts.log ?? createLogger('info');
  // DATABASE_URL and REDIS_URL (server/bus): documents in PostgreSQL, fan-out to the other processes.
  const scale = await openScaleOut({ databaseUrl: opts.databaseUrl, redisUrl: opts.redisUrl, bus: opts.bus, log, leaseTtlMs: opts.leaseTtlMs });
  const wrapPorts = opts.wrapPorts ?? ((p) => p);
  const opened = openStorage({ dataDir: opts.dataDir, log, wrapDocStore: opts.wrapDocStore, wrapPorts: (sqlite) => wrapPorts(scale.ports(sqlite, opts.wrapDocStore ?? ((d) => d))), checkIntervalMs: opts.storageCheckIntervalMs, writer: opts.storageWriter });
  const { health } = opened;
  // History keeps what compaction drops and who wrote the templates (server/history), next to the documents (SQLite or PostgreSQL).
  const history = createHistory({ db: opened.db, pool: scale.pool, log });
  const store = { ...opened, docs: history.docs(opened.docs), sessions: history.sessions(opened.sessions) };
  const { docs } = store;
  // Loaded by the first export, import, history view or template change, not by syncing notes.
  const schema = lazyNotesSchema();
  const access = new AccessResolver(store);
  const eventOf = async (sessionId: string) => (await store.events.find((await store.sessions.find(sessionId))?.event_id ?? '')) ?? null;
  let draining = false;
  const ops = createOperability({ log, dbPath: store.db.name, host: opts.host ?? '127.0.0.1', readiness: () => health.readiness(draining), ...opts.operability });
  for (const [name, check] of Object.entries(scale.checks)) ops.readinessChecks.add(name, check);

  // The room pipeline: every room runs these, in this order (server/collab/roomExtension.ts).
  const localLive = new LiveCounts();
  // With other processes, the counts shown are everyone's (server/bus/sharedLiveCounts.ts).
  const sharedLive = scale.bus ? new SharedLiveCounts({ bus: scale.bus, local: (id) => localLive.of(id) }) : null;
  const live = { of: (id: string) => (sharedLive ?? localLive).of(id) };
  const stream = new EventStreamHub({ log, limits: opts.streamLimits, slots: streamSlots(scale.redis, log, opts.leaseTtlMs), snapshot: (eventId) => eventSnapshot({ ...store, live: (id) => live.of(id) }, eventId) });
  // What every process's clients must hear: done here, and on the others through the bus.
  const local: LocalEffects = {
    eventChanged: (eventId) => (stream.changed(eventId), contexts.eventChanged(eventId)),
    notesWritten: (eventId, sessionId, day) => stream.notesWritten(eventId, sessionId, day),
    publish: (eventId, msg) => stream.publish(eventId, msg),
    revokeTokens: (hashes) => {
      collab.revokeTokens(hashes);
      stream.revokeTokens(hashes);
    },
    linksRotated: (eventId, role) => stream.linksRotated(eventId, role),
    setLocked: (sessionId, locked) => registry.setLocked(sessionId, locked),
    closeSession: (sessionId) => collab.closeSession(sessionId, CLOSE_CODES.unknownSession, 'session deleted'),
  };
  const servers = scale.bus ? linkServers(scale.bus, local, log) : { effects: local, listen: () => Promise.resolve() };
  const shared = servers.effects;
  const contexts = new SessionContexts({ ...store, sharedContributors: scale.bus !== null });
  const tagger = new ActionItemTagger({
    repo: ops.countActionItems(store.actionItems),
    log,
    debounceMs: opts.taggerDebounceMs,
    maxWaitMs: opts.taggerMaxWaitMs,
    sessionContext: (sessionId) => contexts.of(sessionId),
    changed: (eventId, sessionId) => shared.publish(eventId, { type: 'actionItems', sessionId }),
    lease: scale.leases,
  });
  const search = createSearch({
    db: store.db,
    pool: scale.pool,
    log,
    sessions: store.sessions,
    actionItems: store.actionItems,
    docStore: docs,
    catchUpDelayMs: opts.searchCatchUpDelayMs ?? TIMINGS.searchCatchUpDelayMs,
  });
  const allExtensions: RoomExtension[] = [
    ops.roomExtension,
    ...(scale.bus ? [new RoomFanout({ bus: scale.bus, docStore: docs, log, lease: scale.leases, writersSeen: (room, names) => tagger.writersSeen(room, names) })] : []),
    new SessionLeaseExtension(scale.leases),
    localLive,
    ...(sharedLive ? [sharedLive] : []),
    history.extension,
    new AnnounceLive({ eventOf: async (id) => (await eventOf(id))?.id ?? null, changed: (eventId) => shared.eventChanged(eventId) }),
    tagger,
    search.indexer,
    new NotesToday({ eventOf, notesWritten: (eventId, sessionId, day) => shared.notesWritten(eventId, sessionId, day) }),
    new NoteTakers({ add: (sessionId, names, now) => store.contributors.add(sessionId, names, now).then(() => contexts.contributorsChanged(sessionId)) }),
    ...(opts.extensions ?? []),
  ];
  const extensions = withoutExtensions(allExtensions, opts.omitExtensions ?? [], log);
  const commitQueue = new CommitQueue({ docStore: compactOnlyWithLease(docs, scale.leases), log, observer: ops.rooms, compactEveryUpdates: opts.compactEveryUpdates ?? TIMINGS.compactEveryUpdates, paceMs: opts.commitPaceMs ?? TIMINGS.commitPaceMs });
  const registry = new RoomRegistry({ docStore: docs, commitQueue, log, extensions, unloadDelayMs: opts.unloadDelayMs ?? 2000, readerRelayMs: opts.readerRelayMs ?? TIMINGS.readerRelayMs, isLocked: async (id) => (await store.sessions.find(id))?.locked === 1 });

  const originAllowed = (origin: string | undefined, host: string | undefined) => isAllowedOrigin(origin, host, { publicUrl: opts.publicUrl ?? null, allowedOrigins: opts.allowedOrigins ?? [] });
  const authorize = async (sessionId: string, token: string) => access.forSession((await store.sessions.find(sessionId))?.event_id ?? null, token);
  const collab = new CollabServer({ registry, commitQueue, log, observer: ops.rooms, pingIntervalMs: opts.pingIntervalMs ?? TIMINGS.pingIntervalMs, maxSendBacklogBytes: opts.maxSendBacklogBytes, originAllowed, acceptingWrites: () => health.fenced === null, access: { authorize }, coldAnswer: coldAnswerFromStorage(docs, log) });
  // Files replaced under us: nothing more can be acknowledged; writers keep their edits and resend after a restart.
  health.onFenced(() => collab.closeWriters(CLOSE_CODES.internalError, CLOSE_REASONS.storage));
  const events = new EventService({
    ...store,
    schema,
    changed: (eventId) => shared.eventChanged(eventId),
    live: { liveCounts: (sessionId) => live.of(sessionId), revokeTokens: shared.revokeTokens, linksRotated: shared.linksRotated, setLocked: shared.setLocked, closeSession: shared.closeSession },
  });
  const actionItems = new ActionItemService({ repo: store.actionItems, registry, commitQueue, tagger });
  // Exports and notes imports are converted in worker threads; created here so a stop can end them.
  const minutesRenderer = ops.observeExports(createRenderPool(schema, opts.exportLimits));
  const importWorker = createImportWorker(schema);
  const past = history.start({ registry, commitQueue, docStore: docs, schema });
  const api = apiRoutes({ history: { routes: past.routes({ events, access }), minutes: past.service.minutes }, store, access, events, stream, registry, commitQueue, tagger, actionItems, search, minutes: minutesRenderer, imports: importWorker, schema, guessLimiters: guessLimiters(scale.redis, log), publicUrl: opts.publicUrl ?? null, adminToken: opts.adminToken ?? null });
  const app = createApp({ log, clientDir: opts.clientDir ?? null, readiness: () => ops.readiness(), ...api, pageRoutes: [...api.pageRoutes, ...ops.routes] });

  await servers.listen();
  await sharedLive?.listen();
  const front = new HttpFront({ app: ops.observeHttp(app), upgrade: (req, socket, head) => collab.handleUpgrade(req, socket, head), draining: () => draining, fenced: () => health.fenced !== null, log });
  const port = await front.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  await ops.start();
  if (opts.demo && !(await store.events.hasAny())) {
    const created = await createDemoEvent({ events, sessions: store.sessions, registry, commitQueue, tagger }, { origin: opts.publicUrl ?? `http://localhost:${port}`, dataDir: opts.dataDir });
    opts.onDemoCreated?.(created);
  }
  const stopAccepting = () => void ((draining = true), stream.close());
  const closeStorage = () => [sharedLive?.close(), history.close(), store.close()];
  // The search stops as a worker, before the scale-out pool its catch-up may still be reading.
  const parts = { front, collab, commitQueue, registry, workers: [minutesRenderer, importWorker, ops, { close: () => search.close() }, scale], stopAccepting, closeStorage };
  let closing: Promise<void> | null = null;
  const shutdown = (timeoutMs = opts.shutdownTimeoutMs ?? TIMINGS.shutdownTimeoutMs): Promise<void> => (closing ??= stopGracefully(parts, timeoutMs));
  const readiness = () => ops.readiness();
  return { port, url: `http://127.0.0.1:${port}`, db: store.db, storage: store, registry, commitQueue, events, collab, tagger, actionItems, health, readiness, stream, search, minutes: minutesRenderer, ops, shutdown, close: () => shutdown() };
}

/**
 * `all` without the extensions named in `omit`. A name that matches none is
 * logged as an error (a renamed extension would otherwise silently stay in);
 * the start goes on, as storage is already open here.
 */
function withoutExtensions(all: RoomExtension[], omit: readonly string[], log: Logger): RoomExtension[] {
  const unknown = omit.filter((name) => !all.some((ext) => ext.name === name));
  if (unknown.length > 0) log.error('omitExtensions: no room extension has these names', { names: unknown });
  return all.filter((ext) => !omit.includes(ext.name));
}
