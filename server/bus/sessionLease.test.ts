import { describe, expect, it } from 'vitest';
import type { DocStore } from '../storage/docStore.js';
import { compactOnlyWithLease, soleLeases } from './sessionLease.js';

function recordingStore(): { store: DocStore; compacted: string[] } {
  const compacted: string[] = [];
  const store: DocStore = {
    load: () => Promise.resolve({ snapshot: null, updates: [], lastSeq: 0 }),
    checkpoints: () => Promise.resolve([]),
    append: () => Promise.resolve(new Map()),
    compact: (docId) => {
      compacted.push(docId);
      return Promise.resolve();
    },
    pendingUpdateCount: () => 7,
  };
  return { store, compacted };
}

describe('compaction under a session lease', () => {
  it('skips compactions of the sessions another process may hold, and leaves every other method alone', async () => {
    const { store, compacted } = recordingStore();
    const guarded = compactOnlyWithLease(store, { deferred: (id) => id === 'theirs' });
    await guarded.compact('mine', new Uint8Array(), 1);
    await guarded.compact('theirs', new Uint8Array(), 1);
    // Not competed for (a damaged room before its repair): compacted.
    await guarded.compact('damaged', new Uint8Array(), 1);
    expect(compacted).toEqual(['mine', 'damaged']);
    expect(guarded.pendingUpdateCount('theirs')).toBe(7);
    expect((await guarded.load('theirs')).lastSeq).toBe(0);
  });

  it('a process alone holds every lease', async () => {
    const leases = soleLeases();
    await leases.track('s');
    expect(leases.holds('s')).toBe(true);
    expect(leases.holds('never tracked')).toBe(true);
    expect(leases.deferred('s')).toBe(false);
  });
});
