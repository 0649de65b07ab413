import type Database from 'better-sqlite3';
import { TIMINGS } from '../../shared/limits.js';
import { ActionItemRepo } from './actionItemRepo.js';
import { JoinCodeRepo } from './joinCodeRepo.js';
import type { Logger } from '../logger.js';
import { openDatabase } from './database.js';
import type { DocStore } from './docStore.js';
import { createThreadedDocStore } from './docWriter.js';
import { EventRepo } from './eventRepo.js';
import { SCHEMA_VERSION } from './migrations.js';
import { SessionRepo } from './sessionRepo.js';
import { guardDocStore, StorageHealth } from './storageHealth.js';
import { TokenRepo } from './tokenRepo.js';

export interface StorageOptions {
  dataDir: string;
  log: Logger;
  /** Wraps the document store (tests inject slow or failing stores). */
  wrapDocStore?: (store: DocStore) => DocStore;
  /** How often the database and WAL files are checked against the open ones. */
  checkIntervalMs?: number;
}

/** Everything the server stores, opened and watched. */
export interface Storage {
  db: Database.Database;
  health: StorageHealth;
  docs: DocStore;
  events: EventRepo;
  sessions: SessionRepo;
  tokens: TokenRepo;
  actionItems: ActionItemRepo;
  joinCodes: JoinCodeRepo;
  close(): void;
}

/** Opens (and migrates) the SQLite file in `dataDir`, and starts watching its files. */
export function openStorage(opts: StorageOptions): Storage {
  const db = openDatabase(opts.dataDir);
  const health = new StorageHealth({ db, dbPath: db.name, schemaVersion: SCHEMA_VERSION, log: opts.log });
  health.start(opts.checkIntervalMs ?? TIMINGS.storageCheckIntervalMs);
  // Document writes (the per-keystroke fsync) run in a writer thread, off the event loop.
  const { docs: sqliteDocs, writer } = createThreadedDocStore(db, opts.log);
  return {
    db,
    health,
    // Outermost, so what the store reports (a real failure or a test's injected one) shows in readiness.
    docs: guardDocStore(opts.wrapDocStore ? opts.wrapDocStore(sqliteDocs) : sqliteDocs, health),
    events: new EventRepo(db),
    sessions: new SessionRepo(db),
    tokens: new TokenRepo(db),
    actionItems: new ActionItemRepo(db),
    joinCodes: new JoinCodeRepo(db),
    close() {
      health.stop();
      void writer.close();
      db.close();
    },
  };
}
