import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';
import type { Logger } from '../logger.js';
import type { DocStore, StoredDoc } from '../storage/docStore.js';
import { encodeSyncStep1, encodeSyncStep2, encodeUpdateMessage } from './messages.js';
import { validateUpdateV1, type UpdateRanges } from './updateValidation.js';

/**
 * Sends a client whose room is not loaded the stored document at once, while
 * the room loads: `stillLoading` is checked once the bytes are read, `send`
 * delivers them, `sent` says which state vector the client now holds (its
 * SyncStep1 is raised to it with `raiseStep1`, so the loaded room answers only
 * what storage did not hold yet).
 */
export type ColdAnswer = (docId: string, io: { stillLoading(): boolean; send(frame: Uint8Array): void; sent(stateVector: Uint8Array): void }) => void;

/**
 * The answer from the stored parts exactly as stored: each but the last as an
 * update message, the last as the SyncStep2, so the client counts itself
 * synced once it holds everything. Nothing is merged here: merging is the
 * costly part of loading, and the client applies the parts as fast as a
 * merged whole. Null, so that the room answers after its load, when a part
 * does not validate or needs changes no earlier part holds (the load then
 * reports the document damaged).
 */
export function answerFromStored(stored: StoredDoc): { frames: Uint8Array[]; stateVector: Uint8Array } | null {
  const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
  if (parts.length === 0) return null;
  const known = new Map<number, number>();
  for (const part of parts) {
    // One pass reads both: the check and each client's clock range (Y.parseUpdateMeta decoded every part a second time).
    const ranges: UpdateRanges = { from: new Map(), to: new Map() };
    if (validateUpdateV1(part, ranges) !== null) return null;
    for (const [client, clock] of ranges.from) if (clock > (known.get(client) ?? 0)) return null;
    for (const [client, clock] of ranges.to) known.set(client, Math.max(clock, known.get(client) ?? 0));
  }
  const frames = parts.map((p, i) => (i === parts.length - 1 ? encodeSyncStep2(p) : encodeUpdateMessage(p)));
  return { frames, stateVector: Y.encodeStateVector(known) };
}

/**
 * After a restart, loading a long document (merge, apply, then encode the
 * answer) costs far more than reading and checking its stored bytes, and a
 * client needs exactly those bytes (one with some of it already applies them
 * as a no-op). So a client of a room still loading gets them at once, before
 * the load's work blocks the event loop, and is synced as soon as it applied
 * them; the room goes on loading and then answers only what storage did not
 * hold yet. Validated first, exactly as the load does.
 */
export function coldAnswerFromStorage(docs: Pick<DocStore, 'load'>, log: Logger): ColdAnswer {
  return (docId, io) => {
    docs.load(docId).then(
      (stored) => {
        if (!io.stillLoading()) return;
        const answer = answerFromStored(stored);
        if (!answer) return;
        for (const frame of answer.frames) io.send(frame);
        io.sent(answer.stateVector);
        log.debug('client answered from storage while its room loads', { docId, frames: answer.frames.length });
      },
      // The room's own load reports storage errors, and answers (or closes) this client.
      () => undefined,
    );
  };
}

/**
 * A client's SyncStep1 with its state vector raised to cover `sent` (what it
 * was sent from storage, and applies before the room's answer reaches it on
 * the same socket); any other message as it is.
 */
export function raiseStep1(message: Uint8Array, sent: Uint8Array): Uint8Array {
  if (message[0] !== MESSAGE_TYPES.sync || message[1] !== SYNC_TYPES.step1) return message;
  try {
    const d = decoding.createDecoder(message);
    decoding.readVarUint(d);
    decoding.readVarUint(d);
    const own = Y.decodeStateVector(decoding.readVarUint8Array(d));
    for (const [client, clock] of Y.decodeStateVector(sent)) own.set(client, Math.max(clock, own.get(client) ?? 0));
    return encodeSyncStep1(Y.encodeStateVector(own));
  } catch {
    // Malformed: the room's handler refuses it as it always did.
    return message;
  }
}
