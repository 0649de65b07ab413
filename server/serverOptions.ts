import type Database from 'better-sqlite3';
import type { CreateEventResponse } from '../shared/schemas.js';
import type { ActionItemService } from './actionItems/actionItemService.js';
import type { ActionItemTagger } from './actionItems/tagger.js';
import type { CollabServer } from './collab/collabServer.js';
import type { CommitQueue } from './collab/commitQueue.js';
import type { RoomExtension } from './collab/roomExtension.js';
import type { RoomRegistry } from './collab/roomRegistry.js';
import type { EventStreamHub, StreamLimits } from './eventStream/streamHub.js';
import type { EventService } from './events/eventService.js';
import type { Logger } from './logger.js';
import type { MinutesRenderer, RenderPoolOptions } from './minutes/renderPool.js';
import type { BroadcastBus } from './bus/broadcastBus.js';
import type { Operability, OperabilityOptions } from './ops/createOperability.js';
import type { Search } from './search/createSearch.js';
import type { DocStore } from './storage/docStore.js';
import type { StorageWriterKind } from './storage/openDocStore.js';
import type { StoragePorts } from './storage/ports.js';
import type { Readiness, StorageHealth } from './storage/storageHealth.js';

export interface ServerOptions {
  dataDir: string;
  port?: number;
  host?: string;
  publicUrl?: string | null;
  adminToken?: string | null;
  clientDir?: string | null;
  log?: Logger;
  compactEveryUpdates?: number;
  /** Minimum ms between the starts of two group commits under load; 0 = off (COMMIT_PACE_MS). */
  commitPaceMs?: number;
  /** Readers get committed edits merged, at most one frame per this many ms; 0 = every commit at once (READER_RELAY_MS). */
  readerRelayMs?: number;
  /** Where SQLite's document transactions run (STORAGE_WRITER; server/storage/openStorage.ts). */
  storageWriter?: StorageWriterKind;
  unloadDelayMs?: number;
  pingIntervalMs?: number;
  /** Create the sample event when the database has no events yet. */
  demo?: boolean;
  /** Called with the demo event's links when one was created. */
  onDemoCreated?: (created: CreateEventResponse) => void;
  /** Action-item tagging debounce (ms after the last edit). */
  taggerDebounceMs?: number;
  /** Tagging runs at least this often while people keep typing (ms). */
  taggerMaxWaitMs?: number;
  /** How long after the start the search catch-up waits (ms; TIMINGS.searchCatchUpDelayMs). */
  searchCatchUpDelayMs?: number;
  /** DATABASE_URL: documents in PostgreSQL (server/storage/postgres); default SQLite in dataDir. */
  databaseUrl?: string | null;
  /** REDIS_URL: fan-out to the other server processes through Redis (server/bus). */
  redisUrl?: string | null;
  /** How long a session lease lives without renewal (LEASE_TTL_MS; only with REDIS_URL). */
  leaseTtlMs?: number;
  /** A bus given directly, for several servers in one process (LocalBusHub); wins over redisUrl. */
  bus?: BroadcastBus | null;
  /** Wraps the document store, SQLite's or PostgreSQL's (tests inject slow or failing stores). */
  wrapDocStore?: (store: DocStore) => DocStore;
  /** Wraps the storage ports (tests inject a failure inside a unit of work). */
  wrapPorts?: (ports: StoragePorts) => StoragePorts;
  /** Origins besides the app's own that may open WebSockets (ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /** Default deadline of a graceful stop (SHUTDOWN_TIMEOUT). */
  shutdownTimeoutMs?: number;
  /** How often the database and WAL files are checked against the open ones. */
  storageCheckIntervalMs?: number;
  /** Unread bytes a WebSocket may hold beyond its first sync before it is closed with 4408 (CollabServerOptions). */
  maxSendBacklogBytes?: number;
  /** Event-stream caps and buffer bounds (defaults in server/eventStream/streamHub.ts). */
  streamLimits?: Partial<StreamLimits>;
  /** Export pool size, queue and per-job limits (defaults in server/minutes/renderPool.ts). */
  exportLimits?: Partial<RenderPoolOptions>;
  /** Metrics, request logging and scheduled backups (server/ops). */
  operability?: OperabilityOptions;
  /** Room extensions run after the built-in ones, in this order (see server/collab/roomExtension.ts). */
  extensions?: readonly RoomExtension[];
  /**
   * Room extensions left out, by name (e.g. 'history'; built-in or given in
   * `extensions`). For the bench only, to price each feature
   * (BENCH_OMIT_EXTENSIONS); a server without them serves notes that lack
   * what they derive. A name that matches no extension is logged as an error.
   */
  omitExtensions?: readonly string[];
}

/** A running server: its address, and its parts for tests, benches and stats. */
export interface RoundtableServer {
  readonly port: number;
  readonly url: string;
  /** The SQLite file (backups, the search index); read what is stored through `storage`. */
  readonly db: Database.Database;
  /** The storage ports, for tests that check what was stored. */
  readonly storage: StoragePorts;
  readonly registry: RoomRegistry;
  readonly commitQueue: CommitQueue;
  readonly events: EventService;
  readonly collab: CollabServer;
  readonly tagger: ActionItemTagger;
  readonly actionItems: ActionItemService;
  readonly health: StorageHealth;
  /** The event streams (SSE), for their stats. */
  readonly stream: EventStreamHub;
  /** The minutes export pool, for its stats. */
  readonly minutes: MinutesRenderer;
  readonly search: Search;
  /** Metrics registry, the metrics port, scheduled backups. */
  readonly ops: Operability;
  /** What /readyz answers. */
  readiness(): Readiness;
  /** Graceful stop within `timeoutMs` (default SHUTDOWN_TIMEOUT); see server/shutdown.ts. */
  shutdown(timeoutMs?: number): Promise<void>;
  /** shutdown() with the default deadline. */
  close(): Promise<void>;
}
