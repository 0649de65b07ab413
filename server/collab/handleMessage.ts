import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { LIMITS } from '../../shared/limits.js';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';
import type { Logger } from '../logger.js';
import { checkAwarenessUpdate } from './awarenessGuard.js';
import type { CommitQueue } from './commitQueue.js';
import type { Connection } from './connection.js';
import { hasClockGap, isNoopUpdate } from './docWriteGuard.js';
import { encodeAwarenessMessage, encodeSyncStep2 } from './messages.js';
import type { Room } from './room.js';
import { validateUpdateV1 } from './updateValidation.js';

export interface MessageContext {
  commitQueue: CommitQueue;
  log: Logger;
}

/**
 * Handles one binary y-websocket message. Any protocol violation closes only
 * this connection with a documented code; nothing it sent is stored.
 * Returns a promise only when the reply must wait for a commit.
 */
export function handleMessage(room: Room, conn: Connection, data: Uint8Array, ctx: MessageContext): void | Promise<void> {
  const d = decoding.createDecoder(data);
  let type: number;
  try {
    type = decoding.readVarUint(d);
  } catch {
    return reject(conn, CLOSE_CODES.badMessage, 'empty message');
  }
  switch (type) {
    case MESSAGE_TYPES.sync:
      return handleSync(room, conn, d, ctx);
    case MESSAGE_TYPES.awareness:
      return handleAwareness(room, conn, d);
    case MESSAGE_TYPES.queryAwareness:
      sendAwarenessSnapshot(room, conn);
      return;
    case MESSAGE_TYPES.auth:
      // Permission messages only flow server → client.
      return;
    default:
      return reject(conn, CLOSE_CODES.badMessage, `unknown message type ${type}`);
  }
}

function reject(conn: Connection, code: number, reason: string): void {
  conn.close(code, reason);
}

function readPayload(d: decoding.Decoder): Uint8Array | null {
  try {
    const len = decoding.readVarUint(d);
    if (len > d.arr.length - d.pos) return null;
    const payload = decoding.readUint8Array(d, len);
    return d.pos === d.arr.length ? payload : null;
  } catch {
    return null;
  }
}

function handleSync(room: Room, conn: Connection, d: decoding.Decoder, ctx: MessageContext): void | Promise<void> {
  let subType: number;
  try {
    subType = decoding.readVarUint(d);
  } catch {
    return reject(conn, CLOSE_CODES.badMessage, 'truncated sync message');
  }
  const payload = readPayload(d);
  if (!payload) return reject(conn, CLOSE_CODES.badMessage, 'truncated or oversized sync message');
  switch (subType) {
    case SYNC_TYPES.step1:
      return replyToStep1(room, conn, payload, ctx);
    case SYNC_TYPES.step2:
    case SYNC_TYPES.update:
      return applyClientUpdate(room, conn, payload, ctx);
    default:
      return reject(conn, CLOSE_CODES.badMessage, `unknown sync message ${subType}`);
  }
}

function replyToStep1(room: Room, conn: Connection, stateVector: Uint8Array, ctx: MessageContext): void | Promise<void> {
  let sv: Map<number, number>;
  try {
    sv = Y.decodeStateVector(stateVector);
  } catch {
    return reject(conn, CLOSE_CODES.badMessage, 'malformed state vector');
  }
  if (sv.size > 100_000) return reject(conn, CLOSE_CODES.badMessage, 'state vector too large');
  const send = () => {
    if (!conn.closed) conn.send(encodeSyncStep2(Y.encodeStateAsUpdate(room.doc, stateVector)));
  };
  // Never let a client see state that is not durable yet.
  if (!room.hasUncommitted()) return send();
  return (async () => {
    while (room.hasUncommitted() && !room.broken) await ctx.commitQueue.whenIdle();
    send();
  })();
}

function canWrite(room: Room, conn: Connection): boolean {
  if (conn.role === 'moderate') return true;
  return conn.role === 'edit' && !room.locked;
}

