import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { Router } from 'express';
import * as Y from 'yjs';
import { REVISION_PAUSE_MS } from '../../shared/history/history.js';
import type { AccessResolver } from '../access/access.js';
import type { CommitQueue } from '../collab/commitQueue.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import type { EventService } from '../events/eventService.js';
import type { Logger } from '../logger.js';
import { lazySchema, type SchemaLoader } from '../notesSchemaLoader.js';
import type { DocStore } from '../storage/docStore.js';
import type { SessionStore } from '../storage/ports.js';
import type { CheckpointPolicy } from './foldHistory.js';
import { HistoryExtension } from './historyExtension.js';
import { HistoryRecorder } from './historyRecorder.js';
import { historyRoutes } from './historyRoutes.js';
import { HistoryService } from './historyService.js';
import { HistoryViews } from './historyViews.js';
import type { HistoryStore } from './historyStore.js';
import { PgHistoryStore } from './pgHistoryStore.js';
import { SqliteHistoryStore } from './sqliteHistoryStore.js';

export interface HistoryOptions {
  db: Database.Database;
  /** History in PostgreSQL (DATABASE_URL) instead of `db`. */
  pool?: pg.Pool | null;
  log: Logger;
  pauseMs?: number;
  policy?: CheckpointPolicy;
  now?: () => number;
}

export interface LiveHistoryDeps {
  registry: Pick<RoomRegistry, 'get' | 'acquire' | 'release'>;
  commitQueue: Pick<CommitQueue, 'whenIdle'>;
  docStore: Pick<DocStore, 'load'>;
  /** The notes schema (the history schema is built on it), loaded by the first history view. */
  schema: SchemaLoader;
}

/**
 * History, as the rest of the server sees it:
 * - `extension`: one room extension in the pipeline (who writes what);
 * - `docs(store)`: the document store with history kept: a compaction first
 *   folds the changes it drops into revisions;
 * - `sessions(store)`: the session store, with a new session's seed bound as "template";
 * - `start(live)`: the read and restore side and its routes, once the rooms exist.
 * History itself is kept behind the HistoryStore port (SQLite, or PostgreSQL with `pool`).
 */
export function createHistory(opts: HistoryOptions) {
  const pauseMs = opts.pauseMs ?? REVISION_PAUSE_MS;
  const now = opts.now ?? Date.now;
  const store: HistoryStore = opts.pool ? new PgHistoryStore(opts.pool, { pauseMs, policy: opts.policy, now }) : new SqliteHistoryStore(opts.db, { pauseMs, policy: opts.policy, now });
  const recorder = new HistoryRecorder({ store, log: opts.log, now });
  const views = new HistoryViews(store, { max: 6, idleMs: 5 * 60_000 });

  return {
    store,
    recorder,
    extension: new HistoryExtension(recorder, store),
    docs(docs: DocStore): DocStore {
      return {
        ...docs,
        async compact(docId, state, uptoSeq) {
          // Folded first: a crash in between leaves the changes in both, and the next fold skips what it has.
          await store.fold(docId, uptoSeq);
          await docs.compact(docId, state, uptoSeq);
        },
      };
    },
    /** The session store with a new session's seed bound as "template" before the seed is stored. */
    sessions(inner: SessionStore): SessionStore {
      const wrapped = Object.create(inner) as SessionStore;
      wrapped.createWithNotes = async (eventId, creates, updates, at) => {
        // Bound first: a create that fails leaves a binding no update uses, never template text without an author.
        const boundAt = new Date(now()).toISOString();
        for (const c of creates) {
          for (const [client, clock] of Y.parseUpdateMeta(c.seed).to) if (clock > 0) await store.bind(c.id, client, 'template', '', null, boundAt);
        }
        await inner.createWithNotes(eventId, creates, updates, at);
      };
      return wrapped;
    },
    /** The read and restore side, once the collaboration core exists. */
    start(live: LiveHistoryDeps) {
      const schema = lazySchema(async () => (await import('../../shared/history/historySchema.js')).historySchema(await live.schema()));
      const service = new HistoryService({ store, recorder, views, ...live, schema, pauseMs });
      return {
        service,
        routes: (deps: { events: Pick<EventService, 'findSession'>; access: AccessResolver }): Router => historyRoutes({ history: service, ...deps }),
      };
    },
    close: (): void => views.clear(),
  };
}

export type History = ReturnType<typeof createHistory>;
