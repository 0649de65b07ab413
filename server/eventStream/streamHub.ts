import type { Response } from 'express';
import type { EventStreamMessage } from '../../shared/eventStream.js';
import type { Role } from '../../shared/roles.js';
import type { Logger } from '../logger.js';
import { DomainError } from '../domainError.js';
import { baselineOf, deltas, type Baseline, type EventSnapshot } from './streamDeltas.js';
import { MemoryStreamSlots, type StreamSlots } from './streamSlots.js';

export type { EventSnapshot } from './streamDeltas.js';

/** Limits that keep event streams cheap whatever their readers do; README "Limits" lists them. */
export interface StreamLimits {
  /**
   * Open streams per link token. The view link of a big event is shared by
   * its whole audience (every session page and projector holds a stream), so
   * this counts readers, not tabs of one person.
   */
  maxStreamsPerToken: number;
  /** Open streams per client address (a venue behind one NAT is one address). */
  maxStreamsPerAddress: number;
  /** Unsent bytes a stream may hold before the next message; over it the stream is closed and the client starts again from a snapshot. */
  maxBufferedBytesPerStream: number;
  /** Unsent bytes of all streams together; over it the slowest streams are closed first. */
  maxBufferedBytesTotal: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxStreamsPerToken: 200,
  maxStreamsPerAddress: 100,
  maxBufferedBytesPerStream: 1024 * 1024,
  maxBufferedBytesTotal: 64 * 1024 * 1024,
};

/** Who opened a stream: the link's token hash (rotation closes its streams), the client's address (for the cap) and the link's role (what it may hear). */
export interface StreamClient {
  tokenHash: string;
  address: string;
  /** The role of the link; only moderate streams hear of link rotations. Absent: treated as a view link. */
  role?: Role;
}


export interface EventStreamHubOptions {
  /** The event's current fields and sessions (live counts included); null when the event is gone. */
  snapshot(eventId: string): Promise<EventSnapshot | null>;
  log?: Logger;
  debounceMs?: number;
  heartbeatMs?: number;
  limits?: Partial<StreamLimits>;
  /** Where the per-link and per-address caps are counted: this process by default, Redis with REDIS_URL (server/bus/redisStreamSlots.ts). */
  slots?: StreamSlots;
}

export interface StreamStats {
  streams: number;
  /** Bytes written to streams and not yet taken by the kernel, summed over every stream. */
  bufferedBytes: number;
  /** Streams closed so far because their readers fell behind. */
  closedSlow: number;
}

interface Subscriber {
  /** Its slot's name in the per-link and per-address counts. */
  id: string;
  res: Response;
  eventId: string;
  client: StreamClient;
  open: boolean;
}

/**
 * Server-Sent Events per event. A stream gets the whole session list once,
 * when it opens; after that only deltas (see shared/eventStream.ts). Every
 * write checks the reader keeps up: a stream holding more unsent bytes than
 * its bound is closed (its client reconnects and gets a fresh snapshot), so a
 * reader that never reads costs a bounded amount of memory.
 */
