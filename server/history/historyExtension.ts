import { CLOSE_CODES } from '../../shared/closeCodes.js';
import type { Room } from '../collab/room.js';
import type { BatchAuthor, CommittedBatch, IncomingUpdate, RoomExtension, StoredAlong, TakenBatch, UpdateRefusal } from '../collab/roomExtension.js';
import type { AuthorKey } from './authorKeys.js';
import type { HistoryRecorder } from './historyRecorder.js';
import type { HistoryStore } from './historyStore.js';

/**
 * History in the room pipeline: watches each loaded room's document (so the
 * server's own writes get client ids of their own), binds the client ids an
 * update brings to the connection that sent it (refusing ids bound to
 * someone else with 4400), and notes who is in each batch: the row goes in
 * the batch's own storage transaction (no commit of its own, and durable
 * exactly when the batch is acknowledged), and stays known until the batch
 * is folded into a revision.
 */
export class HistoryExtension implements RoomExtension {
  readonly name = 'history';

  /** Who is in each batch between being taken and committed, by the batch's authors list (the same array in both steps). */
  private readonly taken = new WeakMap<readonly BatchAuthor[], { keys: AuthorKey[]; stored: boolean }>();

  constructor(
    private readonly recorder: HistoryRecorder,
    private readonly store: Pick<HistoryStore, 'authorsRow' | 'batchAuthors'>,
  ) {}

  loaded(room: Room): Promise<void> {
    return this.recorder.loaded(room);
  }

  updateReceived(room: Room, incoming: IncomingUpdate): UpdateRefusal | void {
    const forged = this.recorder.admit(room, incoming.connection, incoming.clients);
    if (forged) return { refuse: { code: CLOSE_CODES.badMessage, reason: forged } };
  }

  batchTaken(room: Room, batch: TakenBatch): StoredAlong | void {
    const keys = this.recorder.batchAuthors(room, batch.authors);
    if (!keys) return;
    const row = this.store.authorsRow(room.docId, keys);
    this.taken.set(batch.authors, { keys, stored: row !== undefined });
    if (row !== undefined) return { authors: row };
  }

  batchCommitted(room: Room, batch: CommittedBatch): Promise<void> | void {
    const taken = this.taken.get(batch.authors);
    if (!taken) return;
    this.taken.delete(batch.authors);
    return this.store.batchAuthors(room.docId, batch.seq, taken.keys, taken.stored);
  }

  unloaded(room: Room): void {
    this.recorder.unloaded(room);
  }
}
