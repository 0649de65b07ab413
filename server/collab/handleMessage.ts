import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { canWriteNotes } from '../../shared/access.js';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { LIMITS } from '../../shared/limits.js';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';
import type { Logger } from '../logger.js';
import { checkAwarenessUpdate } from './awarenessGuard.js';
import type { CommitQueue } from './commitQueue.js';
import type { Connection } from './connection.js';
import { isNoopUpdate } from './docWriteGuard.js';
import { encodeAwarenessMessage, encodeSyncStep1, encodeSyncStep2 } from './messages.js';
import { askToAnnounceAgain, presenceOwnership } from './presenceClaims.js';
import type { Room } from './room.js';
import { RoomFault } from './roomFault.js';
import { admitShape, type AdmissionLimits } from './updateAdmission.js';
import { emptyShape, validateUpdateV1 } from './updateValidation.js';

/** The bounds every client update must keep (shared/limits.ts). */
export const UPDATE_LIMITS: AdmissionLimits = {
  maxDepth: LIMITS.maxNestingDepth,
  maxNodes: LIMITS.maxNodesPerUpdate,
  maxTextPerNode: LIMITS.maxTextPerNode,
};

export interface MessageContext {
  commitQueue: CommitQueue;
  log: Logger;
}

/**
 * Handles one binary y-websocket message. Any protocol violation closes only
 * this connection with a documented code; nothing it sent is stored.
 * Returns a promise only when the reply must wait for a commit. Throws only
 * a RoomFault, when the room's own state can no longer be trusted.
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
      return applyClientUpdate(room, conn, payload, subType === SYNC_TYPES.step2, ctx);
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

function applyClientUpdate(room: Room, conn: Connection, update: Uint8Array, isStep2: boolean, ctx: MessageContext): void {
  conn.docMessagesReceived++;
  if (update.length > LIMITS.maxUpdateBytes) return reject(conn, CLOSE_CODES.messageTooBig, 'update too large');
  // One pass reads what admission needs: the update is decoded again only by Yjs, to apply it.
  const shape = emptyShape();
  const invalid = validateUpdateV1(update, undefined, shape);
  if (invalid) {
    ctx.log.warn('malformed update rejected', { docId: room.docId, conn: conn.id, reason: invalid });
    return reject(conn, CLOSE_CODES.badMessage, 'malformed update');
  }
  if (!canWriteNotes(conn.role, room)) {
    let noop: boolean;
    try {
      noop = isNoopUpdate(room.doc, update);
    } catch {
      return reject(conn, CLOSE_CODES.badMessage, 'malformed update');
    }
    if (noop) return room.ackAfterCommit(conn);
    return reject(conn, CLOSE_CODES.forbiddenWrite, room.locked && conn.role === 'edit' ? 'notes are locked' : 'read-only link');
  }
  // A client's answer to our SyncStep1 repeats the whole delete set even when it holds nothing new (always
  // so after a cold answer from storage): applied, it would count as that person's change in the next batch.
  if (isStep2 && isNoopUpdate(room.doc, update)) return room.ackAfterCommit(conn);
  const verdict = admitShape(room.doc, shape, UPDATE_LIMITS);
  if (!verdict.ok) {
    if (verdict.kind === 'missing') return requestResync(room, conn, isStep2, ctx);
    ctx.log.warn('update refused', { docId: room.docId, conn: conn.id, kind: verdict.kind, reason: verdict.reason });
    return reject(conn, CLOSE_CODES.badMessage, verdict.kind === 'limit' ? verdict.reason : 'malformed update');
  }
  const refusal = room.updateReceived({ connection: conn, update, clients: verdict.to });
  if (refusal) return reject(conn, refusal.refuse.code, refusal.refuse.reason);

  let failure: unknown = null;
  try {
    Y.applyUpdate(room.doc, update, conn);
  } catch (err) {
    failure = err;
  }
  const store = room.doc.store as { pendingStructs: unknown; pendingDs: unknown };
  const dangling = store.pendingStructs !== null || store.pendingDs !== null;
  if (failure !== null) {
    // Yjs runs observers after integrating, and emits the update even when one throws: if the whole
    // update is in, only a server hook failed and the (admitted) change stays. Anything less means
    // the live document holds part of a refused update: the room must be reloaded from storage.
    if (dangling || !coversUpdate(room.doc, verdict.to)) throw new RoomFault('applying an admitted update', failure);
    ctx.log.error('document observer failed', { docId: room.docId, conn: conn.id, error: String(failure) });
  } else if (dangling) {
    // Admission should make this impossible; if Yjs still parked something, the integrated part is
    // queued for commit as usual and the rest is fetched again from the client.
    store.pendingStructs = null;
    store.pendingDs = null;
    room.noteWriter(conn, verdict.to.keys());
    return requestResync(room, conn, isStep2, ctx);
  }
  if (isStep2 && conn.holdAcksFrom !== null) {
    // The answer to our SyncStep1: everything the dropped updates carried is in it.
    conn.holdAcksFrom = null;
    conn.resyncRequested = false;
  }
  room.noteWriter(conn, verdict.to.keys());
  room.ackAfterCommit(conn);
}

function coversUpdate(doc: Y.Doc, to: ReadonlyMap<number, number>): boolean {
  for (const [client, clock] of to) if (Y.getState(doc.store, client) < clock) return false;
  return true;
}

/**
 * An update that depends on changes the server has not seen (a client that
 * typed across a reconnect) is dropped, not refused: the server asks for
 * what it misses with a SyncStep1, and the stock client answers with a
 * SyncStep2 holding all of it. Acknowledgements hold below the dropped
 * message until that answer is durable, so "Saved" never covers it early.
 */
