import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { TIMINGS } from '../shared/limits.js';
import { NOTES_FRAGMENT } from '../shared/protocol.js';
import { createHistory } from '../server/history/createHistory.js';
import { createLogger } from '../server/logger.js';
import { createNotesSchema } from '../server/notesSchema.js';
import { loadedSchema } from '../server/notesSchemaLoader.js';
import { openDatabase } from '../server/storage/database.js';
import { createSqliteDocStore } from '../server/storage/docStore.js';
import { envInt, MiB, quantile } from './lib/numbers.js';
import { loadTrace, traceFile } from './lib/trace.js';
import type { Bench, BenchTable } from './table.js';

/**
 * History on the 260k-edit trace (the Automerge paper typed character by
 * character): the real SQLite document store and the real history module
 * (fold at compaction, checkpoints, the timeslider's reads), driven
 * in-process with a simulated clock, one keystroke every BENCH_TYPING_PACE_MS
 * and a pause that starts a new revision every BENCH_HISTORY_PAUSE_EVERY
 * keystrokes. Commits group BENCH_HISTORY_GROUP keystrokes (group commit).
 *
 * Aims (issue 13): history bytes per keystroke ≤ 10; opening the timeslider
 * (the version list and the newest version's notes) ≤ 1 s; one slider step
 * ≤ 100 ms; loading the current document no slower than without history.
 */

// Beside the repository (../shared), or beside the folder of worktrees it sits in.
const DOC = 'bench-history-doc';

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await fn();
  return [out, performance.now() - t];
}

