// Run by bench/coldLoad.bench.ts in a fresh process (cold JIT, as after kill -9):
// the server's load path for one document, one phase at a time, printed as JSON.
// Usage: node bench/coldLoadPhases.js <dataDir> <docId> (through tsx or compiled).
import * as Y from 'yjs';
import { answerFromStored } from '../server/collab/coldAnswer.js';
import { encodeSyncStep2 } from '../server/collab/messages.js';
import { validateUpdateV1 } from '../server/collab/updateValidation.js';
import { openDatabase } from '../server/storage/database.js';
import { createSqliteDocStore } from '../server/storage/docStore.js';

const [dataDir, docId] = process.argv.slice(2);
if (!dataDir || !docId) throw new Error('usage: coldLoadPhases <dataDir> <docId>');
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
const open = lap();
const stored = await store.load(docId);
const read = lap();
const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
// What the server now sends a client of a room still loading: every part validated, checked, framed.
const cold = answerFromStored(stored);
if (!cold) throw new Error('the stored parts cannot be answered from storage');
const answerFromStorage = lap();
// The room's own load, as before: validate, merge, apply, encode the answer.
if (!parts.every((p) => validateUpdateV1(p) === null)) throw new Error('a stored part does not validate');
const validate = lap();
const merged = parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
const merge = lap();
const doc = new Y.Doc({ gc: true });
Y.applyUpdate(doc, merged);
const apply = lap();
const fromDoc = encodeSyncStep2(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(new Y.Doc())));
const answerFromDoc = lap();
// What the client does with the answer from storage: every part applied in order.
const client = new Y.Doc();
for (const p of parts) Y.applyUpdate(client, p);
const clientAppliesParts = lap();
console.info(
  JSON.stringify({ parts: parts.length, bytes: merged.length, open, read, validate, merge, answerFromStorage, apply, answerFromDoc, clientAppliesParts, docAnswerBytes: fromDoc.length }),
);
