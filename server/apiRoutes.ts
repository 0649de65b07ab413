import type { Router } from 'express';
import type { SchemaLoader } from './notesSchemaLoader.js';
import { localDate } from '../shared/schedule/timezone.js';
import type { AccessResolver } from './access/access.js';
import { actionItemRoutes } from './actionItems/actionItemRoutes.js';
import type { ActionItemService } from './actionItems/actionItemService.js';
import type { ActionItemTagger } from './actionItems/tagger.js';
import type { CommitQueue } from './collab/commitQueue.js';
import type { RoomRegistry } from './collab/roomRegistry.js';
import { ClientIdCharCounts } from './contributors/authorCharCounts.js';
import { contributorsRoutes } from './contributors/contributorsRoutes.js';
import type { EventStreamHub } from './eventStream/streamHub.js';
import { eventRoutes } from './events/eventRoutes.js';
import type { EventService } from './events/eventService.js';
import { sessionRoutes } from './events/sessionRoutes.js';
import { slugRoutes } from './events/slugRoutes.js';
import { memoryGuessLimiters, type GuessLimiterFactory } from './http/guessLimiter.js';
import { requestOrigin } from './http/origin.js';
import { joinCodeApiRoutes, joinPageRoutes } from './join/joinRoutes.js';
import { MinutesSource, type MinutesHistory } from './minutes/minutesSource.js';
import { minutesRoutes } from './minutes/minutesRoutes.js';
import type { MinutesRenderer } from './minutes/renderPool.js';
import { importRoutes } from './notesImport/importRoutes.js';
import type { ImportPreparation } from './notesImport/preparePool.js';
import { repairRoutes } from './repair/repairRoutes.js';
import { scheduleRoutes } from './schedule/scheduleRoutes.js';
import type { Search } from './search/createSearch.js';
import type { Storage } from './storage/openStorage.js';

/** The services the HTTP API is made of (built in createServer.ts). */
export interface ApiParts {
  store: Storage;
  access: AccessResolver;
  events: EventService;
  stream: EventStreamHub;
  registry: RoomRegistry;
  commitQueue: CommitQueue;
  tagger: ActionItemTagger;
  actionItems: ActionItemService;
  search: Search;
  minutes: MinutesRenderer;
  imports: ImportPreparation;
  schema: SchemaLoader;
  publicUrl: string | null;
  adminToken: string | null;
  /** Join-code and slug guess limits: in memory, or shared through Redis (server/bus/redisGuessLimiter.ts). */
  guessLimiters?: GuessLimiterFactory;
  /** History's routes and what the minutes take from it (server/history). */
  history: { routes: Router; minutes?: MinutesHistory };
}

/** Every route of the API, one feature at a time; the app mounts them (server/http/app.ts). */
export function apiRoutes(p: ApiParts): { routes: Router[]; rawBodyRoutes: Router[]; pageRoutes: Router[] } {
  const { store, access, events } = p;
  const origin = (req: Parameters<typeof requestOrigin>[1]) => requestOrigin(p.publicUrl, req);
  const limiter = p.guessLimiters ?? memoryGuessLimiters;
  const join = { events, access, tokens: store.tokens, codes: store.joinCodes, limiter: limiter('join', { maxFailures: 30, windowMs: 60_000 }), publicUrl: p.publicUrl };
  return {
    rawBodyRoutes: [
      scheduleRoutes({ events, sessions: store.sessions, tokens: store.tokens, access, origin }),
      importRoutes({ events, access, registry: p.registry, commitQueue: p.commitQueue, tagger: p.tagger, preparation: p.imports }),
    ],
    pageRoutes: [joinPageRoutes(join)],
    routes: [
      eventRoutes({ events, access, stream: p.stream, adminToken: p.adminToken, origin }),
      sessionRoutes({ events, access }),
      repairRoutes({ registry: p.registry, events, access }),
      joinCodeApiRoutes(join),
      slugRoutes({ isTaken: async (slug) => (await store.events.find(slug)) !== undefined, limiter: limiter('slug', { maxFailures: 60, windowMs: 60_000 }) }),
      p.search.routes({ events, access }),
      contributorsRoutes({
        events,
        access,
        sessions: store.sessions,
        contributors: store.contributors,
        actionItems: { listByEvent: async (eventId) => p.actionItems.listEvent(eventId, {}, (await store.sessions.listByEvent(eventId)).map((s) => s.id)) },
        counts: new ClientIdCharCounts(p.search.repo),
        // The search index is derived data in its own tables: indexing now writes nothing into the notes.
        flush: () => p.search.indexer.flush(),
      }),
      minutesRoutes({ renderer: p.minutes, source: new MinutesSource({ ...store, actionItemService: p.actionItems, registry: p.registry, docStore: store.docs, schema: p.schema, history: p.history.minutes }), events, access }),
      p.history.routes,
      actionItemRoutes({ repo: store.actionItems, service: p.actionItems, events, access, today: (tz) => localDate(new Date(), tz) }),
    ],
  };
}
