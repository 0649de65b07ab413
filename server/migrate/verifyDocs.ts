import * as Y from 'yjs';
import type { DocStore, StoredDoc } from '../storage/docStore.js';

function stateOf(stored: StoredDoc): { vector: Uint8Array; update: Uint8Array } {
  const doc = new Y.Doc();
  try {
    Y.transact(doc, () => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(doc, u);
    });
    return { vector: Y.encodeStateVector(doc), update: Y.encodeStateAsUpdate(doc) };
  } finally {
    doc.destroy();
  }
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/**
 * Loads each document through both document stores (the same port the server
 * loads rooms with) and compares the states: the state vector and the full
 * state as one update, byte for byte. Resolves with the ids that differ.
 */
export async function differingDocs(docIds: readonly string[], source: Pick<DocStore, 'load'>, target: Pick<DocStore, 'load'>): Promise<string[]> {
  const differing: string[] = [];
  for (const id of docIds) {
    const a = stateOf(await source.load(id));
    const b = stateOf(await target.load(id));
    if (!same(a.vector, b.vector) || !same(a.update, b.update)) differing.push(id);
  }
  return differing;
}
