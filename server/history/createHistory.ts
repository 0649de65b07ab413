import type Database from 'better-sqlite3';
import type { Schema } from '@tiptap/pm/model';
import type { Router } from 'express';
import * as Y from 'yjs';
import { REVISION_PAUSE_MS } from '../../shared/history/history.js';
import { historySchema } from '../../shared/history/historySchema.js';
import type { CommitQueue } from '../collab/commitQueue.js';
import type { Connection } from '../collab/connection.js';
import type { Room } from '../collab/room.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import type { EventService } from '../domain/eventService.js';
import type { Logger } from '../logger.js';
import type { DocStore } from '../storage/docStore.js';
import type { TokenRepo } from '../storage/tokenRepo.js';
import { AuthorRepo } from './authorRepo.js';
import { foldHistory, type CheckpointPolicy } from './foldHistory.js';
import { HistoryRecorder } from './historyRecorder.js';
import { HistoryRepo } from './historyRepo.js';
import { historyRoutes } from './historyRoutes.js';
import { HistoryService } from './historyService.js';
import { HistoryViews } from './historyViews.js';

export interface HistoryOptions {
  db: Database.Database;
  log: Logger;
  pauseMs?: number;
  policy?: CheckpointPolicy;
  now?: () => number;
}

export interface LiveHistoryDeps {
  registry: Pick<RoomRegistry, 'get' | 'acquire' | 'release'>;
  commitQueue: Pick<CommitQueue, 'whenIdle'>;
  docStore: Pick<DocStore, 'load'>;
  /** The notes schema (the history schema is built on it). */
  schema: Schema;
}

/**
 * History, as the rest of the server sees it. It needs five places in a
 * document's life, each one call:
 * - `fold(docId, uptoSeq)`: inside the compaction's transaction, before the
 *   update log is trimmed (DocStoreOptions.fold);
 * - `loaded(room)` / `unloaded(room)`: a room was loaded / dropped (registry hooks);
 * - `admit(room, conn, to)`: an admitted client update is about to be applied;
 *   a reason refuses it (close 4400, nothing stored);
 * - `batchAuthors(room)`: the commit queue takes a room's batch; stored with it
 *   (DocWrite.authors);
 * - `attributeSeeds(store)`: wraps the store that seeds new sessions, so the
 *   template's client id is bound as "template" in the same transaction.
 */
export function createHistory(opts: HistoryOptions) {
  const pauseMs = opts.pauseMs ?? REVISION_PAUSE_MS;
  const now = opts.now ?? Date.now;
  const repo = new HistoryRepo(opts.db);
  const authors = new AuthorRepo(opts.db);
  const recorder = new HistoryRecorder({ authors, log: opts.log, now });
  const views = new HistoryViews(repo, { max: 6, idleMs: 5 * 60_000 });

  return {
    repo,
    authors,
    recorder,
    fold: (docId: string, uptoSeq: number): void => foldHistory({ repo, bindings: (id) => authors.bindingsOf(id), pauseMs, policy: opts.policy, now }, docId, uptoSeq),
    loaded: (room: Room): void => recorder.loaded(room),
    unloaded: (room: Room): void => recorder.unloaded(room),
    admit: (room: Room, conn: Connection, to: ReadonlyMap<number, number>): string | null => recorder.admit(room, conn, to),
    batchAuthors: (room: Room): string[] | undefined => recorder.takeBatchAuthors(room),
    attributeSeeds(store: DocStore): DocStore {
      return {
        ...store,
        appendInTransaction(writes) {
          const at = new Date(now()).toISOString();
          for (const w of writes) {
            for (const [client, clock] of Y.parseUpdateMeta(w.update).to) if (clock > 0) authors.bind(w.docId, client, 'template', '', null, at);
          }
          store.appendInTransaction(writes);
        },
      };
    },
    /** The read and restore side, once the collaboration core exists. */
    start(live: LiveHistoryDeps) {
      const service = new HistoryService({ repo, authors, recorder, views, ...live, schema: historySchema(live.schema), pauseMs });
      return {
        service,
        routes: (deps: { events: Pick<EventService, 'findSession'>; tokens: TokenRepo }): Router => historyRoutes({ history: service, ...deps }),
      };
    },
    close: (): void => views.clear(),
  };
}

export type History = ReturnType<typeof createHistory>;
