import path from 'node:path';
import * as Y from 'yjs';
import { DEFAULT_CHECKPOINT_SPACING_MS } from '../server/storage/docStore.js';
import { NOTES_FRAGMENT } from '../shared/protocol.js';
import type { Bench, BenchTable } from './table.js';
import { waitUntil } from './lib/clients.js';
import { envInt, MiB } from './lib/numbers.js';
import type { RoomAccess } from './lib/peerChild.js';
import { PeerProcesses, type PeerProcess } from './lib/peerProcess.js';
import { connectTraceClient, loadTrace, replayedText, traceFile, type EditingTrace } from './lib/trace.js';

/**
 * A real 260k-edit history (the LaTeX source of the Automerge paper, typed
 * character by character) replayed by a real y-websocket client into one
 * paragraph of a Roundtable session, then: what SQLite holds, and how long a
 * fresh client waits for the document after a restart.
 *
 * Environment: BENCH_TRACE (path to a .json.gz trace), BENCH_TRACE_BATCH
 * (edits per client transaction [250]), BENCH_TRACE_EDITS (replay only the
 * first N edits, for quick runs; the text check is then skipped).
 */


interface Storage {
  updateRows: number;
  updateBytes: number;
  snapshotRows: number;
  snapshotBytes: number;
  latestSnapshotBytes: number;
  fileBytes: number;
}



/** Time from creating a fresh client until it holds the whole document. */
async function coldLoad(server: PeerProcess, room: RoomAccess, expected: string | null) {
  const before = await server.stats();
  await server.mark();
  const started = performance.now();
  const client = connectTraceClient(`ws://127.0.0.1:${server.port}/collab`, room.name, room.readParams);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('cold load: no sync within 120 s')), 120_000);
      client.provider.once('sync', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const ms = performance.now() - started;
    const stats = await server.stats();
    const text = replayedText(client.doc);
    return {
      ms,
      cpuMs: stats.cpuUs / 1000,
      rssBeforeMiB: before.rssBytes / MiB,
      rssAfterMiB: stats.rssBytes / MiB,
      heapMiB: stats.heapUsedBytes / MiB,
      chars: text.length,
      matches: expected === null ? null : text === expected,
    };
  } finally {
    client.destroy();
  }
}

async function replay(server: PeerProcess, room: RoomAccess, trace: EditingTrace, edits: number, batch: number) {
  const writer = connectTraceClient(`ws://127.0.0.1:${server.port}/collab`, room.name, room.writeParams);
  const observer = connectTraceClient(`ws://127.0.0.1:${server.port}/collab`, room.name, room.readParams);
  try {
    await waitUntil(() => writer.provider.synced && observer.provider.synced, 30_000, 'writer and observer to sync');
    const text = new Y.XmlText();
    writer.doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [text]);
      writer.doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
    });
    if (trace.startContent) text.insert(0, trace.startContent);
    await waitUntil(() => Y.getState(observer.doc.store, writer.doc.clientID) >= Y.getState(writer.doc.store, writer.doc.clientID), 30_000, 'set-up');

    let updates = 0;
    let bytes = 0;
    writer.doc.on('update', (u: Uint8Array) => {
      updates++;
      bytes += u.length;
    });
    await server.mark();
    const started = performance.now();
    for (let i = 0; i < edits; i += batch) {
      writer.doc.transact(() => {
        for (let j = i; j < Math.min(edits, i + batch); j++) {
          for (const [pos, del, ins] of trace.txns[j]!.patches) {
            if (del > 0) text.delete(pos, del);
            if (ins) text.insert(pos, ins);
          }
        }
      });
      // Let the socket write between batches, as a live client would.
      await new Promise((r) => setImmediate(r));
    }
    const target = Y.getState(writer.doc.store, writer.doc.clientID);
    // The server broadcasts only what it has committed: once the observer has it all, it is durable.
    await waitUntil(() => Y.getState(observer.doc.store, writer.doc.clientID) >= target, 600_000, 'the replay to reach the observer');
    const seconds = (performance.now() - started) / 1000;
    const stats = await server.stats();
    return { updates, bytes, seconds, stats, observed: replayedText(observer.doc) };
  } finally {
    writer.destroy();
    observer.destroy();
  }
}

/**
 * What the snapshot checkpoints would add up to if every edit were its own
 * commit (one person typing: one keystroke every `paceMs`), with the server's
 * policy: a snapshot every `every` commits, the latest always kept and older
 * ones at most one per DEFAULT_CHECKPOINT_SPACING_MS. Computed locally with
 * Yjs, no server: it projects storage, it does not measure it.
 */
function projectSnapshots(trace: EditingTrace, edits: number, every: number, paceMs: number): { count: number; bytes: number; made: number; ms: number } {
  const started = performance.now();
  const doc = new Y.Doc();
  const text = doc.getText('t');
  const kept: { at: number; bytes: number }[] = [];
  let made = 0;
  for (let i = 0; i < edits; i++) {
    for (const [pos, del, ins] of trace.txns[i]!.patches) {
      if (del > 0) text.delete(pos, del);
      if (ins) text.insert(pos, ins);
    }
    if ((i + 1) % every === 0) {
      made++;
      const latest = kept.at(-1);
      const before = kept.at(-2);
      if (latest && before && latest.at - before.at < DEFAULT_CHECKPOINT_SPACING_MS) kept.pop();
      kept.push({ at: (i + 1) * paceMs, bytes: Y.encodeStateAsUpdate(doc).length });
    }
  }
  doc.destroy();
  return { count: kept.length, bytes: kept.reduce((n, k) => n + k.bytes, 0), made, ms: performance.now() - started };
}

const kib = (n: number) => `${(n / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} KiB`;

