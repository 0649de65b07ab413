import crypto from 'node:crypto';
import { channelName, type BroadcastBus, type BusChannel, type BusHandler, type BusMessage } from './broadcastBus.js';

/**
 * The bus of servers that live in one process: a single server (the
 * default, with nobody else to tell), or several servers of one test sharing
 * a hub. Messages are delivered asynchronously, as over Redis, so nothing
 * depends on a publish being delivered before it returns.
 */
export class LocalBusHub {
  private readonly members = new Set<LocalBus>();

  /** A bus for one more server of this hub. */
  join(): LocalBus {
    const bus = new LocalBus(this);
    this.members.add(bus);
    return bus;
  }

  /** @internal */
  deliver(from: LocalBus, channel: string, msg: BusMessage): void {
    for (const member of this.members) if (member !== from) member.receive(from.processId, channel, msg);
  }

  /** @internal */
  leave(bus: LocalBus): void {
    this.members.delete(bus);
  }
}

export class LocalBus implements BroadcastBus {
  readonly processId = crypto.randomUUID();
  private readonly handlers = new Map<string, Set<BusHandler>>();

  constructor(private readonly hub: LocalBusHub) {}

  publish(channel: BusChannel, msg: BusMessage): void {
    // Copied, as a network would: a receiver never shares the sender's buffers.
    const copy = structuredClone(msg);
    const name = channelName(channel);
    setImmediate(() => this.hub.deliver(this, name, copy));
  }

  subscribe(channel: BusChannel, handler: BusHandler): Promise<() => void> {
    const name = channelName(channel);
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler);
    return Promise.resolve(() => {
      set.delete(handler);
      if (set.size === 0) this.handlers.delete(name);
    });
  }

  onResubscribed(): void {
    // Nothing between servers of one process can be lost.
  }

  health() {
    return { ok: true };
  }

  /** @internal */
  receive(from: string, channel: string, msg: BusMessage): void {
    for (const handler of [...(this.handlers.get(channel) ?? [])]) handler(msg, from);
  }

  close(): Promise<void> {
    this.hub.leave(this);
    this.handlers.clear();
    return Promise.resolve();
  }
}

/** Today's behaviour: one process, nobody else to tell. */
export function createLocalBus(): BroadcastBus {
  return new LocalBusHub().join();
}
