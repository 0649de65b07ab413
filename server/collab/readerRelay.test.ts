import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';
import { ReaderRelay } from './readerRelay.js';
import type { SharedMessage } from './wsFrame.js';

/** A relay on a hand-driven clock: `advance` moves it and fires the timer that is due. */
function relayOn(intervalMs: number) {
  let now = 1_000;
  let timer: { fn: () => void; at: number } | null = null;
  const sent: SharedMessage[] = [];
  const failures: unknown[] = [];
  const relay = new ReaderRelay({
    intervalMs: () => intervalMs,
    send: (m) => sent.push(m),
    failed: (err) => failures.push(err),
    now: () => now,
    timers: {
      set: (fn, ms) => (timer = { fn, at: now + ms }),
      clear: () => (timer = null),
    },
  });
  const advance = (ms: number) => {
    now += ms;
    if (timer && timer.at <= now) {
      const due = timer;
      timer = null;
      due.fn();
    }
  };
  return { relay, sent, failures, advance, timerDue: () => (timer ? timer.at - now : null) };
}

/** Keystrokes of one note-taker, each as the update it produced. */
function keystrokes(text: string): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const ch of text) doc.getText('t').insert(doc.getText('t').length, ch);
  return updates;
}

/** The update a broadcast carries (a y-websocket sync update message). */
function decodeBroadcastUpdate(message: SharedMessage): Uint8Array {
  const d = decoding.createDecoder(message.payload);
  expect(decoding.readVarUint(d)).toBe(MESSAGE_TYPES.sync);
  expect(decoding.readVarUint(d)).toBe(SYNC_TYPES.update);
  return decoding.readVarUint8Array(d);
}

function textOf(messages: SharedMessage[]): string {
  const doc = new Y.Doc();
  for (const m of messages) Y.applyUpdate(doc, decodeBroadcastUpdate(m));
  return doc.getText('t').toString();
}

describe('ReaderRelay', () => {
  it('a batch after a quiet interval leaves at once, as the frame the room built', () => {
    const { relay, sent } = relayOn(50);
    const [a] = keystrokes('a');
    const framed = { payload: new Uint8Array([1]) } as unknown as SharedMessage;
    relay.committed(a!, framed);
    expect(sent).toEqual([framed]);
  });

  it('under sustained typing, readers get one merged frame per interval, with every keystroke in order', () => {
    const { relay, sent, advance, timerDue } = relayOn(50);
    const updates = keystrokes('hello world');
    relay.committed(updates[0]!);
    expect(sent).toHaveLength(1);
    for (const u of updates.slice(1, 6)) {
      advance(5);
      relay.committed(u);
    }
    // Five more batches inside the interval: one frame, due when the interval since the last frame ends.
    expect(sent).toHaveLength(1);
    expect(timerDue()).toBe(25);
    advance(25);
    expect(sent).toHaveLength(2);
    expect(textOf(sent)).toBe('hello ');
    // "world", one keystroke every 10 ms: four go at the end of that interval, the last one interval later.
    for (const u of updates.slice(6)) {
      advance(10);
      relay.committed(u);
    }
    expect(sent).toHaveLength(3);
    advance(50);
    expect(sent).toHaveLength(4);
    expect(textOf(sent)).toBe('hello world');
  });

  it('flush sends what waits now; destroy drops it and its timer', () => {
    const { relay, sent, timerDue } = relayOn(50);
    const updates = keystrokes('abc');
    relay.committed(updates[0]!);
    relay.committed(updates[1]!);
    relay.flush();
    expect(textOf(sent)).toBe('ab');
    relay.committed(updates[2]!);
    expect(timerDue()).not.toBeNull();
    relay.destroy();
    expect(timerDue()).toBeNull();
    relay.flush();
    expect(sent).toHaveLength(2);
  });

  it('an interval of 0 sends every batch at once', () => {
    const { relay, sent } = relayOn(0);
    for (const u of keystrokes('abc')) relay.committed(u);
    expect(sent).toHaveLength(3);
  });

  it('a send that throws is reported, not thrown into the commit', () => {
    const failures: unknown[] = [];
    const relay = new ReaderRelay({
      intervalMs: () => 50,
      send: () => {
        throw new Error('socket gone');
      },
      failed: (err) => failures.push(err),
      now: () => 0,
      timers: { set: () => 1, clear: () => {} },
    });
    const [a, b, c] = keystrokes('abc');
    expect(() => relay.committed(a!)).not.toThrow();
    relay.committed(b!);
    relay.committed(c!);
    expect(() => relay.flush()).not.toThrow();
    expect(failures).toHaveLength(2);
  });
});
