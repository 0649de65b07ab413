import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { createApiClient } from '../shared/api/client.js';
import { NOTES_FRAGMENT } from '../shared/protocol.js';
import type { Bench, BenchTable } from './table.js';
import { waitUntil } from './lib/clients.js';
import { envInt } from './lib/numbers.js';
import { loadTrace, type EditingTrace } from './lib/trace.js';
import { ensureServerBuild, startMeasuredServer } from './compiledServer.js';
import { tempDataDir } from './tempDir.js';

/**
 * The trace document (260k edits) loaded cold after kill -9, until a fresh
 * client is synced, on the server as `npm start` runs it. The document is
 * stored as the live server left it (the latest snapshot plus the update log
 * after it); every round kills the server with -9 while the client is still
 * connected, so nothing compacts in between and every round loads the same
 * rows. Then the load path's phases, each timed in a fresh process.
 *
 * Environment: BENCH_TRACE (a .json.gz trace), BENCH_COLD_ROUNDS [5].
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Next to the checkout (../shared), or next to the directory of worktrees (../../shared).
const DEFAULT_TRACE = ['..', '../..'].map((up) => path.resolve(root, up, 'shared/fixtures/traces/automerge-paper.json.gz')).find((f) => fs.existsSync(f)) ?? path.resolve(root, '../shared/fixtures/traces/automerge-paper.json.gz');

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

function connect(wsUrl: string, room: string, token: string): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, room, doc, { params: { token }, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
  provider.awareness.setLocalState(null);
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

function paragraphText(doc: Y.Doc): string {
  const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
  const last = fragment.get(fragment.length - 1);
  const text = last instanceof Y.XmlElement ? last.get(0) : null;
  return text instanceof Y.XmlText ? text.toString() : '';
}

interface Phases {
  parts: number;
  bytes: number;
  read: number;
  validate: number;
  merge: number;
  answerFromStorage: number;
  apply: number;
  answerFromDoc: number;
  clientAppliesParts: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const range = (xs: number[]) => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;

/** The document, typed through a real client in transactions of 250 edits (as the trace bench does), left as kill -9 leaves it. */
async function typeTrace(dataDir: string, trace: EditingTrace): Promise<{ sessionId: string; view: string }> {
  const server = await startMeasuredServer(dataDir, 'compiled');
  const api = createApiClient({ baseUrl: server.url });
  const created = await api.createEvent({ title: 'Cold load bench' });
  const session = await api.as(created.tokens.moderate).createSession(created.event.id, { title: 'Trace' });
  const writer = connect(server.wsUrl, session.id, created.tokens.edit);
  const observer = connect(server.wsUrl, session.id, created.tokens.view);
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
    const file = process.env.BENCH_TRACE ? path.resolve(process.env.BENCH_TRACE) : DEFAULT_TRACE;
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
    let server: Awaited<ReturnType<typeof startMeasuredServer>>;

    const loads: { open: number; synced: number; ok: boolean }[] = [];
    for (let r = 0; r < rounds; r++) {
      server = await startMeasuredServer(dataDir, 'compiled');
      const started = performance.now();
      const client = connect(server.wsUrl, session.id, created.tokens.view);
      let open = Number.NaN;
      client.provider.on('status', ({ status }: { status: string }) => {
        if (status === 'connected' && Number.isNaN(open)) open = performance.now() - started;
      });
      await waitUntil(() => client.provider.synced, 120_000, 'the fresh client to sync');
      const synced = performance.now() - started;
      // kill -9 with the client still there: no unload, no compaction, the next round loads the same rows.
      await server.kill9();
      loads.push({ open, synced, ok: paragraphText(client.doc) === trace.endContent });
      client.destroy();
    }

    const phases: Phases[] = [];
    for (let r = 0; r < rounds; r++) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'coldLoadPhases.ts'), dataDir, session.id], { cwd: root, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`phases: ${run.stderr}`);
      phases.push(JSON.parse(run.stdout.trim().split('\n').pop()!) as Phases);
    }
    const p0 = phases[0]!;
    return [
      {
        title: `Cold load of the trace document after kill -9 (${trace.txns.length.toLocaleString('en-US')} edits; ${p0.parts} stored parts, ${(p0.bytes / 1024).toFixed(0)} KiB merged): ms, median (range) of ${rounds}`,
        columns: ['connect → socket open', 'connect → synced (fresh client holds the document)', 'text = endContent'],
        rows: [[range(loads.map((l) => l.open)), range(loads.map((l) => l.synced)), loads.every((l) => l.ok) ? 'yes' : 'NO']],
        notes: ['A fresh y-websocket client (view link) against the compiled server just restarted on the same data; includes the WebSocket handshake, the link check, the load, the answer and the client applying it.'],
      },
      {
        title: 'Where the time goes, each step timed in a fresh process (cold JIT): ms, median (range)',
        columns: ['read the rows', 'now: answer from storage (validate, check, frame every part)', 'client applies those parts', 'room load: validate', 'merge', 'apply into the room’s Y.Doc', 'encode the answer from the Y.Doc (before)'],
        rows: [[range(phases.map((p) => p.read)), range(phases.map((p) => p.answerFromStorage)), range(phases.map((p) => p.clientAppliesParts)), range(phases.map((p) => p.validate)), range(phases.map((p) => p.merge)), range(phases.map((p) => p.apply)), range(phases.map((p) => p.answerFromDoc))]],
        notes: [
          'bench/coldLoadPhases.ts runs the functions the server runs (docStore.load, answerFromStored, validateUpdateV1, Y.mergeUpdates, Y.applyUpdate, encodeStateAsUpdate), one after another.',
          'Before: a fresh client waited for read + validate + merge + apply + the room extensions + encode, then applied the answer. Now it is sent the stored parts after read + answer from storage, while the room loads, and is synced once it applied them.',
        ],
      },
    ];
  },
};

export default bench;
