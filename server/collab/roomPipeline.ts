import { CLOSE_CODES } from '../../shared/closeCodes.js';
import type { Logger } from '../logger.js';
import type { CommittedBatch, IncomingUpdate, Room, StoredAlong, TakenBatch, UpdateRefusal } from './room.js';
import type { RoomExtension, Rooms } from './roomExtension.js';
import { describeError } from './roomFault.js';

type Step = 'loaded' | 'updateReceived' | 'batchTaken' | 'batchCommitted' | 'presenceChanged' | 'idle' | 'beforeUnload' | 'unloaded';

/**
 * Runs a room's lifecycle steps through the extensions, in order, and keeps
 * their failures inside the room (see RoomExtension for what fails what).
 */
export class RoomPipeline {
  constructor(
    private readonly extensions: readonly RoomExtension[],
    private readonly log: Logger,
  ) {}

  async loaded(room: Room, rooms: Rooms): Promise<void> {
    for (const ext of this.extensions) {
      if (!ext.loaded) continue;
      try {
        await ext.loaded(room, rooms);
      } catch (err) {
        this.failed(room, ext, 'loaded', err);
      }
    }
  }

  /** The first refusal wins; an extension that throws refuses with 4500 (the connection only). */
  updateReceived(room: Room, incoming: IncomingUpdate): UpdateRefusal | void {
    for (const ext of this.extensions) {
      if (!ext.updateReceived) continue;
      try {
        const verdict = ext.updateReceived(room, incoming);
        if (verdict) return verdict;
      } catch (err) {
        this.failed(room, ext, 'updateReceived', err);
        return { refuse: { code: CLOSE_CODES.internalError, reason: 'internal error' } };
      }
    }
  }

  /** Everything the extensions ask to store with the batch; one that throws stores nothing along (the batch itself is stored). */
  batchTaken(room: Room, batch: TakenBatch): StoredAlong {
    const along: StoredAlong = {};
    for (const ext of this.extensions) {
      if (!ext.batchTaken) continue;
      try {
        Object.assign(along, ext.batchTaken(room, batch));
      } catch (err) {
        this.failed(room, ext, 'batchTaken', err);
      }
    }
    return along;
  }

  batchCommitted(room: Room, batch: CommittedBatch): void {
    for (const ext of this.extensions) {
      if (!ext.batchCommitted) continue;
      try {
        const done = ext.batchCommitted(room, batch);
        if (done) done.catch((err: unknown) => this.failed(room, ext, 'batchCommitted', err));
      } catch (err) {
        this.failed(room, ext, 'batchCommitted', err);
      }
    }
  }

  presenceChanged(room: Room): void {
    for (const ext of this.extensions) {
      if (!ext.presenceChanged) continue;
      try {
        const done = ext.presenceChanged(room);
        if (done) done.catch((err: unknown) => this.failed(room, ext, 'presenceChanged', err));
      } catch (err) {
        this.failed(room, ext, 'presenceChanged', err);
      }
    }
  }

  idle(room: Room): void {
    for (const ext of this.extensions) {
      if (!ext.idle) continue;
      try {
        const done = ext.idle(room);
        if (done) done.catch((err: unknown) => this.failed(room, ext, 'idle', err));
      } catch (err) {
        this.failed(room, ext, 'idle', err);
      }
    }
  }

  /** Throws: a room whose derived work cannot be written fails (the caller faults it). */
  async beforeUnload(room: Room): Promise<void> {
    for (const ext of this.extensions) await ext.beforeUnload?.(room);
  }

  async unloaded(room: Room): Promise<void> {
    for (const ext of this.extensions) {
      if (!ext.unloaded) continue;
      try {
        await ext.unloaded(room);
      } catch (err) {
        this.failed(room, ext, 'unloaded', err);
      }
    }
  }

  private failed(room: Room, ext: RoomExtension, hook: Step, err: unknown): void {
    this.log.error('room hook failed', { docId: room.docId, hook, extension: ext.name, error: describeError(err) });
  }
}
