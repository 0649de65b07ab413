import * as Y from 'yjs';

/**
 * True when applying `update` to `doc` would change nothing: every struct is
 * already known and every deletion already applied. Read-only connections
 * legitimately send such updates (the SyncStep2 reply of a stock client);
 * anything else from them is a write.
 */
export function isNoopUpdate(doc: Y.Doc, update: Uint8Array): boolean {
  const { to } = Y.parseUpdateMeta(update);
  for (const [client, clock] of to) {
    if (clock > Y.getState(doc.store, client)) return false;
  }
  const { ds } = Y.decodeUpdate(update);
  if (ds.clients.size === 0) return true;
  const known = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, ranges] of ds.clients) {
    const have = known.clients.get(client) ?? [];
    for (const r of ranges) {
      if (!rangeCovered(have, r.clock, r.len)) return false;
    }
  }
  return true;
}

function rangeCovered(sorted: readonly { clock: number; len: number }[], clock: number, len: number): boolean {
  let pos = clock;
  const end = clock + len;
  for (const r of sorted) {
    if (r.clock + r.len <= pos) continue;
    if (r.clock > pos) return false;
    pos = r.clock + r.len;
    if (pos >= end) return true;
  }
  return pos >= end;
}
