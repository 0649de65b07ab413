import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { mergeUpdates } from 'yjs';
import { emptyShape, S_CLIENT, S_CLOCK, S_LENGTH, S_REF, STRUCT_FIELDS, validateUpdateV1 } from './updateValidation.js';

/**
 * Merges a room's pending updates (the document's own `update` events, in
 * the order they were applied) into the one update a commit stores and
 * broadcasts. Y.mergeUpdates decodes every struct and encodes it again; the
 * usual batch (keystrokes: items appended by one client each, nothing
 * deleted) is merged by copying bytes instead, and anything else goes to
 * Y.mergeUpdates.
 */
export function mergePending(updates: readonly Uint8Array[]): Uint8Array {
  if (updates.length === 1) return updates[0]!;
  return concatenateAppends(updates) ?? mergeUpdates(updates as Uint8Array[]);
}

interface Part {
  client: number;
  first: number;
  end: number;
  structs: number;
  bytes: Uint8Array;
}

/**
 * When every update holds items of a single client and no deletions, and
 * each client's items follow on from one another, their merge is the items
 * copied as they are: client blocks from the highest id down (Y.mergeUpdates'
 * order), each client's items in clock order. Otherwise null.
 */
export function concatenateAppends(updates: readonly Uint8Array[]): Uint8Array | null {
  const parts: Part[] = [];
  for (const u of updates) {
    const shape = emptyShape();
    if (validateUpdateV1(u, undefined, shape) !== null) return null;
    // One client block, and an empty delete set: a single 0 after the structs.
    if (shape.blocks.length !== 3 || shape.structsEnd !== u.length - 1 || u[u.length - 1] !== 0) return null;
    const s = shape.structs;
    for (let f = 0; f < s.length; f += STRUCT_FIELDS) {
      // GCs are joined and Skips dropped by Y.mergeUpdates: not a plain copy.
      if (s[f + S_REF] === 0 || s[f + S_REF] === 10) return null;
    }
    const last = s.length - STRUCT_FIELDS;
    const d = decoding.createDecoder(u);
    decoding.readVarUint(d); // one client
    decoding.readVarUint(d); // its struct count
    decoding.readVarUint(d); // its id
    decoding.readVarUint(d); // its first clock
    parts.push({ client: s[S_CLIENT]!, first: s[S_CLOCK]!, end: s[last + S_CLOCK]! + s[last + S_LENGTH]!, structs: s.length / STRUCT_FIELDS, bytes: u.subarray(d.pos, shape.structsEnd) });
  }
  parts.sort((a, b) => (a.client === b.client ? a.first - b.first : b.client - a.client));
  const e = encoding.createEncoder();
  let clients = 0;
  for (let i = 0; i < parts.length; i++) if (i === 0 || parts[i]!.client !== parts[i - 1]!.client) clients++;
  encoding.writeVarUint(e, clients);
  for (let i = 0; i < parts.length; ) {
    const client = parts[i]!.client;
    let j = i;
    let structs = 0;
    for (; j < parts.length && parts[j]!.client === client; j++) {
      // A gap or an overlap between two updates of one client: Y.mergeUpdates fills or slices it.
      if (j > i && parts[j]!.first !== parts[j - 1]!.end) return null;
      structs += parts[j]!.structs;
    }
    encoding.writeVarUint(e, structs);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, parts[i]!.first);
    for (let k = i; k < j; k++) encoding.writeUint8Array(e, parts[k]!.bytes);
    i = j;
  }
  encoding.writeVarUint(e, 0); // no deletions
  return encoding.toUint8Array(e);
}
