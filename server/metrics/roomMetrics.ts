import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Connection } from '../collab/connection.js';
import type { Room, RoomBatch } from '../collab/room.js';
import { closeCodeLabel, refusalOf, REFUSAL_REASONS, type RefusalReason } from './refusals.js';

/** Seconds: fsync-bound commits sit around 0.5–5 ms; a slow disk shows in the upper buckets. */
const COMMIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Seconds from a client's update to its acknowledgement: what "Saved" waits for. */
const ACK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** The y-websocket frame around an update of `n` bytes: two type bytes and a varUint length. */
function updateFrameBytes(n: number): number {
  let lengthBytes = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) lengthBytes++;
  return 2 + lengthBytes + n;
}

interface RoomWatch {
  off(): void;
}

/** Observations held back at most, when nobody scrapes. */
const MAX_DEFERRED = 1024;

/**
 * Values for a metric, handed to it when it is read (a scrape, through its
 * `collect`) or once MAX_DEFERRED are waiting: prom-client hashes labels on
 * every call, which cost more than the rest of the per-keystroke metrics.
 * A scrape reads exactly what per-call updates would have given.
 */
class Deferred {
  private readonly values: number[] = [];

  constructor(private readonly sink: (value: number) => void) {}

  add(value: number): void {
    this.values.push(value);
    if (this.values.length >= MAX_DEFERRED) this.flush();
  }

  flush(): void {
    for (const v of this.values) this.sink(v);
    this.values.length = 0;
  }
}

/** A counter's increments, summed until it is read. */
class DeferredSum {
  private sum = 0;

  constructor(private readonly sink: (value: number) => void) {}

  add(value: number): void {
    this.sum += value;
  }

  flush(): void {
    if (this.sum !== 0) this.sink(this.sum);
    this.sum = 0;
  }
}

/**
 * What the collaboration core does, as Prometheus metrics. Its methods are
 * named for the points of a room's life (loaded, an update received or
 * refused, a batch committed and acknowledged, presence, unloaded), so it can
 * become one extension of the room pipeline; today createServer calls them
 * from the registry's hooks, the commit queue's observer and the socket close.
 *
 * Labels come from fixed sets only (roles, refusal reasons, close codes): no
 * token, title or name can reach one.
 */
export class RoomMetrics {
  /** Rooms in memory: what the gauges are read from at scrape time, so they never drift. */
  private readonly rooms = new Map<Room, RoomWatch | null>();
  /** Rooms already dropped: a late presence change (a socket closing after a fault) must not bring one back. */
  private readonly gone = new WeakSet<Room>();
  /** Per connection: when each of its document messages (by number) changed the document, until acknowledged. */
  private readonly unacked = new WeakMap<Connection, { msg: number; at: number }[]>();
  private readonly updates: DeferredSum;
  private readonly updateBytes: DeferredSum;
  private readonly refused: Counter<'reason'>;
  private readonly closes: Counter<'code'>;
  private readonly broadcastBytes: DeferredSum;
  private readonly commitSeconds: Deferred;
  private readonly batchUpdates: Deferred;
  private readonly ackSeconds: Deferred;
  private readonly tagged: Counter;

