import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { backupDatabase } from '../server/backup/backupDatabase.js';
import { createRoundtableServer, type RoundtableServer } from '../server/createServer.js';
import { createLogger } from '../server/logger.js';
import { createApiClient } from '../shared/api/client.js';
import type { CreateEventResponse } from '../shared/schemas.js';
import { NOTES_FRAGMENT } from '../shared/protocol.js';
import type { Bench, BenchTable } from './table.js';
import { waitUntil } from './lib/clients.js';
import { envInt, MiB, quantile } from './lib/numbers.js';
import { loadTrace, traceFile } from './lib/trace.js';

/**
 * What operating the server costs while an event runs: the demo event (26
 * sessions with notes) plus the 260k-edit trace replayed into a 27th session,
 * with note-takers typing in four sessions throughout. Measures
 * - a backup (copy on one read snapshot, then integrity_check and row counts):
 *   how long it takes and how long the event loop stalls meanwhile, for the
 *   scheduled backup (a worker thread) and, for comparison, the same backup
 *   stepped on the event loop itself; against an idle window of equal length;
 * - GET /metrics: scrape time and size.
 *
 * Environment: BENCH_TRACE (the trace), BENCH_TRACE_EDITS (replay only N edits),
 * BENCH_OPS_SCRAPES (scrapes timed [100]), BENCH_OPS_PAD_MB (adds a table of
 * that many MiB of random rows, to see how the stall grows with the database [0]).
 */


