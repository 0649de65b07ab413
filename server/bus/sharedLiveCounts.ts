import type { LiveCounts as Counts } from '../../shared/schemas.js';
import type { Room } from '../collab/room.js';
import type { RoomExtension } from '../collab/roomExtension.js';
import type { BroadcastBus, BusMessage } from './broadcastBus.js';

export interface SharedLiveCountsOptions {
  bus: BroadcastBus;
  /** This process's own counts (LiveCounts). */
  local: (sessionId: string) => Counts;
  /** How often a process repeats its non-zero counts; others forget counts not repeated within three times this. */
  repeatMs?: number;
  now?: () => number;
}

/**
 * The schedule's live counts across processes: each process publishes its
 * counts of a session when they change (and repeats them while non-zero), and
 * adds what the others published. A process that died stops repeating, and
 * its counts fade out after three repeat periods.
 */
export class SharedLiveCounts implements RoomExtension {
  readonly name = 'shared live counts';
  /** sessionId → process id → counts and when they were heard. */
  private readonly remote = new Map<string, Map<string, { counts: Counts; at: number }>>();
  private readonly rooms = new Set<Room>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly repeatMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: SharedLiveCountsOptions) {
    this.repeatMs = opts.repeatMs ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.timer = setInterval(() => {
      for (const room of this.rooms) this.announce(room.docId);
    }, this.repeatMs);
    this.timer.unref();
  }

  /** Subscribes to the other processes' counts; resolves once listening. */
  async listen(): Promise<void> {
    await this.opts.bus.subscribe('server', (msg: BusMessage, from) => {
      if (msg.kind !== 'liveCounts') return;
      let bySender = this.remote.get(msg.sessionId);
      if (!bySender) this.remote.set(msg.sessionId, (bySender = new Map()));
      if (msg.editors === 0 && msg.viewers === 0) bySender.delete(from);
      else bySender.set(from, { counts: { editors: msg.editors, viewers: msg.viewers }, at: this.now() });
      if (bySender.size === 0) this.remote.delete(msg.sessionId);
    });
  }

  presenceChanged(room: Room): void {
    this.rooms.add(room);
    this.announce(room.docId);
  }

  unloaded(room: Room): void {
    this.rooms.delete(room);
    this.opts.bus.publish('server', { kind: 'liveCounts', sessionId: room.docId, editors: 0, viewers: 0 });
  }

  /** Everyone in the session on every process. */
  of(sessionId: string): Counts {
    const own = this.opts.local(sessionId);
    const total = { editors: own.editors, viewers: own.viewers };
    const bySender = this.remote.get(sessionId);
    if (!bySender) return total;
    const oldest = this.now() - 3 * this.repeatMs;
    for (const [sender, { counts, at }] of bySender) {
      if (at < oldest) {
        bySender.delete(sender);
        continue;
      }
      total.editors += counts.editors;
      total.viewers += counts.viewers;
    }
    return total;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private announce(sessionId: string): void {
    const c = this.opts.local(sessionId);
    this.opts.bus.publish('server', { kind: 'liveCounts', sessionId, editors: c.editors, viewers: c.viewers });
  }
}
