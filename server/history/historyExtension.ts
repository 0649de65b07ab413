import { CLOSE_CODES } from '../../shared/closeCodes.js';
import type { Room } from '../collab/room.js';
import type { CommittedBatch, IncomingUpdate, RoomExtension, UpdateRefusal } from '../collab/roomExtension.js';
import type { HistoryRecorder } from './historyRecorder.js';
import type { HistoryStore } from './historyStore.js';

/**
 * History in the room pipeline: watches each loaded room's document (so the
 * server's own writes get client ids of their own), binds the client ids an
 * update brings to the connection that sent it (refusing ids bound to
 * someone else with 4400), and notes who is in each committed batch until
 * the batch is folded into a revision.
 */
export class HistoryExtension implements RoomExtension {
  readonly name = 'history';

  constructor(
    private readonly recorder: HistoryRecorder,
    private readonly store: Pick<HistoryStore, 'batchAuthors'>,
  ) {}

  loaded(room: Room): Promise<void> {
    return this.recorder.loaded(room);
  }

  updateReceived(room: Room, incoming: IncomingUpdate): UpdateRefusal | void {
    const forged = this.recorder.admit(room, incoming.connection, incoming.clients);
    if (forged) return { refuse: { code: CLOSE_CODES.badMessage, reason: forged } };
  }

  batchCommitted(room: Room, batch: CommittedBatch): Promise<void> | void {
    const authors = this.recorder.batchAuthors(room, batch.authors);
    if (authors) return this.store.batchAuthors(room.docId, batch.seq, authors);
  }

  unloaded(room: Room): void {
    this.recorder.unloaded(room);
  }
}
