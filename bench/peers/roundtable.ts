// Roundtable's real server (durable SQLite, WAL + synchronous=FULL) for the benches.
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRoundtableServer } from '../../server/createServer.js';
import { createLogger } from '../../server/logger.js';
import { createApiClient } from '../../shared/api/client.js';
import { DEFAULT_CHECKPOINT_SPACING_MS, prepareDocWrites } from '../../server/storage/docStore.js';
import { runPeerChild } from '../lib/peerChild.js';

await runPeerChild(async () => {
  // DATA_DIR given: the parent owns it (restarts reuse it). Otherwise a private temp dir.
  const ownDir = !process.env.DATA_DIR;
  const dataDir = process.env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'rt-bench-'));
  // BENCH_DOC_WRITES=event-loop: the document writes and their fsync block the event loop, as before
  // the storage writer thread, so one bench run shows every design.
  let db: Database.Database | null = null;
  let inline: ReturnType<typeof prepareDocWrites> | null = null;
  const writesOnEventLoop = process.env.BENCH_DOC_WRITES === 'event-loop';
  const server = await createRoundtableServer({
    dataDir,
    log: createLogger('error'),
    demo: false,
    wrapDocStore: writesOnEventLoop
      ? (docs) => ({
          ...docs,
          append: async (writes) => (inline ??= prepareDocWrites(db!, { checkpointSpacingMs: DEFAULT_CHECKPOINT_SPACING_MS, now: Date.now })).append(writes, true),
          compact: async (docId, state, uptoSeq) => (inline ??= prepareDocWrites(db!, { checkpointSpacingMs: DEFAULT_CHECKPOINT_SPACING_MS, now: Date.now })).compact(docId, state, uptoSeq),
        })
      : undefined,
    compactEveryUpdates: process.env.COMPACT_EVERY_UPDATES ? Number(process.env.COMPACT_EVERY_UPDATES) : undefined,
    // COMMIT_PACE_MS=10: commit pacing on (the roundtable-paced peer).
    commitPaceMs: process.env.COMMIT_PACE_MS ? Number(process.env.COMMIT_PACE_MS) : undefined,
    // READER_RELAY_MS=0: readers get every commit at once (the design before the reader relay).
    readerRelayMs: process.env.READER_RELAY_MS ? Number(process.env.READER_RELAY_MS) : undefined,
    // STORAGE_WRITER=thread: document transactions in a writer thread (the roundtable-thread peer).
    storageWriter: process.env.STORAGE_WRITER === 'thread' ? 'thread' : undefined,
    // BENCH_OMIT_EXTENSIONS=history,search indexer,…: what each feature costs (the roundtable-no-features peer).
    omitExtensions: process.env.BENCH_OMIT_EXTENSIONS?.split(',').map((n) => n.trim()).filter(Boolean),
  });
  db = server.db;
  // Diagnostics only: what durability costs (a commit without its fsync). Never the default.
  if (process.env.BENCH_UNSAFE_SYNC_NORMAL === '1') server.db.pragma('synchronous = NORMAL');
  // The search bench compares the live search indexer on and off.
  if (process.env.BENCH_SEARCH === 'off') server.search.close();

  const api = createApiClient({ baseUrl: server.url });

  return {
    port: server.port,
    // Through the public API, exactly as an organiser would: one event, `count` sessions.
    async prepareRooms(count) {
      const created = await api.createEvent({ title: 'Bench event' });
      const moderator = api.as(created.tokens.moderate);
      const rooms = [];
      for (let i = 0; i < count; i++) {
        const session = await moderator.createSession(created.event.id, { title: `Session ${i + 1}` });
        rooms.push({
          name: session.id,
          writeParams: { token: created.tokens.edit },
          readParams: { token: created.tokens.view },
        });
      }
      return rooms;
    },
    commands: {
      /** Time spent in the live search indexer so far (ms): watching transactions, and indexing passes. */
      searchCost: () => ({ ...server.search.indexer.cost }),
      /** What SQLite holds for one document, and the database files' sizes. */
      storage: (arg) => {
        const docId = String(arg);
        const updates = server.db
          .prepare<[string], { n: number; bytes: number | null }>('SELECT count(*) AS n, sum(length(data)) AS bytes FROM doc_updates WHERE doc_id = ?')
          .get(docId);
        const snapshots = server.db
          .prepare<[string], { n: number; bytes: number | null }>('SELECT count(*) AS n, sum(length(data)) AS bytes FROM doc_snapshots WHERE doc_id = ?')
          .get(docId);
        const latest = server.db
          .prepare<[string], { bytes: number }>('SELECT length(data) AS bytes FROM doc_snapshots WHERE doc_id = ? ORDER BY id DESC LIMIT 1')
          .get(docId);
        const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
        const file = path.join(dataDir, 'roundtable.sqlite');
        return {
          updateRows: updates?.n ?? 0,
          updateBytes: updates?.bytes ?? 0,
          snapshotRows: snapshots?.n ?? 0,
          snapshotBytes: snapshots?.bytes ?? 0,
          latestSnapshotBytes: latest?.bytes ?? 0,
          fileBytes: size(file) + size(file + '-wal'),
        };
      },
    },
    async close() {
      await server.close();
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
