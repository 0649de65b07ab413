import type Database from 'better-sqlite3';
import type { Logger } from '../logger.js';
import { createSqliteDocStore, type DocStore } from './docStore.js';
import { beginTransactionsImmediate, createDocWriterThread, type DocWriterThread } from './docWriter.js';
import { createSyncedDocWriter, type SyncedDocWriter } from './syncedDocWriter.js';

/** Where SQLite's document transactions run (STORAGE_WRITER). */
export type StorageWriterKind = 'event-loop' | 'thread';

/**
 * The SQLite document store with its appends and compactions on a
 * connection of their own: on the event loop with the WAL's fsync on libuv's
 * pool (`event-loop`, syncedDocWriter.ts), or in a writer thread (`thread`,
 * docWriter.ts). Close the writer before `db`. Call before anything else
 * prepares transactions on `db`: with a second connection committing, the
 * main one's transactions begin IMMEDIATE (beginTransactionsImmediate).
 */
export function openSqliteDocStore(db: Database.Database, opts: { writer: 'thread'; log: Logger }): { docs: DocStore; writer: DocWriterThread };
export function openSqliteDocStore(db: Database.Database, opts: { writer?: StorageWriterKind; log: Logger }): { docs: DocStore; writer: DocWriterThread | SyncedDocWriter };
export function openSqliteDocStore(db: Database.Database, opts: { writer?: StorageWriterKind; log: Logger }): { docs: DocStore; writer: DocWriterThread | SyncedDocWriter } {
  beginTransactionsImmediate(db);
  const writer = opts.writer === 'thread' ? createDocWriterThread({ db, log: opts.log }) : createSyncedDocWriter({ db });
  return { docs: createSqliteDocStore(db, { writer }), writer };
}
