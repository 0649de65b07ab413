import { describe, expect, it } from 'vitest';
import type { Room } from '../collab/room.js';
import { LocalBusHub } from './localBus.js';
import { SharedLiveCounts } from './sharedLiveCounts.js';

const roomOf = (docId: string) => ({ docId }) as Room;

/** Resolves after the hub delivered what was published before (delivery is one setImmediate away). */
const delivered = () => new Promise((r) => setImmediate(r));

describe('live counts shared between processes', () => {
  it('adds the other processes’ counts, drops a process that says zero, and forgets one that stopped repeating', async () => {
    const hub = new LocalBusHub();
    let clock = 0;
    const counts = new Map<string, { editors: number; viewers: number }>();
    const a = new SharedLiveCounts({ bus: hub.join(), local: () => ({ editors: 0, viewers: 0 }), repeatMs: 1000, now: () => clock });
    const b = new SharedLiveCounts({ bus: hub.join(), local: (id) => counts.get(id) ?? { editors: 0, viewers: 0 }, repeatMs: 1000, now: () => clock });
    const c = new SharedLiveCounts({ bus: hub.join(), local: () => ({ editors: 1, viewers: 0 }), repeatMs: 1000, now: () => clock });
    await Promise.all([a.listen(), b.listen(), c.listen()]);

    counts.set('s', { editors: 2, viewers: 5 });
    b.presenceChanged(roomOf('s'));
    c.presenceChanged(roomOf('s'));
    await delivered();
    expect(a.of('s')).toEqual({ editors: 3, viewers: 5 });

    b.unloaded(roomOf('s'));
    await delivered();
    expect(a.of('s')).toEqual({ editors: 1, viewers: 0 });

    // c dies without a word: after three repeat periods without news its counts are gone.
    clock = 3001;
    expect(a.of('s')).toEqual({ editors: 0, viewers: 0 });
    for (const x of [a, b, c]) x.close();
  });
});
