// Run by bench/coldLoad.bench.ts in a fresh process (cold JIT, as after kill -9):
// one side of the load path for one document, one phase at a time, printed as JSON.
// Usage: node bench/coldLoadPhases.js <dataDir> <docId> server|client-parts|client-snapshot <snapshotFile>
// (through tsx or compiled). `server` writes the compacted snapshot to <snapshotFile>; `client-snapshot` reads it.
import fs from 'node:fs';
import * as Y from 'yjs';
import { answerFromStored } from '../server/collab/coldAnswer.js';
import { LIMITS } from '../shared/limits.js';
import { loadDocument } from '../server/collab/loadDocument.js';
import { openDatabase } from '../server/storage/database.js';
import { createSqliteDocStore } from '../server/storage/docStore.js';

const [dataDir, docId, mode, snapshotFile] = process.argv.slice(2);
if (!dataDir || !docId || !snapshotFile || !['server', 'client-parts', 'client-snapshot'].includes(mode ?? '')) {
  throw new Error('usage: coldLoadPhases <dataDir> <docId> server|client-parts|client-snapshot <snapshotFile>');
}
const lap = (() => {
  let t = performance.now();
  return () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
})();

const db = openDatabase(dataDir, 'roundtable.sqlite', { integrityCheck: false });
const store = createSqliteDocStore(db);
lap();
const stored = await store.load(docId);
const read = lap();
const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;

if (mode === 'client-parts') {
  // What a fresh y-websocket client does with the answer from storage: every part applied in order, one transaction each.
  lap();
  const client = new Y.Doc();
  for (const p of parts) Y.applyUpdate(client, p);
  console.info(JSON.stringify({ clientAppliesParts: lap() }));
} else if (mode === 'client-snapshot') {
  // The same document once a load compacted it: one part.
  const snapshot = new Uint8Array(fs.readFileSync(snapshotFile));
  lap();
  Y.applyUpdate(new Y.Doc(), snapshot);
  console.info(JSON.stringify({ clientAppliesSnapshot: lap() }));
} else {
  // What the server sends a client of a room still loading: every part validated, checked, framed.
  const cold = answerFromStored(stored);
  if (!cold) throw new Error('the stored parts cannot be answered from storage');
  const answerFromStorage = lap();
  // The room's own load, as the server runs it (reads the rows again: under a millisecond).
  const loaded = await loadDocument(store, docId, { maxDepth: LIMITS.maxNestingDepth, origin: null });
  if (loaded.damage) throw new Error(`the stored document is damaged: ${loaded.damage}`);
  const roomLoad = lap();
  // The room's load before: merge every part, then apply the merge.
  Y.applyUpdate(new Y.Doc({ gc: true }), Y.mergeUpdates(parts));
  const mergeThenApply = lap();
  fs.writeFileSync(snapshotFile, Y.encodeStateAsUpdate(loaded.doc));
  console.info(JSON.stringify({ parts: parts.length, bytes: parts.reduce((n, p) => n + p.length, 0), read, answerFromStorage, roomLoad, mergeThenApply }));
}
