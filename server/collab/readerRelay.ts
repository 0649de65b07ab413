import { mergePending } from './mergePending.js';
import { updateBroadcast } from './messages.js';
import type { SharedMessage } from './wsFrame.js';
import { realTimers, type Timers } from './timers.js';

export interface ReaderRelayOptions {
  /** At most one frame per this many ms to the room's readers (asked at each batch: it grows with the audience); 0 = every batch at once. */
  intervalMs(): number;
  /** Sends one framed message to every reader of the room. */
  send(message: SharedMessage): void;
  /** Called when a merge or send fails (the room faults). */
  failed(err: unknown): void;
  now?: () => number;
  timers?: Timers;
}

/**
 * Committed edits on their way to a room's readers (view links: projectors,
 * attendees following along). A reader never types, so nothing it does waits
 * on the next keystroke: under sustained typing it gets the batches merged,
 * at most one frame per interval, instead of one per commit. With hundreds of
 * readers that frame is most of the server's work per keystroke (a socket
 * write per reader), and without a cap a burst of typing (a paste, twenty
 * note-takers at once) costs readers × commits writes a second. The first
 * batch after a quiet interval leaves at once, so a lone edit reaches readers
 * with no added delay; note-takers are not delayed at all (the room sends
 * them every batch as it commits).
 *
 * Only durable batches come here, so readers still never see an edit the
 * server could lose.
 */
export class ReaderRelay {
  private pending: Uint8Array[] = [];
  private timer: unknown = null;
  private lastSent = -Infinity;
  private readonly now: () => number;
  private readonly timers: Timers;

  constructor(private readonly opts: ReaderRelayOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.timers = opts.timers ?? realTimers;
  }

  /** A committed batch; `framed` is its broadcast when the caller built one already. */
  committed(update: Uint8Array, framed?: SharedMessage): void {
    const now = this.now();
    const interval = this.opts.intervalMs();
    if (this.timer === null && now - this.lastSent >= interval) {
      this.lastSent = now;
      this.sendOrReport(() => framed ?? updateBroadcast(update));
      return;
    }
    this.pending.push(update);
    this.timer ??= this.timers.set(() => this.flush(), Math.max(0, Math.ceil(this.lastSent + interval - now)));
  }

  /** Sends whatever waits now (also when the timer fires). */
  flush(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const updates = this.pending;
    this.pending = [];
    this.lastSent = this.now();
    this.sendOrReport(() => updateBroadcast(updates.length === 1 ? updates[0]! : mergePending(updates)));
  }

  private sendOrReport(message: () => SharedMessage): void {
    try {
      this.opts.send(message());
    } catch (err) {
      this.opts.failed(err);
    }
  }

  /** Drops what waits (the room is going away; its readers are disconnected). */
  destroy(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    this.pending = [];
  }
}