function storageRow(label: string, s: Storage): (string | number)[] {
  return [label, s.updateRows, kib(s.updateBytes), s.snapshotRows, kib(s.snapshotBytes), kib(s.latestSnapshotBytes), kib(s.fileBytes)];
}

const bench: Bench = {
  name: 'trace',
  async run() {
    const file = traceFile();
    const trace = loadTrace(file);
    if (!trace) {
      console.info(`trace bench skipped: ${file} not found (set BENCH_TRACE to a josephg/editing-traces .json.gz file)`);
      return [{ title: 'Editing trace replay (skipped)', columns: ['note'], rows: [[`no trace at ${file}`]] }];
    }
    const edits = Math.min(trace.txns.length, envInt('BENCH_TRACE_EDITS', trace.txns.length));
    const batch = Math.max(1, envInt('BENCH_TRACE_BATCH', 250));
    const full = edits === trace.txns.length;
    const expected = full ? trace.endContent : null;

    const procs = new PeerProcesses();
    const dataDir = procs.tempDir('rt-trace-');
    try {
      // 1. Replay into a fresh server.
      let server = await procs.start('roundtable', { DATA_DIR: dataDir });
      const [room] = await server.prepareRooms(1);
      if (!room) throw new Error('no room');
      const r = await replay(server, room, trace, edits, batch);
      const live = await server.request<Storage>('storage', room.name);
      const textOk = expected === null ? 'not checked (partial replay)' : r.observed === expected ? 'yes' : 'NO';

      // 2. kill -9, restart: the document comes back from its last snapshot plus the update log.
      await server.kill9();
      server = await procs.start('roundtable', { DATA_DIR: dataDir });
      const afterKill = await server.request<Storage>('storage', room.name);
      const loadLog = await coldLoad(server, room, expected);
      const warm = await coldLoad(server, room, expected);

      // 3. Graceful stop (compacts into one more snapshot), restart, load again.
      await server.stop();
      server = await procs.start('roundtable', { DATA_DIR: dataDir });
      const compacted = await server.request<Storage>('storage', room.name);
      const loadSnap = await coldLoad(server, room, expected);
      await server.stop();

      const every = envInt('COMPACT_EVERY_UPDATES', 500);
      const paceMs = envInt('BENCH_TYPING_PACE_MS', 250);
      const projection = projectSnapshots(trace, edits, every, paceMs);

      const check = (m: boolean | null) => (m === null ? 'not checked' : m ? 'yes' : 'NO');
      return [
        {
          title: `Replay: ${edits.toLocaleString('en-US')} edits of ${path.basename(file)} through one y-websocket client`,
          columns: ['edits', 'edits / transaction', 'updates sent', 'update bytes sent', 'seconds', 'edits / s', 'server CPU ms', 'server µs CPU / edit', 'server RSS MiB', 'final text = endContent'],
          rows: [[edits, batch, r.updates, kib(r.bytes), r.seconds, edits / r.seconds, r.stats.cpuUs / 1000, r.stats.cpuUs / edits, r.stats.rssBytes / MiB, textOk]],
          notes: [
            'Timed from the first transaction until a second (read-only) client holds every edit; the server broadcasts only committed updates, so that is also "all durable".',
            'Edits are grouped into transactions because the server limits each connection to 300 messages/s (bursts of 1,200); one edit per message would measure that limit.',
          ],
        },
        {
          title: 'Stored in SQLite for this document',
          columns: ['when', 'update rows', 'update bytes', 'snapshot rows', 'snapshot bytes (checkpoints kept)', 'latest snapshot', 'database file + WAL'],
          rows: [storageRow('right after the replay', live), storageRow('after kill -9', afterKill), storageRow('after a graceful stop (compacted)', compacted)],
          notes: [
            `endContent is ${trace.endContent.length.toLocaleString('en-US')} characters. Snapshots double as checkpoints for past versions: the latest is always kept, older ones at most one per ${DEFAULT_CHECKPOINT_SPACING_MS / 60_000} minutes.`,
            'The database file includes the template, the event and session rows, and free pages; the WAL is counted until SQLite checkpoints it.',
            `Projection (computed with Yjs, not measured through the server): if every edit were its own commit, one keystroke every ${paceMs} ms (${((edits * paceMs) / 3_600_000).toFixed(1)} hours of typing), a snapshot every ${every} commits makes ${projection.made.toLocaleString('en-US')} snapshots; the checkpoint spacing keeps ${projection.count.toLocaleString('en-US')} of them, ${(projection.bytes / MiB).toFixed(1)} MiB for this one document.`,
          ],
        },
        {
          title: 'Loading the document after a restart (fresh client, connect → synced)',
          columns: ['case', 'ms', 'server CPU ms', 'server RSS before MiB', 'server RSS after MiB', 'server heap MiB', 'characters', 'text = endContent'],
          rows: [
            ['cold, after kill -9 (snapshot + update log)', loadLog.ms, loadLog.cpuMs, loadLog.rssBeforeMiB, loadLog.rssAfterMiB, loadLog.heapMiB, loadLog.chars, check(loadLog.matches)],
            ['warm (document already loaded)', warm.ms, warm.cpuMs, warm.rssBeforeMiB, warm.rssAfterMiB, warm.heapMiB, warm.chars, check(warm.matches)],
            ['cold, after graceful stop (one snapshot)', loadSnap.ms, loadSnap.cpuMs, loadSnap.rssBeforeMiB, loadSnap.rssAfterMiB, loadSnap.heapMiB, loadSnap.chars, check(loadSnap.matches)],
          ],
          notes: ['Includes the WebSocket handshake, token check, SQLite read, Y.Doc rebuild on the server, the SyncStep2 reply and the client applying it.'],
        },
      ] satisfies BenchTable[];
    } finally {
      await procs.dispose();
    }
  },
};

export default bench;
