import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { computeStatus, initialSaveState, isDocMessage, shownStatus } from './savedStatus.js';

const msg = (...parts: number[]) => {
  const e = encoding.createEncoder();
  for (const p of parts) encoding.writeVarUint(e, p);
  return encoding.toUint8Array(e);
};

describe('saved status', () => {
  it('counts only SyncStep2 and Update as document messages', () => {
    expect(isDocMessage(msg(0, 1, 0))).toBe(true);
    expect(isDocMessage(msg(0, 2, 0))).toBe(true);
    expect(isDocMessage(msg(0, 0, 0))).toBe(false);
    expect(isDocMessage(msg(1, 0))).toBe(false);
    expect(isDocMessage(new Uint8Array())).toBe(false);
  });

  it('is "saved" only when connected, synced and every sent message is acknowledged', () => {
    const live = { ...initialSaveState, connected: true, synced: true, everConnected: true };
    expect(computeStatus({ ...live, sent: 3, acked: 3 })).toBe('saved');
    expect(computeStatus({ ...live, sent: 3, acked: 2 })).toBe('saving');
    expect(computeStatus({ ...live, sent: 3, acked: 3, unsentLocalEdits: true })).toBe('saving');
    expect(computeStatus({ ...live, synced: false })).toBe('syncing');
  });

  it('never claims saved or online while disconnected', () => {
    expect(computeStatus({ ...initialSaveState, everConnected: true, sent: 1, acked: 1 })).toBe('offline');
    expect(computeStatus({ ...initialSaveState, unsentLocalEdits: true })).toBe('offline');
    expect(computeStatus(initialSaveState)).toBe('connecting');
  });

  it('shows read-only, locked and fatal states', () => {
    const live = { ...initialSaveState, connected: true, synced: true, everConnected: true };
    expect(computeStatus({ ...live, canWrite: false })).toBe('readonly');
    expect(computeStatus({ ...live, locked: true })).toBe('locked');
    expect(computeStatus({ ...initialSaveState, fatalCode: 4409 })).toBe('revoked');
    expect(computeStatus({ ...initialSaveState, fatalCode: 4426 })).toBe('reload');
  });
});

describe('saved status: connection trouble says why', () => {
  const live = { ...initialSaveState, connected: true, synced: true, everConnected: true };

  it('is offline at once when the browser says so or the server did not answer a probe, even if the socket looks open', () => {
    expect(computeStatus({ ...live, sent: 2, acked: 1, browserOffline: true })).toBe('offline');
    expect(computeStatus({ ...live, sent: 2, acked: 1, unresponsive: true })).toBe('offline');
  });

  it('says "still saving" (slow), not a bare "saving", when confirmation is late but the server answers', () => {
    expect(computeStatus({ ...live, sent: 2, acked: 1, slow: true })).toBe('slow');
  });

  it('shows a graceful restart (1012) as reconnecting, not offline', () => {
    expect(computeStatus({ ...initialSaveState, everConnected: true, restarting: true })).toBe('reconnecting');
    expect(computeStatus({ ...initialSaveState, everConnected: true, restarting: true, browserOffline: true })).toBe('offline');
  });

  it('a damaged document (4422) is its own read-only state, before any connection state; 4400 is a refusal', () => {
    expect(computeStatus({ ...live, damaged: true })).toBe('damaged');
    expect(computeStatus({ ...initialSaveState, damaged: true, fatalCode: 4422 })).toBe('damaged');
    expect(computeStatus({ ...initialSaveState, fatalCode: 4400 })).toBe('refused');
  });
});

describe('shown status', () => {
  it('holds "Saving…" until typing has paused, then shows "Saved"', () => {
    expect(shownStatus('saving', 'saved', 100, 700)).toEqual({ status: 'saving', recheckInMs: 600 });
    expect(shownStatus('slow', 'saved', 0, 700)).toEqual({ status: 'slow', recheckInMs: 700 });
    expect(shownStatus('saving', 'saved', 700, 700)).toEqual({ status: 'saved', recheckInMs: null });
  });

  it('shows every other change at once, bad news first', () => {
    expect(shownStatus('saved', 'saving', 0, 700)).toEqual({ status: 'saving', recheckInMs: null });
    expect(shownStatus('saving', 'offline', 0, 700)).toEqual({ status: 'offline', recheckInMs: null });
    expect(shownStatus('saving', 'revoked', 0, 700)).toEqual({ status: 'revoked', recheckInMs: null });
    // Saved after connecting or syncing needs no pause: nothing was typed.
    expect(shownStatus('syncing', 'saved', 0, 700)).toEqual({ status: 'saved', recheckInMs: null });
  });
});
