import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { busMessageSchema, channelName, type BroadcastBus, type BusChannel, type BusHandler, type BusMessage } from './broadcastBus.js';
import { hidePassword } from '../storage/hidePassword.js';

const envelopeSchema = z.object({ from: z.string().min(1), msg: busMessageSchema });

export interface RedisBusOptions {
  url: string;
  log: Logger;
  /** How long start-up waits for Redis before giving up. */
  connectTimeoutMs?: number;
}

/**
 * Redis pub/sub between server processes: one channel per session (notes and
 * presence) and one for everything else. Pub/sub keeps nothing, and that is
 * enough here: document updates are in PostgreSQL before they are published,
 * so a process that missed some (a reconnect, a Redis restart) reads them
 * back from storage instead of from a Redis stream that would duplicate them.
 */
export class RedisBus implements BroadcastBus {
  readonly processId = crypto.randomUUID();
  private readonly handlers = new Map<string, Set<BusHandler>>();
  private readonly resubscribed: (() => void)[] = [];
  private everReady = false;
  private closed = false;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly log: Logger,
  ) {
    sub.on('messageBuffer', (channel: Buffer, payload: Buffer) => this.receive(channel.toString(), payload));
    sub.on('ready', () => {
      if (!this.everReady) {
        this.everReady = true;
        return;
      }
      void this.afterReconnect();
    });
    for (const conn of [pub, sub]) conn.on('error', (err: Error) => log.warn('redis connection error', { error: err.message }));
  }

  /** Connects both connections; rejects with a clear reason when Redis cannot be reached. */
  static async connect(opts: RedisBusOptions): Promise<RedisBus> {
    const make = () => new Redis(opts.url, { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 100, 2000) });
    const pub = make();
    const sub = make();
    const bus = new RedisBus(pub, sub, opts.log);
    const timeoutMs = opts.connectTimeoutMs ?? 5000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        Promise.all([pub.connect(), sub.connect()]),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
      ]);
    } catch (err) {
      pub.disconnect();
      sub.disconnect();
      throw new Error(`Redis at ${hidePassword(opts.url)} is unreachable: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
    }
    bus.everReady = true;
    return bus;
  }

  publish(channel: BusChannel, msg: BusMessage): void {
    if (this.closed) return;
    const payload = JSON.stringify({ from: this.processId, msg });
    this.pub.publish(channelName(channel), payload).catch((err: unknown) => {
      // Receivers catch up from storage when they notice the gap; presence renews itself.
      this.log.warn('redis publish failed', { error: err instanceof Error ? err.message : String(err) });
    });
  }

  async subscribe(channel: BusChannel, handler: BusHandler): Promise<() => void> {
    const name = channelName(channel);
    let set = this.handlers.get(name);
    if (!set) {
      this.handlers.set(name, (set = new Set()));
      await this.sub.subscribe(name);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size > 0 || this.handlers.get(name) !== set) return;
      this.handlers.delete(name);
      if (!this.closed) this.sub.unsubscribe(name).catch(() => undefined);
    };
  }

  onResubscribed(listener: () => void): void {
    this.resubscribed.push(listener);
  }

  health() {
    const ok = this.pub.status === 'ready' && this.sub.status === 'ready';
    return ok ? { ok } : { ok, detail: `redis ${this.pub.status}/${this.sub.status}` };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }

  private async afterReconnect(): Promise<void> {
    try {
      // ioredis resubscribes on its own; subscribing again waits until that has happened, so nothing published from now on is missed.
      const names = [...this.handlers.keys()];
      if (names.length > 0) await this.sub.subscribe(...names);
    } catch (err) {
      this.log.warn('redis resubscribe failed', { error: err instanceof Error ? err.message : String(err) });
    }
    this.log.info('redis reconnected; catching up from storage', { channels: this.handlers.size });
    for (const listener of this.resubscribed) listener();
  }

  private receive(channel: string, payload: Buffer): void {
    const handlers = this.handlers.get(channel);
    if (!handlers) return;
    let parsed: z.infer<typeof envelopeSchema>;
    try {
      const result = envelopeSchema.safeParse(JSON.parse(payload.toString('utf8')));
      if (!result.success) throw new Error(result.error.issues[0]?.message ?? 'invalid');
      parsed = result.data;
    } catch (err) {
      this.log.warn('ignored a malformed bus message', { channel, error: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (parsed.from === this.processId) return;
    for (const handler of [...handlers]) handler(parsed.msg, parsed.from);
  }
}
