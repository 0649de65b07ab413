import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import Database from 'better-sqlite3';
import { createApiClient } from '../shared/api/client.js';
import { NOTES_FRAGMENT } from '../shared/protocol.js';
import type { Bench, BenchTable } from './table.js';
import { waitUntil } from './lib/clients.js';
import { envInt } from './lib/numbers.js';
import { connectTraceClient, loadTrace, replayedText, traceFile, type EditingTrace } from './lib/trace.js';
import { ensureServerBuild, startMeasuredServer } from './compiledServer.js';
import { tempDataDir } from './tempDir.js';

/**
 * The trace document (260k edits) loaded cold after kill -9, until a fresh
 * client is synced, on the server as `npm start` runs it. The document is
 * stored as the live server left it (the latest snapshot plus the update log
 * after it); every round starts the server on a fresh copy of those files and
 * kills it with -9 once the client is synced, so every round loads the same
 * rows. Then the same after a load compacted the log (one snapshot), and the
 * load path's phases, each timed in a fresh process.
 *
 * Environment: BENCH_TRACE (a .json.gz trace), BENCH_COLD_ROUNDS [5].
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');



interface Phases {
  parts: number;
  bytes: number;
  read: number;
  answerFromStorage: number;
  clientAppliesParts: number;
  roomLoad: number;
  mergeThenApply: number;
  clientAppliesSnapshot: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const range = (xs: number[]) => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;

/** The document, typed through a real client in transactions of 250 edits (as the trace bench does), left as kill -9 leaves it. */
async function typeTrace(dataDir: string, trace: EditingTrace): Promise<{ sessionId: string; view: string }> {
  const server = await startMeasuredServer(dataDir, 'compiled');
  const api = createApiClient({ baseUrl: server.url });
  const created = await api.createEvent({ title: 'Cold load bench' });
  const session = await api.as(created.tokens.moderate).createSession(created.event.id, { title: 'Trace' });
  const writer = connectTraceClient(server.wsUrl, session.id, { token: created.tokens.edit });
  const observer = connectTraceClient(server.wsUrl, session.id, { token: created.tokens.view });
  await waitUntil(() => writer.provider.synced && observer.provider.synced, 30_000, 'writer and observer');
  const text = new Y.XmlText();
  writer.doc.transact(() => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [text]);
    writer.doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
  });
  if (trace.startContent) text.insert(0, trace.startContent);
  for (let i = 0; i < trace.txns.length; i += 250) {
    writer.doc.transact(() => {
      for (const t of trace.txns.slice(i, i + 250)) {
        for (const [pos, del, ins] of t.patches) {
          if (del > 0) text.delete(pos, del);
          if (ins) text.insert(pos, ins);
        }
      }
    });
    await new Promise((r) => setImmediate(r));
  }
  const target = Y.getState(writer.doc.store, writer.doc.clientID);
  await waitUntil(() => Y.getState(observer.doc.store, writer.doc.clientID) >= target, 600_000, 'the replay to be durable');
  await server.kill9();
  writer.destroy();
  observer.destroy();
  return { sessionId: session.id, view: created.tokens.view };
}

