/** What a stream slot is counted against: the link token that opened it, or the client's address. */
export type StreamSlotKind = 'link' | 'address';

/**
 * Open event streams per link token and per client address: the port. In
 * memory by default (MemoryStreamSlots below); with REDIS_URL counted in
 * Redis (server/bus/redisStreamSlots.ts), so an address spread over several
 * processes behind a load balancer meets one cap, not one per process.
 */
export interface StreamSlots {
  /** Takes a slot for stream `id` under `key` when fewer than `max` are taken; false when the cap is reached. */
  tryTake(kind: StreamSlotKind, key: string, id: string, max: number): Promise<boolean>;
  /** Gives the slot of stream `id` back (a slot never taken is ignored). */
  release(kind: StreamSlotKind, key: string, id: string): void;
  /** Stops any background work (renewals); open slots are released by their streams. */
  close(): void;
}

/** Counts in this process: each process alone gives an address its cap. */
export class MemoryStreamSlots implements StreamSlots {
  private readonly taken = new Map<string, Set<string>>();

  tryTake(kind: StreamSlotKind, key: string, id: string, max: number): Promise<boolean> {
    return Promise.resolve(this.takeNow(kind, key, id, max));
  }

  /** Synchronous: check and take happen with nothing in between. */
  takeNow(kind: StreamSlotKind, key: string, id: string, max: number): boolean {
    const slots = this.taken.get(slotKey(kind, key));
    if (slots?.has(id)) return true;
    if ((slots?.size ?? 0) >= max) return false;
    this.take(kind, key, id);
    return true;
  }

  /** Takes a slot whatever the cap (a stream another counter already admitted). */
  take(kind: StreamSlotKind, key: string, id: string): void {
    const k = slotKey(kind, key);
    let slots = this.taken.get(k);
    if (!slots) this.taken.set(k, (slots = new Set()));
    slots.add(id);
  }

  release(kind: StreamSlotKind, key: string, id: string): void {
    const k = slotKey(kind, key);
    const slots = this.taken.get(k);
    if (!slots) return;
    slots.delete(id);
    if (slots.size === 0) this.taken.delete(k);
  }

  close(): void {}
}

function slotKey(kind: StreamSlotKind, key: string): string {
  return `${kind}\u0000${key}`;
}
