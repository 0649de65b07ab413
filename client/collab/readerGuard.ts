import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';

/** An update that changes nothing (no structs, no deletions): what a reader may send. */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

function isEmptyUpdate(update: Uint8Array): boolean {
  try {
    const { structs, ds } = Y.decodeUpdate(update);
    return structs.length === 0 && ds.clients.size === 0;
  } catch {
    return false;
  }
}

/**
 * What a connection that may not write puts on the wire instead of `data`.
 * A sync step 2 or update that carries content (the editor's trailing
 * paragraph, a node ProseMirror dropped, edits another tab left in this
 * device's copy) would be refused by the server with 4403; the reader sends
 * the same message with an empty update instead, so the protocol exchange is
 * unchanged and the server never sees a write. Everything else passes.
 */
export function readerSafeMessage(data: Uint8Array): { data: Uint8Array; withheld: boolean } {
  let sub: number;
  let update: Uint8Array;
  try {
    const d = decoding.createDecoder(data);
    if (decoding.readVarUint(d) !== MESSAGE_TYPES.sync) return { data, withheld: false };
    sub = decoding.readVarUint(d);
    if (sub !== SYNC_TYPES.step2 && sub !== SYNC_TYPES.update) return { data, withheld: false };
    update = decoding.readVarUint8Array(d);
  } catch {
    return { data, withheld: false };
  }
  if (isEmptyUpdate(update)) return { data, withheld: false };
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.sync);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, EMPTY_UPDATE);
  return { data: encoding.toUint8Array(e), withheld: true };
}
