import * as encoding from 'lib0/encoding';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';

/** Frames a document update once, so the same bytes go to every peer. */
export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.sync);
  encoding.writeVarUint(e, SYNC_TYPES.update);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.sync);
  encoding.writeVarUint(e, SYNC_TYPES.step1);
  encoding.writeVarUint8Array(e, stateVector);
  return encoding.toUint8Array(e);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.sync);
  encoding.writeVarUint(e, SYNC_TYPES.step2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.awareness);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function encodeSavedMessage(count: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.saved);
  encoding.writeVarUint(e, count);
  return encoding.toUint8Array(e);
}