const bench: Bench = {
  name: 'coldload',
  async run(): Promise<BenchTable[]> {
    const file = traceFile();
    const trace = loadTrace(file);
    if (!trace) {
      console.info(`coldload bench skipped: ${file} not found (set BENCH_TRACE to a josephg/editing-traces .json.gz file)`);
      return [{ title: 'Cold load of the trace document (skipped)', columns: ['note'], rows: [[`no trace at ${file}`]] }];
    }
    ensureServerBuild();
    const rounds = Math.max(1, envInt('BENCH_COLD_ROUNDS', 5));
    // BENCH_COLD_DATA_DIR keeps the typed document between runs (it takes minutes to type).
    const keep = process.env.BENCH_COLD_DATA_DIR ? path.resolve(process.env.BENCH_COLD_DATA_DIR) : null;
    const dataDir = keep ?? tempDataDir();
    const marker = path.join(dataDir, 'coldload.json');
    const prepared = keep && fs.existsSync(marker) ? (JSON.parse(fs.readFileSync(marker, 'utf8')) as { sessionId: string; view: string }) : await typeTrace(dataDir, trace);
    if (keep) fs.writeFileSync(marker, JSON.stringify(prepared));
    const session = { id: prepared.sessionId };
    const created = { tokens: { view: prepared.view } };

    /** One cold load: the server restarted on `from` (copied, so every round loads the same rows), a fresh client until synced, kill -9. */
    const scratch = tempDataDir('rt-coldload-');
    const coldLoad = async (from: string, keepAs?: string) => {
      const dir = fs.mkdtempSync(path.join(scratch, 'round-'));
      for (const f of fs.readdirSync(from)) if (f.startsWith('roundtable.sqlite')) fs.copyFileSync(path.join(from, f), path.join(dir, f));
      const server = await startMeasuredServer(dir, 'compiled');
      const started = performance.now();
      const client = connectTraceClient(server.wsUrl, session.id, { token: created.tokens.view });
      let open = Number.NaN;
      let parts = 0;
      client.doc.on('update', () => {
        if (!client.provider.synced) parts++;
      });
      client.provider.on('status', ({ status }: { status: string }) => {
        if (status === 'connected' && Number.isNaN(open)) open = performance.now() - started;
      });
      await waitUntil(() => client.provider.synced, 120_000, 'the fresh client to sync');
      const synced = performance.now() - started;
      // With keepAs: the server lives until its load compacted the update log, then that state is kept.
      if (keepAs) await waitUntil(() => storedParts(dir, session.id) === 1, 60_000, 'the load to compact');
      await server.kill9();
      if (keepAs) for (const f of fs.readdirSync(dir)) if (f.startsWith('roundtable.sqlite')) fs.copyFileSync(path.join(dir, f), path.join(keepAs, f));
      const ok = replayedText(client.doc) === trace.endContent;
      client.destroy();
      return { open, synced, ok, parts };
    };

    const asTyped: Awaited<ReturnType<typeof coldLoad>>[] = [];
    for (let r = 0; r < rounds; r++) asTyped.push(await coldLoad(dataDir));
    const compactedDir = fs.mkdtempSync(path.join(scratch, 'compacted-'));
    await coldLoad(dataDir, compactedDir);
    const compacted: Awaited<ReturnType<typeof coldLoad>>[] = [];
    for (let r = 0; r < rounds; r++) compacted.push(await coldLoad(compactedDir));

    const snapshotFile = path.join(scratch, 'snapshot.bin');
    const phase = (mode: string) => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'coldLoadPhases.ts'), dataDir, session.id, mode, snapshotFile], { cwd: root, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`phases: ${run.stderr}`);
      return JSON.parse(run.stdout.trim().split('\n').pop()!) as Partial<Phases>;
    };
    const phases: Phases[] = [];
    for (let r = 0; r < rounds; r++) phases.push({ ...phase('server'), ...phase('client-parts'), ...phase('client-snapshot') } as Phases);
    const p0 = phases[0]!;
    const row = (label: string, loads: typeof asTyped) => [
      label,
      String(loads[0]!.parts),
      range(loads.map((l) => l.open)),
      range(loads.map((l) => l.synced)),
      loads.every((l) => l.ok) ? 'yes' : 'NO',
    ];
    const col = (k: keyof Phases) => range(phases.map((p) => p[k]));
    return [
      {
        title: `Cold load of the trace document after kill -9 (${trace.txns.length.toLocaleString('en-US')} edits; as typed: ${p0.parts} stored parts, ${(p0.bytes / 1024).toFixed(0)} KiB): ms, median (range) of ${rounds}`,
        columns: ['stored as', 'parts the client applied', 'connect → socket open', 'connect → synced (fresh client holds the document)', 'text = endContent'],
        rows: [row('as typing left it (snapshot + update log)', asTyped), row('after a load compacted it (one snapshot)', compacted)],
        notes: [
          'A fresh y-websocket client (view link) against the compiled server just restarted on a copy of the same data; includes the WebSocket handshake, the link check, the answer from storage and the client applying it.',
          'The second row: the server was restarted once on the typed data and lived until its load compacted the update log (TIMINGS.compactAtLoadUpdates), then was killed with -9.',
        ],
      },
      {
        title: 'Where the time goes, each step timed in a fresh process (cold JIT): ms, median (range)',
        columns: [
          'read the rows',
          'answer from storage (validate, check, frame every part)',
          'a cold client applies those parts',
          'room load (validate, apply in one transaction, measure)',
          'before: merge, then apply',
          'a cold client applies the compacted snapshot',
        ],
        rows: [[col('read'), col('answerFromStorage'), col('clientAppliesParts'), col('roomLoad'), col('mergeThenApply'), col('clientAppliesSnapshot')]],
        notes: [
          'bench/coldLoadPhases.ts runs the functions the server runs (docStore.load, answerFromStored, loadDocument); each "cold client" step runs in its own fresh process, before Yjs has run there.',
        ],
      },
    ];
  },
};

/** How many parts a load of `docId` reads now (the latest snapshot, if any, and the updates after it). */
function storedParts(dataDir: string, docId: string): number {
  const db = new Database(path.join(dataDir, 'roundtable.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const snap = db.prepare<[string], { upto_seq: number }>('SELECT upto_seq FROM doc_snapshots WHERE doc_id = ? ORDER BY id DESC LIMIT 1').get(docId);
    const n = db.prepare<[string, number], { n: number }>('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_id = ? AND seq > ?').get(docId, snap?.upto_seq ?? 0)!.n;
    return (snap ? 1 : 0) + n;
  } finally {
    db.close();
  }
}

export default bench;
