import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { Router } from 'express';
import type { EventService } from '../events/eventService.js';
import type { Logger } from '../logger.js';
import type { DocStore } from '../storage/docStore.js';
import type { ActionItemStore, SessionStore } from '../storage/ports.js';
import type { AccessResolver } from '../access/access.js';
import { SearchIndexer } from './searchIndexer.js';
import { PgSearchRepo } from '../storage/postgres/pgSearchRepo.js';
import { SearchRepo, type SearchIndexStore } from '../storage/searchRepo.js';
import { searchRoutes } from './searchRoutes.js';
import { SearchService } from './searchService.js';

export interface SearchDeps {
  db: Database.Database;
  /** The index in PostgreSQL (DATABASE_URL), shared by every process, instead of `db`. */
  pool?: pg.Pool | null;
  log: Logger;
  sessions: Pick<SessionStore, 'find' | 'listByEvent'>;
  actionItems: Pick<ActionItemStore, 'find'>;
  docStore: Pick<DocStore, 'load'>;
  debounceMs?: number;
  /** How long after the start the catch-up waits (ms); 0: in the next turn, once the server listens. */
  catchUpDelayMs?: number;
}

export interface Search {
  repo: SearchIndexStore;
  indexer: SearchIndexer;
  service: SearchService;
  /** Settles once sessions nobody has open are indexed up to their stored notes (started `catchUpDelayMs` after the start; 0 if stopped before). */
  ready: Promise<number>;
  /** The search API. */
  routes(deps: { events: EventService; access: AccessResolver }): Router;
  /**
   * Catches up, in the background, the sessions of an event whose notes were
   * written while no room watched them (a new session's template, notes
   * written straight to storage); at most once per REFRESH_MS per event.
   */
  refresh(eventId: string): void;
  /** Stops indexing; resolves once a catch-up under way has stopped (before the store it reads from closes). */
  close(): Promise<void>;
}

const REFRESH_MS = 5000;

/** The search index, its live indexer (a room extension, composed by the caller) and its API. */
export function createSearch(deps: SearchDeps): Search {
  const repo: SearchIndexStore = deps.pool ? new PgSearchRepo(deps.pool) : new SearchRepo(deps.db);
  const indexer = new SearchIndexer({
    repo,
    log: deps.log,
    eventOf: async (id) => (await deps.sessions.find(id))?.event_id ?? null,
    load: (id) => deps.docStore.load(id),
    debounceMs: deps.debounceMs,
  });
  const service = new SearchService({ repo, sessions: deps.sessions, actionItems: deps.actionItems });
  // Never in this turn (the server starts listening first), and by default not before the clients of a
  // restarted server are back: loading and indexing a large document holds the event loop for a while.
  const delayMs = deps.catchUpDelayMs ?? 0;
  let cancel = () => {};
  const ready = new Promise<number>((resolve) => {
    const run = () =>
      void indexer.catchUp().then(resolve, (err: unknown) => {
        deps.log.error('search: catch-up failed', { error: err instanceof Error ? err.stack : String(err) });
        resolve(0);
      });
    if (delayMs <= 0) return void setImmediate(run);
    const timer = setTimeout(run, delayMs);
    timer.unref();
    // Stopped before it ran: nothing was caught up, and nothing runs against a closed store.
    cancel = () => {
      clearTimeout(timer);
      resolve(0);
    };
  });
  const refreshedAt = new Map<string, number>();
  const refresh = (eventId: string) => {
    const now = Date.now();
    if (now - (refreshedAt.get(eventId) ?? 0) < REFRESH_MS) return;
    refreshedAt.set(eventId, now);
    void (async () => {
      const stale = await repo.staleSessions(eventId);
      if (stale.length > 0) await indexer.catchUpSessions(stale);
    })().catch((err: unknown) => deps.log.warn('search: refresh failed', { eventId, error: String(err) }));
  };
  return {
    repo,
    indexer,
    service,
    ready,
    refresh,
    routes: ({ events, access }) => searchRoutes({ service, events, access, refresh }),
    close: () => {
      cancel();
      indexer.close();
      // A catch-up under way stops at its next session; the query it has in flight finishes on a store still open.
      return ready.then(() => undefined);
    },
  };
}
