/**
 * Hard limits shared by client and server. The README's "Limits" section
 * documents each of these; change both together.
 */
export const LIMITS = {
  /** Largest WebSocket frame the server accepts; bigger frames close with 1009. */
  maxFrameBytes: 8 * 1024 * 1024,
  /** Largest single document update (one sync/update message body). */
  maxUpdateBytes: 4 * 1024 * 1024,
  /**
   * Deepest nesting of shared types (elements, and the text inside them) below
   * a document root, counted through what is already stored. Yjs, y-prosemirror
   * and every renderer recurse once per level; real notes stay under ~20.
   */
  maxNestingDepth: 64,
  /** Shared types (elements, text nodes) one update may create. */
  maxNodesPerUpdate: 100_000,
  /** Characters (UTF-16 code units) one text node may hold after an update. */
  maxTextPerNode: 256 * 1024,
  /** Nesting of attribute values and embedded JSON inside one update. */
  maxValueDepth: 32,
  /** Largest awareness state one client may publish (JSON bytes). */
  maxAwarenessStateBytes: 4 * 1024,
  /** Awareness client ids one connection may own; stock clients use one. */
  maxAwarenessClientsPerConnection: 4,
  /** Messages a connection may send per second (sustained) and in a burst. */
  messagesPerSecond: 300,
  messageBurst: 1200,
  /** Bytes a connection may send per second (sustained) and in a burst. */
  bytesPerSecond: 2 * 1024 * 1024,
  byteBurst: 16 * 1024 * 1024,
  /** Unread bytes of broadcasts a WebSocket may hold (beyond its largest reply, the first sync) before it closes with 4408. */
  maxSendBacklogBytes: 8 * 1024 * 1024,
  /** Messages buffered per connection while its document loads. */
  maxBufferedMessagesWhileLoading: 1000,
  maxBufferedBytesWhileLoading: 5 * 1024 * 1024,
  /** Largest JSON request body for the REST API. */
  maxJsonBodyBytes: 1024 * 1024,
  /** Largest schedule file accepted by the importer. */
  maxScheduleBytes: 2 * 1024 * 1024,
  maxSessionsPerEvent: 500,
  titleMaxLength: 300,
  shortFieldMaxLength: 120,
  descriptionMaxLength: 10_000,
  maxModerators: 20,
  maxTags: 30,
  /** Rooms one session takes place in at once (a plenary has none: it spans every room). */
  maxRoomsPerSession: 20,
  tagMaxLength: 60,
  displayNameMaxLength: 60,
  /** Largest notes file one import accepts (Markdown, text, HTML, .etherpad), and each file inside an event zip. */
  maxImportBytes: 5 * 1024 * 1024,
  /** An event import's zip: its own size, how many entries it may list, and their total size once unpacked. */
  maxImportZipBytes: 20 * 1024 * 1024,
  maxImportZipEntries: 1000,
  maxImportZipUnpackedBytes: 50 * 1024 * 1024,
  /**
   * Deepest node nesting an import may produce (doc → list → item → list …). The same bound as
   * the update validator's nesting limit (32), kept here until hardening-core's depth constant lands.
   */
  maxImportDepth: 32,
} as const;

/** Server-side timing defaults (overridable through configuration). */
export const TIMINGS = {
  pingIntervalMs: 30_000,
  /** Updates since the last snapshot that trigger a compaction. */
  compactEveryUpdates: 500,
  /**
   * Minimum ms between the starts of two group commits under load (COMMIT_PACE_MS; 0 = off).
   * Under load, keystrokes of every session arriving meanwhile share one durable transaction
   * and one broadcast per session; after a quiet spell a commit starts at once (README, How it is built for speed).
   */
  commitPaceMs: 10,
  /**
   * Readers (view links) get committed edits merged, at most one frame per this many ms, less in
   * a room with few readers (READER_RELAY_MS; 0 = every commit at once, the default: it trades
   * readers' latency for CPU, README Performance). The first edit after a quiet spell leaves at
   * once; note-takers get every commit at once.
   */
  readerRelayMs: 0,
  /** Updates after the snapshot that a load compacts right away (a crash left them), so the next cold load reads one part. */
  compactAtLoadUpdates: 50,
  /**
   * After a start, how long the search catch-up (sessions whose index lags their stored notes, e.g.
   * after kill -9) waits: the clients reconnecting to a restarted server come first, and the rooms
   * they open index themselves.
   */
  searchCatchUpDelayMs: 5_000,
  /** How often the server checks that its database and WAL files are still the ones it opened. */
  storageCheckIntervalMs: 5_000,
  /** A graceful stop (SIGTERM) ends within this, whatever the clients do (SHUTDOWN_TIMEOUT). */
  shutdownTimeoutMs: 10_000,
  /** Of that, how long clients get to answer the close frame before their sockets are cut. */
  socketCloseGraceMs: 3_000,
} as const;
