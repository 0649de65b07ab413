import fs from 'node:fs';
import { createLogger } from '../server/logger.js';
import { openDatabase } from '../server/storage/database.js';
import type { DocWrite } from '../server/storage/docStore.js';
import { openSqliteDocStore, type StorageWriterKind } from '../server/storage/openDocStore.js';
import { SCHEMA_VERSION } from '../server/storage/migrations.js';
import { guardDocStore, StorageHealth } from '../server/storage/storageHealth.js';
import type { Bench, BenchTable } from './table.js';
import { envInt, quantile } from './lib/numbers.js';
import { tempDataDir } from './tempDir.js';

/**
 * Storage: the CPU one durable group commit costs, by thread, without the
 * rest of the server around it (the sync bench's 26-session scenario mixes
 * it with everything else, and its noise hides a few µs). The real path, for
 * each STORAGE_WRITER: the guarded document store, the SQLite transaction
 * with its sync (on the event loop with the WAL's fdatasync on libuv's pool,
 * or the hand-off to the writer thread and its synchronous=FULL
 * transaction), the sequence numbers back and the storage file checks. Commits are shaped like that
 * scenario's: 5 writes over 26 sessions, each a ~30-byte update that is a
 * view into a 64 KiB buffer (as a decoded WebSocket frame is), one in ten
 * with an authors row; one commit in flight at a time, as the commit queue
 * does. Linux only (per-thread CPU from /proc).
 *
 * Environment (defaults in brackets):
 *   BENCH_STORAGE_COMMITS   commits per run [2000]
 *   BENCH_REPEAT            runs [3]
 */

const SESSIONS = 26;

function threadCpuMs(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

interface RunResult {
  /** CPU µs per commit. */
  main: number;
  writer: number;
  all: number;
  perSecond: number;
}

async function runOnce(kind: StorageWriterKind, commits: number): Promise<RunResult> {
  const dir = tempDataDir('rt-bench-storage-');
  const db = openDatabase(dir);
  const log = createLogger('silent');
  db.exec("INSERT INTO events (id, slug, title, timezone, created_at, updated_at) VALUES ('e', 'e', 'Bench', 'UTC', 'x', 'x')");
  db.exec('CREATE TABLE IF NOT EXISTS history_batch_authors (doc_id TEXT NOT NULL, seq INTEGER NOT NULL, authors TEXT NOT NULL, PRIMARY KEY (doc_id, seq))');
  const ids = Array.from({ length: SESSIONS }, (_, i) => `bench-session-${String(i).padStart(2, '0')}`);
  const addSession = db.prepare("INSERT INTO sessions (id, event_id, title, created_at, updated_at) VALUES (?, 'e', 'A session', 'x', 'x')");
  for (const id of ids) addSession.run(id);
  const { docs, writer } = openSqliteDocStore(db, { writer: kind, log });
  const health = new StorageHealth({ db, dbPath: db.name, schemaVersion: SCHEMA_VERSION, log });
  const store = guardDocStore(docs, health);
  const frame = new Uint8Array(64 * 1024).fill(7);
  let seed = 1;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const group = (): DocWrite[] =>
    Array.from({ length: 5 }, () => {
      const at = Math.floor(random() * 60_000);
      const w: DocWrite = { docId: ids[Math.floor(random() * SESSIONS)]!, update: frame.subarray(at, at + 20 + Math.floor(random() * 20)) };
      return random() < 0.1 ? { ...w, authors: '["p:Ana","p:花子"]' } : w;
    });
  try {
    // Warm-up: the thread starts, the JIT settles.
    for (let i = 0; i < 300; i++) await store.append(group());
    const before = threadCpuMs();
    const start = performance.now();
    for (let i = 0; i < commits; i++) await store.append(group());
    const seconds = (performance.now() - start) / 1000;
    const after = threadCpuMs();
    const used = [...after].map(([tid, ms]) => [tid, ms - (before.get(tid) ?? 0)] as const);
    const main = used.find(([tid]) => tid === String(process.pid))?.[1] ?? 0;
    // The busiest other thread pays the fsync: the writer thread, or the libuv pool thread that syncs.
    const writerMs = Math.max(0, ...used.filter(([tid]) => tid !== String(process.pid)).map(([, ms]) => ms));
    const all = used.reduce((s, [, ms]) => s + ms, 0);
    const perCommit = (ms: number) => (ms * 1000) / commits;
    return { main: perCommit(main), writer: perCommit(writerMs), all: perCommit(all), perSecond: commits / seconds };
  } finally {
    await writer.close();
    db.close();
  }
}

const bench: Bench = {
  name: 'storage',
  async run(): Promise<BenchTable[]> {
    if (!fs.existsSync('/proc/self/task')) return [];
    const commits = envInt('BENCH_STORAGE_COMMITS', 2000);
    const kinds: StorageWriterKind[] = ['event-loop', 'thread'];
    const runs = new Map<StorageWriterKind, RunResult[]>(kinds.map((k) => [k, []]));
    // Interleaved, so load from elsewhere on the machine falls on both alike.
    for (let i = 0; i < envInt('BENCH_REPEAT', 3); i++) for (const k of kinds) runs.get(k)!.push(await runOnce(k, commits));
    const cell = (kind: StorageWriterKind, pick: (r: RunResult) => number) => {
      const v = runs.get(kind)!.map(pick).sort((a, b) => a - b);
      return `${quantile(v, 0.5).toFixed(0)} (${v[0]!.toFixed(0)}–${v[v.length - 1]!.toFixed(0)})`;
    };
    return [
      {
        title: `Storage: CPU per durable group commit (5 writes over ${SESSIONS} sessions, ${commits} commits, ${runs.get('thread')!.length} runs each)`,
        columns: ['STORAGE_WRITER', 'main thread µs / commit', 'busiest other thread µs / commit', 'all threads µs / commit', 'commits / s'],
        rows: kinds.map((k) => [k, cell(k, (r) => r.main), cell(k, (r) => r.writer), cell(k, (r) => r.all), cell(k, (r) => r.perSecond)]),
        notes: [
          'Median (lowest–highest) of the runs, interleaved. Thread CPU from /proc in 10 ms ticks. The main thread includes making the writes and awaiting each commit; with event-loop it also runs the SQLite transaction (synchronous=NORMAL), and a libuv pool thread pays the WAL\'s fdatasync; with thread, the writer thread pays the transaction and its fsync (synchronous=FULL).',
        ],
      },
    ];
  },
};

export default bench;
