import * as encoding from 'lib0/encoding';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';
import { SharedMessage } from './wsFrame.js';

/**
 * The finished message as a Buffer over the same bytes: ws wraps any other
 * Uint8Array in a new Buffer on every send, i.e. once per peer of a broadcast.
 */
function finish(e: encoding.Encoder): Buffer {
  const bytes = encoding.toUint8Array(e);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Frames a document update once, so the same bytes go to every peer. */
export function encodeUpdateMessage(update: Uint8Array): Buffer {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.sync);
  encoding.writeVarUint(e, SYNC_TYPES.update);
  encoding.writeVarUint8Array(e, update);
  return finish(e);
}

/** `encodeUpdateMessage` for a broadcast: the message and its WebSocket frame, built in one go. */
export function updateBroadcast(update: Uint8Array): SharedMessage {
  const prefix: number[] = [MESSAGE_TYPES.sync, SYNC_TYPES.update];
  // The update's length as a lib0 varuint: seven bits a byte, low bits first.
  let n = update.byteLength;
  while (n > 0x7f) {
    prefix.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  prefix.push(n);
  return SharedMessage.framed(prefix, update);
}

export function encodeSyncStep1(stateVector: Uint8Array): Buffer {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.sync);
  encoding.writeVarUint(e, SYNC_TYPES.step1);
  encoding.writeVarUint8Array(e, stateVector);
  return finish(e);
}

export function encodeSyncStep2(update: Uint8Array): Buffer {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.sync);
  encoding.writeVarUint(e, SYNC_TYPES.step2);
  encoding.writeVarUint8Array(e, update);
  return finish(e);
}

export function encodeAwarenessMessage(update: Uint8Array): Buffer {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.awareness);
  encoding.writeVarUint8Array(e, update);
  return finish(e);
}

export function encodeSavedMessage(count: number): Buffer {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.saved);
  encoding.writeVarUint(e, count);
  return finish(e);
}