  constructor(
    registry: Registry,
    private readonly now: () => number = () => performance.now(),
  ) {
    const registers = [registry];
    const rooms = this.rooms;
    new Gauge({
      name: 'roundtable_rooms_open',
      help: 'Session documents loaded in memory (a room stays a moment after its last client left).',
      registers,
      collect() {
        this.set(rooms.size);
      },
    });
    const countConnections = () => {
      const byRole = { view: 0, edit: 0, moderate: 0 };
      for (const room of rooms.keys()) for (const conn of room.conns) byRole[conn.role]++;
      return byRole;
    };
    new Gauge({
      name: 'roundtable_connections',
      help: 'Open WebSocket connections, by the role they act with (view includes edit links opened read-only).',
      labelNames: ['role'],
      registers,
      collect() {
        for (const [role, n] of Object.entries(countConnections())) this.set({ role }, n);
      },
    });
    new Gauge({
      name: 'roundtable_readers',
      help: 'Connections that may not write (view links, readonly=1).',
      registers,
      collect() {
        this.set(countConnections().view);
      },
    });
    new Gauge({
      name: 'roundtable_writers',
      help: 'Connections that may write (edit and moderate links).',
      registers,
      collect() {
        const c = countConnections();
        this.set(c.edit + c.moderate);
      },
    });
    // Read at scrape time: each collect hands the metric what was held back for it.
    const deferredSum = (config: { name: string; help: string }) => {
      const tally: DeferredSum = new DeferredSum((v) => counter.inc(v));
      const counter: Counter = new Counter({ ...config, registers, collect: () => tally.flush() });
      return tally;
    };
    const deferred = (config: { name: string; help: string; buckets: number[] }) => {
      const values: Deferred = new Deferred((v) => histogram.observe(v));
      const histogram: Histogram = new Histogram({ ...config, registers, collect: () => values.flush() });
      return values;
    };
    this.updates = deferredSum({ name: 'roundtable_updates_total', help: 'Document updates from clients applied to a live document.' });
    this.updateBytes = deferredSum({ name: 'roundtable_update_bytes_total', help: 'Bytes of the document updates counted in roundtable_updates_total.' });
    this.refused = new Counter({
      name: 'roundtable_updates_refused_total',
      help: 'Client messages refused (the connection is closed with the matching code; nothing of it is stored).',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of REFUSAL_REASONS) this.refused.inc({ reason }, 0);
    this.closes = new Counter({
      name: 'roundtable_connections_closed_total',
      help: 'Connections the server closed, by close code (README: Close codes).',
      labelNames: ['code'],
      registers,
    });
    this.broadcastBytes = deferredSum({
      name: 'roundtable_broadcast_bytes_total',
      help: 'Bytes of committed document updates sent to clients (each frame once per receiving connection).',
    });
    this.commitSeconds = deferred({
      name: 'roundtable_commit_seconds',
      help: 'Time for one group commit to become durable (SQLite transaction and fsync).',
      buckets: COMMIT_BUCKETS,
    });
    this.batchUpdates = deferred({
      name: 'roundtable_commit_batch_updates',
      help: 'Document updates stored by one group commit, across all rooms.',
      buckets: BATCH_BUCKETS,
    });
    this.ackSeconds = deferred({
      name: 'roundtable_ack_seconds',
      help: 'Time from a client update arriving to the acknowledgement that it is durable being sent (clients with ack=1).',
      buckets: ACK_BUCKETS,
    });
    this.tagged = new Counter({ name: 'roundtable_action_items_tagged_total', help: 'Lines the live tagger recognised as new action items.', registers });
  }

  /** A room is in memory: its gauges count, and its client updates are timed until acknowledged. */
  loaded(room: Room): void {
    if (this.rooms.get(room) || this.gone.has(room)) return;
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      // A client's update carries its connection as the origin; the server's own writes (templates, tags) do not count.
      if (typeof origin !== 'object' || origin === null || !room.conns.has(origin as Connection)) return;
      this.updateReceived(origin as Connection, update.byteLength);
    };
    room.doc.on('update', onUpdate);
    this.rooms.set(room, { off: () => room.doc.off('update', onUpdate) });
  }

  /** A client's update changed a live document. */
  updateReceived(conn: Connection, bytes: number): void {
    this.updates.add(1);
    this.updateBytes.add(bytes);
    if (!conn.wantsAck) return;
    let queue = this.unacked.get(conn);
    if (!queue) this.unacked.set(conn, (queue = []));
    // The message number the server acknowledges with: every message up to it is covered by one ack.
    queue.push({ msg: conn.docMessagesReceived, at: this.now() });
  }

  updateRefused(reason: RefusalReason): void {
    this.refused.inc({ reason });
  }

  /** The server closed a connection with `code`: counted, and as a refusal when it refused something the client sent. */
  closed(code: number, reason: string): void {
    this.closes.inc({ code: closeCodeLabel(code) });
    const refusal = refusalOf(code, reason);
    if (refusal) this.updateRefused(refusal);
  }

  /** One group commit is durable: `seconds` for the storage write, then every room's batch was broadcast and acknowledged. */
  groupCommitted(batches: readonly RoomBatch[], seconds: number): void {
    let updates = 0;
    for (const b of batches) updates += b.update ? b.updateCount : 0;
    if (updates > 0) {
      this.commitSeconds.add(seconds);
      this.batchUpdates.add(updates);
    }
    for (const b of batches) this.batchCommitted(b.room, b, seconds);
  }

  batchCommitted(room: Room, batch: RoomBatch, _seconds: number): void {
    if (batch.update) {
      let receivers = 0;
      for (const conn of room.conns) if (!conn.closed) receivers++;
      this.broadcastBytes.add(updateFrameBytes(batch.update.byteLength) * receivers);
    }
    for (const { conn, target } of batch.acks) this.acked(conn, target);
  }

  /** `conn` was told that its document messages up to `upTo` are durable. */
  acked(conn: Connection, upTo: number): void {
    const queue = this.unacked.get(conn);
    if (!queue) return;
    const t = this.now();
    let n = 0;
    while (n < queue.length && queue[n]!.msg <= upTo) this.ackSeconds.add((t - queue[n++]!.at) / 1000);
    if (n > 0) queue.splice(0, n);
  }

  /** Connections came or went; the gauges are read at scrape time, so only an unseen room (a damaged one) needs noting. */
  presence(room: Room): void {
    if (!this.rooms.has(room) && !this.gone.has(room)) this.rooms.set(room, null);
  }

  actionItemsTagged(count: number): void {
    this.tagged.inc(count);
  }

  unloaded(room: Room): void {
    this.rooms.get(room)?.off();
    this.rooms.delete(room);
    this.gone.add(room);
  }
}