const bench: Bench = {
  name: 'history',
  async run() {
    const file = traceFile();
    const trace = loadTrace(file);
    if (!trace) {
      console.info(`history bench skipped: the editing trace ${file} is missing (set BENCH_TRACE to a josephg/editing-traces .json.gz file)`);
      return [{ title: 'History on the editing trace (skipped)', columns: ['note'], rows: [[`no trace at ${file}: history bench not run`]] }];
    }
    const edits = Math.min(trace.txns.length, envInt('BENCH_TRACE_EDITS', trace.txns.length));
    const paceMs = envInt('BENCH_TYPING_PACE_MS', 250);
    const pauseEvery = Math.max(1, envInt('BENCH_HISTORY_PAUSE_EVERY', 500));
    const group = Math.max(1, envInt('BENCH_HISTORY_GROUP', 4));
    const compactEvery = envInt('COMPACT_EVERY_UPDATES', TIMINGS.compactEveryUpdates);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-history-bench-'));
    const db = openDatabase(dir);
    // Bytes and read times are what is measured here, not fsync: commits skip it (the other benches measure commits).
    db.pragma('synchronous = OFF');
    let clock = Date.parse('2026-04-25T16:15:00Z');
    const now = () => clock;
    const log = createLogger('warn');
    const history = createHistory({ db, log, now });
    const docs = history.docs(createSqliteDocStore(db, { now }));
    const schema = createNotesSchema();
    try {
      // The writer: one note-taker, bound to their client id as the room would bind it.
      const writer = new Y.Doc();
      const server = new Y.Doc();
      await history.store.bind(DOC, writer.clientID, 'person', 'Ana', '#cf222e', new Date(clock).toISOString());
      const text = new Y.XmlText();
      const pending: Uint8Array[] = [];
      writer.on('update', (u: Uint8Array) => pending.push(u));
      writer.transact(() => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [text]);
        writer.getXmlFragment(NOTES_FRAGMENT).push([p]);
      });
      if (trace.startContent) text.insert(0, trace.startContent);

      let commits = 0;
      let sinceSnapshot = 0;
      let lastSeq = 0;
      let foldMs = 0;
      const commit = async () => {
        if (!pending.length) return;
        const update = pending.length === 1 ? pending[0]! : Y.mergeUpdates(pending);
        pending.length = 0;
        Y.applyUpdate(server, update);
        lastSeq = (await docs.append([{ docId: DOC, update }])).get(DOC)!;
        commits++;
        if (++sinceSnapshot >= compactEvery) {
          const [, ms] = await timeAsync(() => docs.compact(DOC, Y.encodeStateAsUpdate(server), lastSeq));
          foldMs += ms;
          sinceSnapshot = 0;
        }
      };

      const replayStart = performance.now();
      for (let i = 0; i < edits; i++) {
        for (const [pos, del, ins] of trace.txns[i]!.patches) {
          if (del > 0) text.delete(pos, del);
          if (ins) text.insert(pos, ins);
        }
        clock += (i + 1) % pauseEvery === 0 ? 15_000 : paceMs;
        if ((i + 1) % group === 0) await commit();
      }
      await commit();
      // The room's last compaction (at unload): everything folded.
      const [, lastFoldMs] = await timeAsync(() => docs.compact(DOC, Y.encodeStateAsUpdate(server), lastSeq));
      foldMs += lastFoldMs;
      const replaySeconds = (performance.now() - replayStart) / 1000;
      const finalText = text.toString();

      const sizes = (sql: string) => db.prepare<[string], { n: number; bytes: number | null }>(sql).get(DOC)!;
      const revs = sizes('SELECT count(*) AS n, sum(length(data)) AS bytes FROM history_revisions WHERE doc_id = ?');
      const cps = sizes('SELECT count(*) AS n, sum(length(data)) AS bytes FROM history_checkpoints WHERE doc_id = ?');
      const snaps = sizes('SELECT count(*) AS n, sum(length(data)) AS bytes FROM doc_snapshots WHERE doc_id = ?');
      const historyBytes = (revs.bytes ?? 0) + (cps.bytes ?? 0);

      // The timeslider, cold: a fresh service and no view in memory.
      const registry = { get: () => undefined, acquire: () => Promise.reject(new Error('read-only bench')), release: () => undefined };
      const past = history.start({ registry, commitQueue: { whenIdle: async () => undefined }, docStore: docs, schema: loadedSchema(schema) });
      const [list, listMs] = await timeAsync(() => past.service.list(DOC, {}));
      const [newest, newestMs] = await timeAsync(() => past.service.version(DOC, list.latest));
      const shown = JSON.stringify(newest.doc).length;
      const steps: number[] = [];
      for (let rev = list.latest - 1; rev >= Math.max(1, list.latest - 30); rev--) steps.push((await timeAsync(() => past.service.version(DOC, rev)))[1]);
      const jumps: number[] = [];
      for (let k = 0; k < 20; k++) {
        const rev = 1 + Math.floor(((k * 7919) % 1000) / 1000 * list.latest);
        jumps.push((await timeAsync(() => past.service.version(DOC, rev)))[1]);
      }
      const [, diffMs] = await timeAsync(() => past.service.version(DOC, list.latest, { diff: Math.max(1, Math.floor(list.latest / 2)) }));

      // Cold load of the current document (the snapshot path, as a room loads it).
      const loads: number[] = [];
      for (let k = 0; k < 5; k++) {
        loads.push(
          (
            await timeAsync(async () => {
              const stored = await docs.load(DOC);
              const d = new Y.Doc();
              Y.applyUpdate(d, stored.snapshot ? Y.mergeUpdates([stored.snapshot, ...stored.updates]) : Y.mergeUpdates(stored.updates));
              d.destroy();
            })
          )[1],
        );
      }
      history.close();
      writer.destroy();
      server.destroy();

      const perKey = historyBytes / edits;
      const p50 = (xs: number[]) => quantile(xs, 0.5);
      const max = (xs: number[]) => Math.max(...xs);
      const verdict = (ok: boolean) => (ok ? 'within aim' : 'ABOVE AIM');
      return [
        {
          title: `History of ${edits.toLocaleString('en-US')} keystrokes of ${path.basename(file)} (${commits.toLocaleString('en-US')} commits, ${list.latest} revisions)`,
          columns: ['measure', 'value', 'aim', 'verdict'],
          rows: [
            ['history bytes per keystroke (revisions + checkpoints)', perKey, '≤ 10', verdict(perKey <= 10)],
            ['open the timeslider: version list ms', listMs, '', ''],
            ['open the timeslider: newest version ms', newestMs, '', ''],
            ['open the timeslider: total ms (first frame)', listMs + newestMs, '≤ 1000', verdict(listMs + newestMs <= 1000)],
            ['one slider step ms, median (30 steps back)', p50(steps), '≤ 100', verdict(p50(steps) <= 100)],
            ['one slider step ms, worst', max(steps), '≤ 100', verdict(max(steps) <= 100)],
            ['random jump ms, median / worst (20)', `${p50(jumps).toFixed(1)} / ${max(jumps).toFixed(1)}`, '', ''],
            ['diff newest vs the middle version ms', diffMs, '', ''],
            ['cold load of the current document ms, median of 5', p50(loads), 'no regression', ''],
          ],
          notes: [
            `Stored: ${revs.n} revisions (${((revs.bytes ?? 0) / MiB).toFixed(2)} MiB), ${cps.n} history checkpoints (${((cps.bytes ?? 0) / MiB).toFixed(2)} MiB); the notes' own snapshots: ${snaps.n} (${((snaps.bytes ?? 0) / MiB).toFixed(2)} MiB), unchanged by history.`,
            `Final text ${finalText.length.toLocaleString('en-US')} characters${edits === trace.txns.length ? (finalText === trace.endContent ? ' (= endContent)' : ' (≠ endContent!)') : ''}; newest version JSON ${(shown / 1024).toFixed(0)} KiB.`,
            `Replay ${replaySeconds.toFixed(1)} s including ${(foldMs / 1000).toFixed(1)} s folding at compactions (every ${compactEvery} commits); simulated typing: a keystroke every ${paceMs} ms, a 15 s pause every ${pauseEvery} keystrokes, ${group} keystrokes per commit.`,
            'The cold load reads the snapshot and the update log exactly as before: history adds no read to that path.',
          ],
        },
      ] satisfies BenchTable[];
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
