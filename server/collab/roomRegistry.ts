import type { DocStore } from '../storage/docStore.js';
import type { Logger } from '../logger.js';
import type { CommitQueue } from './commitQueue.js';
import { Room, type RoomHooks } from './room.js';

export interface RoomRegistryOptions {
  docStore: DocStore;
  commitQueue: CommitQueue;
  log: Logger;
  hooks: Omit<RoomHooks, 'scheduleCommit'>;
  /** How long an empty room stays loaded, so a flaky reconnect finds it warm. */
  unloadDelayMs: number;
  /** Per-room state that lives outside the document (the lock flag). */
  isLocked(docId: string): boolean;
  /** Called once a room is loaded, before any client sees it. */
  onLoaded?(room: Room): void;
  /** Called before the final write of an empty room (flush derived work into the document). */
  beforeUnload?(room: Room): void;
  /** Called after a room was dropped from memory. */
  onUnloaded?(room: Room): void;
}

/**
 * Loads each document once (one load in flight per document) and unloads it
 * only after the last client has left and its final write has settled. A
 * client that arrives while that write runs gets the same live room.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly unloading = new Map<Room, Promise<void>>();

  constructor(private readonly opts: RoomRegistryOptions) {}

  get(docId: string): Room | undefined {
    return this.rooms.get(docId);
  }

  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  acquire(docId: string): Promise<Room> {
    const live = this.rooms.get(docId);
    if (live && !live.broken) return Promise.resolve(live);
    const inFlight = this.loading.get(docId);
    if (inFlight) return inFlight;
    const load = this.load(docId).finally(() => this.loading.delete(docId));
    this.loading.set(docId, load);
    return load;
  }

  private async load(docId: string): Promise<Room> {
    const stored = await this.opts.docStore.load(docId);
    const room = new Room(
      docId,
      stored,
      { ...this.opts.hooks, scheduleCommit: (r) => this.opts.commitQueue.schedule(r) },
      this.opts.log,
    );
    room.locked = this.opts.isLocked(docId);
    this.rooms.set(docId, room);
    this.opts.onLoaded?.(room);
    return room;
  }

  /** Call after a connection left; unloads the room once it is empty and settled. */
  release(room: Room): void {
    if (room.broken) {
      this.drop(room);
      return;
    }
    if (room.conns.size > 0 || this.unloading.has(room)) return;
    const job = this.unload(room).finally(() => this.unloading.delete(room));
    this.unloading.set(room, job);
  }

  private async unload(room: Room): Promise<void> {
    if (this.opts.unloadDelayMs > 0) await new Promise((r) => setTimeout(r, this.opts.unloadDelayMs));
    if (room.conns.size > 0) return;
    this.opts.beforeUnload?.(room);
    await this.opts.commitQueue.whenIdle();
    await this.opts.commitQueue.exclusive(() => this.opts.commitQueue.compact(room));
    // Someone may have joined while the final write ran: they keep the live room.
    if (room.conns.size > 0 || room.hasUncommitted()) return;
    this.drop(room);
  }

  private drop(room: Room): void {
    if (this.rooms.get(room.docId) !== room) return;
    this.rooms.delete(room.docId);
    this.opts.onUnloaded?.(room);
    room.destroy();
  }

  /** Waits for every pending unload (tests and shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.unloading.values()]);
  }

  /** Compacts and drops every room (graceful shutdown). */
  async closeAll(): Promise<void> {
    for (const room of this.rooms.values()) this.opts.beforeUnload?.(room);
    await this.opts.commitQueue.whenIdle();
    for (const room of [...this.rooms.values()]) {
      await this.opts.commitQueue.exclusive(() => this.opts.commitQueue.compact(room));
      this.drop(room);
    }
  }
}
