import type Database from 'better-sqlite3';
import { TIMINGS } from '../../shared/limits.js';
import { ActionItemRepo } from './actionItemRepo.js';
import { ContributorRepo } from './contributorRepo.js';
import { JoinCodeRepo } from './joinCodeRepo.js';
import type { Logger } from '../logger.js';
import { openDatabase } from './database.js';
import type { DocStore } from './docStore.js';
import { openSqliteDocStore, type StorageWriterKind } from './openDocStore.js';
import { EventRepo } from './eventRepo.js';
import { SCHEMA_VERSION } from './migrations.js';
import type { StoragePorts } from './ports.js';
import { SessionRepo } from './sessionRepo.js';
import { guardDocStore, StorageHealth } from './storageHealth.js';
import { TokenRepo } from './tokenRepo.js';

export interface StorageOptions {
  dataDir: string;
  log: Logger;
  /** Wraps the document store (tests inject slow or failing stores). */
  wrapDocStore?: (store: DocStore) => DocStore;
  /** Wraps the ports (tests inject failures inside a unit of work). */
  wrapPorts?: (ports: StoragePorts) => StoragePorts;
  /** How often the database and WAL files are checked against the open ones. */
  checkIntervalMs?: number;
  /**
   * Where document transactions run: `event-loop` (default; the WAL's fsync
   * on libuv's pool) or `thread` (a writer thread), see openDocStore.ts.
   */
  writer?: StorageWriterKind;
}

/** Everything the server stores (the ports), opened and watched, with the SQLite file the search index and backups use. */
export interface Storage extends StoragePorts {
  db: Database.Database;
  health: StorageHealth;
  close(): void;
}

/** Opens (and migrates) the SQLite file in `dataDir`, and starts watching its files. */
export function openStorage(opts: StorageOptions): Storage {
  const db = openDatabase(opts.dataDir);
  const health = new StorageHealth({ db, dbPath: db.name, schemaVersion: SCHEMA_VERSION, log: opts.log });
  health.start(opts.checkIntervalMs ?? TIMINGS.storageCheckIntervalMs);
  // Document writes have a connection of their own, and their fsync never blocks the event loop. Set up before the
  // repositories, whose transactions it makes begin IMMEDIATE.
  const { docs: sqliteDocs, writer } = openSqliteDocStore(db, { writer: opts.writer, log: opts.log });
  const ports: StoragePorts = {
    // Outermost, so what the store reports (a real failure or a test's injected one) shows in readiness.
    docs: guardDocStore(opts.wrapDocStore ? opts.wrapDocStore(sqliteDocs) : sqliteDocs, health),
    ...openSqlitePorts(db),
  };
  return {
    ...(opts.wrapPorts ? opts.wrapPorts(ports) : ports),
    db,
    health,
    close() {
      health.stop();
      // Before the main connection, which closes last and folds the WAL back into the file.
      void writer.close();
      db.close();
    },
  };
}

/** The SQLite implementation of every port but the document store, on an open database. */
export function openSqlitePorts(db: Database.Database): Omit<StoragePorts, 'docs'> {
  return {
    events: new EventRepo(db),
    sessions: new SessionRepo(db),
    contributors: new ContributorRepo(db),
    tokens: new TokenRepo(db),
    actionItems: new ActionItemRepo(db),
    joinCodes: new JoinCodeRepo(db),
  };
}
