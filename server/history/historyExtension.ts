import { CLOSE_CODES } from '../../shared/closeCodes.js';
import type { Room } from '../collab/room.js';
import type { CommittedBatch, IncomingUpdate, RoomExtension, UpdateRefusal } from '../collab/roomExtension.js';
import type { HistoryRecorder } from './historyRecorder.js';
import type { RecentAuthors } from './recentAuthors.js';

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
    private readonly recent: RecentAuthors,
  ) {}

  loaded(room: Room): void {
    this.recorder.loaded(room);
  }

  updateReceived(room: Room, incoming: IncomingUpdate): UpdateRefusal | void {
    const forged = this.recorder.admit(room, incoming.connection, incoming.clients);
    if (forged) return { refuse: { code: CLOSE_CODES.badMessage, reason: forged } };
  }

  batchCommitted(room: Room, batch: CommittedBatch): void {
    const authors = this.recorder.batchAuthors(room, batch.authors);
    if (authors) this.recent.record(room.docId, batch.seq, authors);
  }

  unloaded(room: Room): void {
    this.recorder.unloaded(room);
  }
}