export class EventStreamHub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly baselines = new Map<string, Baseline>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly slots: StreamSlots;
  private nextId = 0;
  /** The local day each session last got notes, so "notes today" is pushed once a day, not on every keystroke. */
  private readonly notesDay = new Map<string, string>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly limits: StreamLimits;
  private readonly debounceMs: number;
  private closedSlow = 0;
  private readonly refreshing = new Map<string, Promise<EventSnapshot | null>>();

  constructor(private readonly opts: EventStreamHubOptions) {
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...opts.limits };
    this.slots = opts.slots ?? new MemoryStreamSlots();
    this.debounceMs = opts.debounceMs ?? 200;
    this.heartbeat = setInterval(() => this.pingAll(), opts.heartbeatMs ?? 25_000);
    this.heartbeat.unref();
  }

  /** Opens a stream, or throws a 429 when the token or the address already holds its share. */
  async subscribe(eventId: string, client: StreamClient, res: Response): Promise<void> {
    // Slots first (taking one is atomic wherever it is counted), so the snapshot read is the last wait
    // before the stream joins: no delta can go out to the others in between and be missed by this one.
    const id = String(++this.nextId);
    if (!(await this.slots.tryTake('link', client.tokenHash, id, this.limits.maxStreamsPerToken))) {
      throw new DomainError('too_many_streams', { per: 'link', max: this.limits.maxStreamsPerToken });
    }
    if (!(await this.slots.tryTake('address', client.address, id, this.limits.maxStreamsPerAddress))) {
      this.slots.release('link', client.tokenHash, id);
      throw new DomainError('too_many_streams', { per: 'address', max: this.limits.maxStreamsPerAddress });
    }
    const snapshot = await this.refresh(eventId).catch((err: unknown) => {
      this.releaseSlots(id, client);
      throw err;
    });
    if (!snapshot || res.destroyed) {
      this.releaseSlots(id, client);
      if (!snapshot) throw new DomainError('event_not_found');
      return;
    }

    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    const sub: Subscriber = { id, res, eventId, client, open: true };
    let set = this.subscribers.get(eventId);
    if (!set) this.subscribers.set(eventId, (set = new Set()));
    set.add(sub);
    res.on('close', () => this.remove(sub));
    this.write(sub, frame({ type: 'snapshot', event: snapshot.event, sessions: snapshot.sessions }));
    this.enforceTotal();
  }

  /** Something about the event or its sessions changed: subscribers get the deltas shortly (debounced). */
  changed(eventId: string): void {
    if (!this.subscribers.has(eventId) || this.pending.has(eventId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(eventId);
      this.refresh(eventId).catch((err: unknown) => this.opts.log?.warn('event stream refresh failed', { eventId, error: String(err) }));
    }, this.debounceMs);
    timer.unref();
    this.pending.set(eventId, timer);
  }

  /** Notes of a session were stored; subscribers hear about it when that is news for the day (`localDay` in the event's zone). */
  notesWritten(eventId: string, sessionId: string, localDay: string): void {
    if (this.notesDay.get(sessionId) === localDay) return;
    this.notesDay.set(sessionId, localDay);
    this.changed(eventId);
  }

  /** Sends one message to every subscriber of an event, at once. */
  publish(eventId: string, msg: EventStreamMessage): void {
    const subs = this.subscribers.get(eventId);
    if (!subs) return;
    const data = frame(msg);
    for (const sub of subs) this.write(sub, data);
    this.enforceTotal();
  }

  /**
   * A moderator rotated the event's `role` link: streams opened with a moderate link hear it (no token travels;
   * they fetch the links again), every other stream hears nothing. Call after revokeTokens, so a rotated
   * moderate link's own streams have ended with `revoked` first.
   */
  linksRotated(eventId: string, role: Role): void {
    const subs = this.subscribers.get(eventId);
    if (!subs) return;
    const data = frame({ type: 'linksRotated', role });
    for (const sub of subs) if (sub.client.role === 'moderate') this.write(sub, data);
    this.enforceTotal();
  }

  /** The link behind these token hashes was rotated: its streams end now and hear nothing more. */
  revokeTokens(hashes: readonly string[]): void {
    const revoked = new Set(hashes);
    const data = frame({ type: 'revoked' });
    for (const subs of [...this.subscribers.values()]) {
      for (const sub of [...subs]) {
        if (!revoked.has(sub.client.tokenHash)) continue;
        this.remove(sub);
        sub.res.end(data);
        // Whatever it has not read yet it never will: do not hold it.
        if (bufferedBytes(sub.res) > 0) sub.res.destroy();
      }
    }
  }

  stats(): StreamStats {
    let streams = 0;
    let buffered = 0;
    for (const subs of this.subscribers.values()) {
      for (const sub of subs) {
        streams++;
        buffered += bufferedBytes(sub.res);
      }
    }
    return { streams, bufferedBytes: buffered, closedSlow: this.closedSlow };
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.slots.close();
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    for (const subs of [...this.subscribers.values()]) {
      for (const sub of [...subs]) {
        this.remove(sub);
        sub.res.end();
      }
    }
  }

  /**
   * Reads the event's current state, sends existing subscribers what changed
   * since they were last told, and returns the state (for a new subscriber's
   * snapshot, which is then exactly as new as everyone else's view).
   */
  private refresh(eventId: string): Promise<EventSnapshot | null> {
    // One read at a time per event: each baseline is then newer than the one it replaces.
    const next = (this.refreshing.get(eventId) ?? Promise.resolve(null)).catch(() => null).then(() => this.refreshNow(eventId));
    this.refreshing.set(eventId, next);
    void next.finally(() => {
      if (this.refreshing.get(eventId) === next) this.refreshing.delete(eventId);
    }).catch(() => undefined);
    return next;
  }

  private async refreshNow(eventId: string): Promise<EventSnapshot | null> {
    const snapshot = await this.opts.snapshot(eventId);
    const subs = this.subscribers.get(eventId);
    if (!snapshot) return null;
    const next = baselineOf(snapshot);
    const before = this.baselines.get(eventId);
    if (subs && subs.size > 0 && before) {
      const data = deltas(before, next, snapshot).map(frame).join('');
      if (data) {
        for (const sub of subs) this.write(sub, data);
        this.enforceTotal();
      }
    }
    this.baselines.set(eventId, next);
    return snapshot;
  }

  private write(sub: Subscriber, data: string): void {
    if (!sub.open) return;
    // Checked before writing: what is still unsent is what the reader has not taken. One new
    // message (a 500-session snapshot is bigger than the bound) is always allowed.
    if (bufferedBytes(sub.res) > this.limits.maxBufferedBytesPerStream) {
      this.closeSlow(sub);
      return;
    }
    sub.res.write(data);
  }

  /** Keeps the sum of unsent bytes under its bound by closing the streams furthest behind. */
  private enforceTotal(): void {
    const all: { sub: Subscriber; bytes: number }[] = [];
    let total = 0;
    for (const subs of this.subscribers.values()) {
      for (const sub of subs) {
        const bytes = bufferedBytes(sub.res);
        total += bytes;
        if (bytes > 0) all.push({ sub, bytes });
      }
    }
    if (total <= this.limits.maxBufferedBytesTotal) return;
    all.sort((a, b) => b.bytes - a.bytes);
    for (const { sub, bytes } of all) {
      if (total <= this.limits.maxBufferedBytesTotal) break;
      this.closeSlow(sub);
      total -= bytes;
    }
  }

  private closeSlow(sub: Subscriber): void {
    this.closedSlow++;
    this.opts.log?.info('event stream closed: its reader fell behind', { eventId: sub.eventId, bufferedBytes: bufferedBytes(sub.res) });
    this.remove(sub);
    // Destroyed, not ended: ending would keep every unsent byte until the reader took it.
    sub.res.destroy();
  }

  private remove(sub: Subscriber): void {
    if (!sub.open) return;
    sub.open = false;
    const subs = this.subscribers.get(sub.eventId);
    subs?.delete(sub);
    if (subs && subs.size === 0) {
      this.subscribers.delete(sub.eventId);
      this.baselines.delete(sub.eventId);
      const timer = this.pending.get(sub.eventId);
      if (timer) clearTimeout(timer);
      this.pending.delete(sub.eventId);
    }
    this.releaseSlots(sub.id, sub.client);
  }

  private releaseSlots(id: string, client: StreamClient): void {
    this.slots.release('link', client.tokenHash, id);
    this.slots.release('address', client.address, id);
  }

  private pingAll(): void {
    const data = frame({ type: 'ping' });
    for (const subs of [...this.subscribers.values()]) for (const sub of [...subs]) this.write(sub, data);
  }
}

function frame(msg: EventStreamMessage): string {
  return `event: ${msg.type}\ndata: ${JSON.stringify(msg)}\n\n`;
}

/** Unsent bytes of a response: its own queue plus its socket's. */
function bufferedBytes(res: Response): number {
  return Math.max(res.writableLength, res.socket?.writableLength ?? 0);
}
