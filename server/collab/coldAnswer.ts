import * as Y from 'yjs';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';
import type { Logger } from '../logger.js';
import type { DocStore, StoredDoc } from '../storage/docStore.js';
import { encodeSyncStep1, encodeSyncStep2, encodeUpdateMessage } from './messages.js';
import { validateUpdateV1 } from './updateValidation.js';

/**
 * Answers a fresh client (a SyncStep1 with an empty state vector) from the
 * stored bytes while its room still loads; `stillLoading` is checked once the
 * bytes are read, `send` delivers the answer and `replace` swaps the client's
 * SyncStep1 (still waiting for the room) for one naming what it was sent.
 */
export type ColdAnswer = (docId: string, message: Uint8Array, io: { stillLoading(): boolean; send(frame: Uint8Array): void; replace(step1: Uint8Array): void }) => void;

/** sync, step1, a one-byte state vector holding zero clients. */
const FRESH_STEP1 = [MESSAGE_TYPES.sync, SYNC_TYPES.step1, 1, 0];

function isFreshStep1(message: Uint8Array): boolean {
  return message.length === FRESH_STEP1.length && FRESH_STEP1.every((b, i) => message[i] === b);
}

/**
 * The answer from the stored parts as they are: the snapshot as an update
 * message, then the updates after it merged into the SyncStep2 (small; merging
 * them into the snapshot would cost as much as loading the document), so the
 * client counts itself synced once it holds everything. Null, so that the room
 * answers after its load, when a part does not validate or a part needs
 * changes no earlier part holds (the load then reports the document damaged).
 */
export function answerFromStored(stored: StoredDoc): { frames: Uint8Array[]; stateVector: Uint8Array } | null {
  const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
  if (parts.length === 0 || !parts.every((p) => validateUpdateV1(p) === null)) return null;
  const known = new Map<number, number>();
  for (const part of parts) {
    const { from, to } = Y.parseUpdateMeta(part);
    for (const [client, clock] of from) if (clock > (known.get(client) ?? 0)) return null;
    for (const [client, clock] of to) known.set(client, Math.max(clock, known.get(client) ?? 0));
  }
  const [first, ...rest] = parts;
  const frames = rest.length === 0 ? [encodeSyncStep2(first!)] : [encodeUpdateMessage(first!), encodeSyncStep2(rest.length === 1 ? rest[0]! : Y.mergeUpdates(rest))];
  return { frames, stateVector: Y.encodeStateVector(known) };
}

/**
 * After a restart, loading a long document (apply, then encode the answer)
 * costs far more than reading and checking its stored bytes, and a client
 * with nothing (a new tab, a projector) needs exactly those bytes. Its room
 * goes on loading; once loaded, the client's replaced SyncStep1 gets only
 * what storage did not hold yet.
 */
export function coldAnswerFromStorage(docs: Pick<DocStore, 'load'>, log: Logger): ColdAnswer {
  return (docId, message, io) => {
    if (!isFreshStep1(message)) return;
    docs.load(docId).then(
      (stored) => {
        if (!io.stillLoading()) return;
        const answer = answerFromStored(stored);
        if (!answer) return;
        for (const frame of answer.frames) io.send(frame);
        io.replace(encodeSyncStep1(answer.stateVector));
        log.debug('fresh client answered from storage', { docId, parts: answer.frames.length });
      },
      // The room's own load reports storage errors, and answers (or closes) this client.
      () => undefined,
    );
  };
}
