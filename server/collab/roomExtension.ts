import type { CommittedBatch, IncomingUpdate, Room, StoredAlong, TakenBatch, UpdateRefusal } from './room.js';

/**
 * The rooms of this server, as an extension may use them: to reach another
 * session's live notes (mirroring an action item's status into a linked copy,
 * say). `acquire` loads the room if needed; every `acquire` needs its `release`.
 */
export interface Rooms {
  get(docId: string): Room | undefined;
  acquire(docId: string): Promise<Room>;
  release(room: Room): void;
}

export type { BatchAuthor, CommittedBatch, IncomingUpdate, StoredAlong, TakenBatch, UpdateRefusal } from './room.js';

/**
 * One step of every room's life. A room runs its server's extensions in the
 * order they are composed (server/createServer.ts), each step optional:
 *
 *   loaded → (updateReceived* → batchTaken → batchCommitted)* / presenceChanged* → idle → beforeUnload → unloaded
 *
 * Failures stay in the room: a step that throws is logged with the
 * extension's name and the room goes on, except `beforeUnload`, whose failure
 * fails the room (its clients reconnect to a fresh load, nothing stored is
 * lost) and `updateReceived`, whose failure closes that connection with 4500.
 * A damaged room (read-only until repaired) runs only `presenceChanged` and
 * `unloaded`; `loaded` runs when it is repaired.
 *
 * @example
 * // One file (server/extensions/updateCounter.ts) and one line in the composition:
 * export class UpdateCounter implements RoomExtension {
 *   readonly name = 'update counter';
 *   private readonly counts = new Map<string, number>();
 *   updateReceived(room: Room, incoming: IncomingUpdate): void {
 *     if (incoming.clients.size > 0) this.counts.set(room.docId, this.of(room.docId) + 1);
 *   }
 *   unloaded(room: Room): void {
 *     this.counts.delete(room.docId);
 *   }
 *   of(docId: string): number {
 *     return this.counts.get(docId) ?? 0;
 *   }
 * }
 */
export interface RoomExtension {
  /** For logs: which extension failed. */
  readonly name: string;
  /** The room was loaded from storage (or repaired); awaited before any client sees it. */
  loaded?(room: Room, rooms: Rooms): void | Promise<void>;
  /** A client's update passed every check and is about to be applied; return a refusal to refuse it. Synchronous: it runs per keystroke. */
  updateReceived?(room: Room, incoming: IncomingUpdate): UpdateRefusal | void;
  /**
   * A batch is being taken for storing: return what to store with it, in the
   * same transaction (durable exactly when the batch is). Synchronous: it runs
   * once per commit, before the write.
   */
  batchTaken?(room: Room, batch: TakenBatch): StoredAlong | void;
  /** A batch is durable; the room sends it (and "Saved") to its clients right after this step, so other processes hear of it first. Not awaited: a returned promise's failure is logged. */
  batchCommitted?(room: Room, batch: CommittedBatch): void | Promise<void>;
  /** A client joined or left (the room's live counts changed). */
  presenceChanged?(room: Room): void | Promise<void>;
  /** The room's last client left; it stays loaded for UNLOAD_DELAY_MS, and a client may come back. */
  idle?(room: Room): void | Promise<void>;
  /** The room is about to be written for the last time: write derived work into the document now. Awaited. */
  beforeUnload?(room: Room): void | Promise<void>;
  /** The room was dropped from memory. Awaited, but the room is gone whatever happens. */
  unloaded?(room: Room): void | Promise<void>;
}
