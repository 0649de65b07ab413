import { describe, expect, it } from 'vitest';
import { LivenessWatch, type Timers } from './livenessWatch.js';

/** A manual clock: timers fire only when the test advances time. */
function fakeTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = next++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = until;
  };
  return { timers, advance, pendingCount: () => pending.size };
}

function setup() {
  const clock = fakeTimers();
  const log: string[] = [];
  const watch = new LivenessWatch({
    probeAfterMs: 1000,
    answerWithinMs: 1500,
    sendProbe: () => log.push('probe'),
    onUnresponsive: () => log.push('dead'),
    timers: clock.timers,
  });
  return { clock, log, watch };
}

describe('liveness watch', () => {
  it('sends nothing while nothing waits for the server', () => {
    const { clock, log } = setup();
    clock.advance(60_000);
    expect(log).toEqual([]);
    expect(clock.pendingCount()).toBe(0);
  });

  it('an edit confirmed in time needs no probe', () => {
    const { clock, log, watch } = setup();
    watch.expectAnswer();
    clock.advance(400);
    watch.received();
    watch.settled();
    clock.advance(60_000);
    expect(log).toEqual([]);
  });

  it('a server that stops answering is declared dead within probe + answer time (2.5 s here)', () => {
    const { clock, log, watch } = setup();
    watch.expectAnswer();
    clock.advance(999);
    expect(log).toEqual([]);
    clock.advance(1);
    expect(log).toEqual(['probe']);
    clock.advance(1499);
    expect(log).toEqual(['probe']);
    clock.advance(1);
    expect(log).toEqual(['probe', 'dead']);
    // Declared once, then quiet until asked again.
    clock.advance(60_000);
    expect(log).toEqual(['probe', 'dead']);
  });

  it('an answer to the probe keeps the connection alive, and the watch keeps probing while the edit is unconfirmed', () => {
    const { clock, log, watch } = setup();
    watch.expectAnswer();
    clock.advance(1000);
    clock.advance(200);
    watch.received();
    clock.advance(1000);
    expect(log).toEqual(['probe', 'probe']);
    watch.received();
    watch.settled();
    clock.advance(60_000);
    expect(log).toEqual(['probe', 'probe']);
  });

  it('traffic from the server postpones the probe', () => {
    const { clock, log, watch } = setup();
    watch.expectAnswer();
    for (let i = 0; i < 10; i++) {
      clock.advance(900);
      watch.received();
    }
    expect(log).toEqual([]);
  });

  it('probeNow asks at once and does not send a second probe while one is unanswered', () => {
    const { clock, log, watch } = setup();
    watch.probeNow();
    watch.probeNow();
    expect(log).toEqual(['probe']);
    clock.advance(1500);
    expect(log).toEqual(['probe', 'dead']);
  });

  it('stop forgets a pending probe and answer', () => {
    const { clock, log, watch } = setup();
    watch.probeNow();
    watch.stop();
    clock.advance(60_000);
    expect(log).toEqual(['probe']);
  });
});
