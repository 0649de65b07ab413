import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../test/helpers/eventually.js';
import { readSse, type SseReader } from '../../test/helpers/sse.js';
import { EventStreamHub, type EventSnapshot } from './streamHub.js';
import { MemoryStreamSlots, type StreamSlotKind, type StreamSlots } from './streamSlots.js';

/** Slots counted in memory whose next take waits until the test lets it go (a slow Redis round trip). */
class GatedSlots implements StreamSlots {
  private readonly inner = new MemoryStreamSlots();
  private gate: { reached: () => void; open: Promise<void> } | null = null;

  /** The next take waits for `open`; the returned promise settles once a take is waiting. */
  holdNext(open: Promise<void>): Promise<void> {
    return new Promise((reached) => (this.gate = { reached, open }));
  }

  async tryTake(kind: StreamSlotKind, key: string, id: string, max: number): Promise<boolean> {
    const gate = this.gate;
    this.gate = null;
    if (gate) {
      gate.reached();
      await gate.open;
    }
    return this.inner.tryTake(kind, key, id, max);
  }

  release(kind: StreamSlotKind, key: string, id: string): void {
    this.inner.release(kind, key, id);
  }

  close(): void {}
}

describe('event stream hub with slots counted elsewhere (slow to answer)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('a stream opened while a change goes out still ends up with that change', async () => {
    let title = 'Before';
    const snapshot = (): Promise<EventSnapshot> => Promise.resolve({ event: { title, timezone: 'UTC', language: 'en' }, sessions: [] });
    const slots = new GatedSlots();
    const hub = new EventStreamHub({ snapshot, slots, debounceMs: 1 });
    const app = express();
    app.get('/stream', (_req, res) => {
      hub.subscribe('e1', { tokenHash: 't', address: '10.0.0.1' }, res).catch(() => res.sendStatus(500));
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const readers: SseReader[] = [];
    cleanups.push(() => {
      for (const r of readers) r.close();
      hub.close();
      server.closeAllConnections();
      server.close();
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;

    const first = await readSse(url, 'x');
    readers.push(first);
    let letGo!: () => void;
    const reached = slots.holdNext(new Promise<void>((r) => (letGo = r)));
    const secondOpening = readSse(url, 'x');
    await reached;
    // While the second stream waits for its slot, the event changes and the first stream hears of it.
    title = 'After';
    hub.changed('e1');
    await eventually(() => first.view()?.event.title === 'After', 3000, 'the first stream to see the change');
    letGo();
    const second = await secondOpening;
    readers.push(second);
    await eventually(() => second.view()?.event.title === 'After', 3000, 'the second stream to see the change too');
    expect(hub.stats().streams).toBe(2);
  });
});