function connect(port: number, sessionId: string, token: string): { doc: Y.Doc; provider: WebsocketProvider; destroy(): void } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/collab`, sessionId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  return { doc, provider, destroy: () => (provider.destroy(), doc.destroy()) };
}

async function replayTrace(server: RoundtableServer, sessionId: string, token: string, edits: number): Promise<number> {
  const trace = loadTrace(traceFile());
  if (!trace) return 0;
  const writer = connect(server.port, sessionId, token);
  try {
    await waitUntil(() => writer.provider.synced, 30_000, 'the trace writer to sync');
    const text = new Y.XmlText();
    writer.doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [text]);
      writer.doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
    });
    const n = Math.min(edits, trace.txns.length);
    for (let i = 0; i < n; i += 250) {
      writer.doc.transact(() => {
        for (let j = i; j < Math.min(n, i + 250); j++) {
          for (const [pos, del, ins] of trace.txns[j]!.patches) {
            if (del > 0) text.delete(pos, del);
            if (ins) text.insert(pos, ins);
          }
        }
      });
      await new Promise((r) => setImmediate(r));
    }
    await server.commitQueue.whenIdle();
    await new Promise((r) => setTimeout(r, 500));
    await server.commitQueue.whenIdle();
    return n;
  } finally {
    writer.destroy();
  }
}

/** Longest event-loop stall (ms) while `work` runs, with a 1 ms resolution. */
async function stallDuring<T>(work: () => Promise<T>): Promise<{ result: T; maxMs: number; p99Ms: number; wallMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const started = performance.now();
  const result = await work();
  const wallMs = performance.now() - started;
  // A stall at the very end shows only when the sampling timer fires late: let it.
  await new Promise((r) => setTimeout(r, 20));
  h.disable();
  return { result, maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6, wallMs };
}

const bench: Bench = {
  name: 'operability',
  async run(): Promise<BenchTable[]> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-bench-ops-'));
    const backupDir = path.join(dataDir, 'backups');
    let demo: CreateEventResponse | null = null;
    const server = await createRoundtableServer({
      dataDir,
      log: createLogger('error'),
      unloadDelayMs: 0,
      demo: true,
      onDemoCreated: (created) => (demo = created),
      operability: { backup: { everyMs: 3_600_000, dir: backupDir, keep: 24 } },
    });
    const clients: { destroy(): void }[] = [];
    let typing: NodeJS.Timeout | undefined;
    try {
      if (!demo) throw new Error('the demo event was not created');
      const ev = demo as CreateEventResponse;
      const api = createApiClient({ baseUrl: server.url, token: ev.tokens.moderate });
      const traceSession = await api.createSession(ev.event.id, { title: 'Trace replay', rooms: ['Salon A'] });
      const replayed = await replayTrace(server, traceSession.id, ev.tokens.edit, envInt('BENCH_TRACE_EDITS', 1_000_000));

      const padMb = envInt('BENCH_OPS_PAD_MB', 0);
      if (padMb > 0) {
        server.db.exec('CREATE TABLE bench_padding (b BLOB)');
        const insert = server.db.prepare('INSERT INTO bench_padding VALUES (randomblob(65536))');
        server.db.transaction(() => {
          for (let i = 0; i < padMb * 16; i++) insert.run();
        })();
      }

      // Four note-takers typing 20 keystrokes a second each, in four sessions, throughout.
      const sessions = (await api.as(ev.tokens.view).getEvent(ev.event.id)).sessions.slice(0, 4);
      const typists = sessions.map((s) => connect(server.port, s.id, ev.tokens.edit));
      clients.push(...typists);
      await waitUntil(() => typists.every((t) => t.provider.synced), 30_000, 'typists to sync');
      const texts = typists.map((t) => {
        const text = new Y.XmlText();
        t.doc.transact(() => {
          const p = new Y.XmlElement('paragraph');
          p.insert(0, [text]);
          t.doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
        });
        return text;
      });
      typing = setInterval(() => texts.forEach((t) => t.insert(t.length, 'x')), 50);
      await new Promise((r) => setTimeout(r, 1000));

      const dbBytes = fs.statSync(path.join(dataDir, 'roundtable.sqlite')).size + (fs.statSync(path.join(dataDir, 'roundtable.sqlite-wal'), { throwIfNoEntry: false })?.size ?? 0);
      const worker = await stallDuring(() => server.ops.backups!.runOnce());
      if (!worker.result) throw new Error('the scheduled backup failed');
      const idle = await stallDuring(() => new Promise((r) => setTimeout(r, worker.wallMs)));
      const inThread = await stallDuring(() => backupDatabase({ source: server.db.name, out: path.join(backupDir, 'in-thread.sqlite') }));

      const scrapes: number[] = [];
      let scrapeBytes = 0;
      await fetch(`${server.url}/metrics`).then((r) => r.text());
      for (let i = 0; i < envInt('BENCH_OPS_SCRAPES', 100); i++) {
        const t0 = performance.now();
        scrapeBytes = (await (await fetch(`${server.url}/metrics`)).text()).length;
        scrapes.push(performance.now() - t0);
      }
      const r = worker.result;
      return [
        {
          title: `Backup of the demo event + ${replayed.toLocaleString('en-US')}-edit trace${padMb ? ` + ${padMb} MiB of padding rows` : ''} (${(dbBytes / MiB).toFixed(1)} MiB database and WAL; backup ${(r.bytes / MiB).toFixed(1)} MiB), 4 note-takers typing`,
          columns: ['', 'wall time', 'copy', 'verify', 'event-loop stall max', 'stall p99'],
          rows: [
            ['idle window of the same length (typing only)', `${idle.wallMs.toFixed(0)} ms`, '-', '-', `${idle.maxMs.toFixed(1)} ms`, `${idle.p99Ms.toFixed(1)} ms`],
            ['scheduled backup (BACKUP_EVERY: worker thread)', `${worker.wallMs.toFixed(0)} ms`, `${(r.copySeconds * 1000).toFixed(0)} ms`, `${(r.verifySeconds * 1000).toFixed(0)} ms`, `${worker.maxMs.toFixed(1)} ms`, `${worker.p99Ms.toFixed(1)} ms`],
            ['the same backup stepped on the event loop (for comparison)', `${inThread.wallMs.toFixed(0)} ms`, `${(inThread.result.copySeconds * 1000).toFixed(0)} ms`, `${(inThread.result.verifySeconds * 1000).toFixed(0)} ms`, `${inThread.maxMs.toFixed(1)} ms`, `${inThread.p99Ms.toFixed(1)} ms`],
          ],
          notes: [`${os.availableParallelism()} cores; the worker's wall time includes starting it (loading the TypeScript sources through tsx).`],
        },
        {
          title: 'GET /metrics',
          columns: ['scrapes', 'p50', 'p99', 'size'],
          rows: [[scrapes.length, `${quantile(scrapes, 0.5).toFixed(2)} ms`, `${quantile(scrapes, 0.99).toFixed(2)} ms`, `${(scrapeBytes / 1024).toFixed(1)} KiB`]],
        },
      ];
    } finally {
      clearInterval(typing);
      for (const c of clients) c.destroy();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default bench;