function applyClientUpdate(room: Room, conn: Connection, update: Uint8Array, ctx: MessageContext): void {
  conn.docMessagesReceived++;
  if (update.length > LIMITS.maxUpdateBytes) return reject(conn, CLOSE_CODES.messageTooBig, 'update too large');
  const invalid = validateUpdateV1(update);
  if (invalid) {
    ctx.log.warn('malformed update rejected', { docId: room.docId, conn: conn.id, reason: invalid });
    return reject(conn, CLOSE_CODES.badMessage, 'malformed update');
  }
  if (!canWrite(room, conn)) {
    if (isNoopUpdate(room.doc, update)) return room.ackAfterCommit(conn);
    return reject(conn, CLOSE_CODES.forbiddenWrite, room.locked && conn.role === 'edit' ? 'notes are locked' : 'read-only link');
  }
  if (hasClockGap(room.doc, update)) return reject(conn, CLOSE_CODES.badMessage, 'update depends on unknown changes');
  try {
    Y.applyUpdate(room.doc, update, conn);
  } catch (err) {
    ctx.log.warn('update failed to apply', { docId: room.docId, conn: conn.id, error: String(err) });
    return reject(conn, CLOSE_CODES.badMessage, 'malformed update');
  }
  const store = room.doc.store as { pendingStructs: unknown; pendingDs: unknown };
  if (store.pendingStructs !== null || store.pendingDs !== null) {
    // Integrated parts are already queued for commit; the dangling rest is dropped.
    store.pendingStructs = null;
    store.pendingDs = null;
    return reject(conn, CLOSE_CODES.badMessage, 'update depends on unknown changes');
  }
  room.noteWriter(conn);
  room.ackAfterCommit(conn);
}

function handleAwareness(room: Room, conn: Connection, d: decoding.Decoder): void {
  const payload = readPayload(d);
  if (!payload) return reject(conn, CLOSE_CODES.badMessage, 'truncated awareness message');
  const check = checkAwarenessUpdate(
    payload,
    {
      owned: conn.awarenessIds,
      isForeign: (id) => room.awareness.meta.has(id) || room.readerAwareness.meta.has(id) || room.awarenessOwner(id) !== undefined,
    },
    { maxStateBytes: LIMITS.maxAwarenessStateBytes, maxClientsPerConnection: LIMITS.maxAwarenessClientsPerConnection },
  );
  if (!check.ok) {
    return reject(conn, check.code === 'malformed' ? CLOSE_CODES.badMessage : CLOSE_CODES.awarenessRejected, check.reason);
  }
  for (const id of check.claimed) conn.awarenessIds.add(id);
  if (!check.update) return;
  if (conn.role === 'view' && !isListedReader(room, conn, check.update)) {
    awarenessProtocol.applyAwarenessUpdate(room.readerAwareness, check.update, conn);
    // The stock client drops a connection that hears nothing for 30 s: echo the reader's own presence.
    conn.send(encodeAwarenessMessage(check.update));
    return;
  }
  // A reader who chose to appear leaves the private reader presence for the relayed one.
  if (conn.role === 'view') awarenessProtocol.removeAwarenessStates(room.readerAwareness, [...conn.awarenessIds], null);
  awarenessProtocol.applyAwarenessUpdate(room.awareness, check.update, conn);
}

/**
 * A reader is listed in "Here now" (its presence relayed like a note-taker's)
 * once it gives a name; nameless readers, the projector among them, stay
 * private and cost the room nothing. Once listed, it stays listed.
 */
function isListedReader(room: Room, conn: Connection, update: Uint8Array): boolean {
  for (const id of conn.awarenessIds) if (room.awareness.getStates().has(id)) return true;
  try {
    const d = decoding.createDecoder(update);
    for (let n = decoding.readVarUint(d); n > 0; n--) {
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      const state = JSON.parse(decoding.readVarString(d)) as { user?: { name?: unknown } } | null;
      if (typeof state?.user?.name === 'string' && state.user.name.trim()) return true;
    }
  } catch {
    // Already checked by the awareness guard; a state we cannot read names nobody.
  }
  return false;
}

export function sendAwarenessSnapshot(room: Room, conn: Connection): void {
  const ids = [...room.awareness.getStates().keys()];
  if (ids.length === 0) return;
  conn.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids)));
}