function requestResync(room: Room, conn: Connection, isStep2: boolean, ctx: MessageContext): void {
  conn.holdAcksFrom ??= conn.docMessagesReceived;
  // A SyncStep2 that still misses something gets another request; plain updates wait for the answer.
  if (conn.resyncRequested && !isStep2) return;
  conn.resyncRequested = true;
  ctx.log.info('update depends on unseen changes: asking the client to resync', { docId: room.docId, conn: conn.id });
  conn.send(encodeSyncStep1(Y.encodeStateVector(room.doc)));
}

function handleAwareness(room: Room, conn: Connection, d: decoding.Decoder): void {
  const payload = readPayload(d);
  if (!payload) return reject(conn, CLOSE_CODES.badMessage, 'truncated awareness message');
  const check = checkAwarenessUpdate(payload, presenceOwnership(room, conn), {
    maxStateBytes: LIMITS.maxAwarenessStateBytes,
    maxClientsPerConnection: LIMITS.maxAwarenessClientsPerConnection,
  });
  if (!check.ok) {
    return reject(conn, check.code === 'malformed' ? CLOSE_CODES.badMessage : CLOSE_CODES.awarenessRejected, check.reason);
  }
  for (const id of check.claimed) conn.awarenessIds.add(id);
  if (!check.update) return;
  if (conn.role === 'view' && !isListedReader(room, conn, check.update)) {
    awarenessProtocol.applyAwarenessUpdate(room.readerAwareness, check.update, conn);
    // The stock client drops a connection that hears nothing for 30 s: echo the reader's own presence.
    conn.send(encodeAwarenessMessage(check.update));
    if (check.claimed.length > 0) askToAnnounceAgain(room.readerAwareness, conn, check.claimed);
    return;
  }
  // A reader who chose to appear leaves the private reader presence for the relayed one.
  if (conn.role === 'view') awarenessProtocol.removeAwarenessStates(room.readerAwareness, [...conn.awarenessIds], null);
  awarenessProtocol.applyAwarenessUpdate(room.awareness, check.update, conn);
  // A reconnecting client's id, claimed again: shown only once its clock is past the room's.
  if (check.claimed.length > 0) askToAnnounceAgain(room.awareness, conn, check.claimed);
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
