import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import { sweepOutdated, withoutOwnTimer } from './awarenessSweep.js';

/** A remote client's presence, as it arrives over the wire. */
function remoteState(clientDoc: Y.Doc, state: Record<string, unknown>): Uint8Array {
  const remote = new awarenessProtocol.Awareness(clientDoc);
  remote.setLocalState(state);
  const update = awarenessProtocol.encodeAwarenessUpdate(remote, [clientDoc.clientID]);
  remote.destroy();
  return update;
}

describe('the shared presence sweep', () => {
  it('drops remote presence not renewed for 30 s and keeps the rest, as y-protocols’ own timer did', () => {
    const server = withoutOwnTimer(new awarenessProtocol.Awareness(new Y.Doc()));
    server.setLocalState(null);
    const stale = new Y.Doc();
    const fresh = new Y.Doc();
    awarenessProtocol.applyAwarenessUpdate(server, remoteState(stale, { user: { name: 'left long ago' } }), 'conn');
    awarenessProtocol.applyAwarenessUpdate(server, remoteState(fresh, { user: { name: 'still here' } }), 'conn');
    const removed: number[] = [];
    server.on('update', ({ removed: r }: { removed: number[] }) => removed.push(...r));
    const t0 = server.meta.get(fresh.clientID)!.lastUpdated;
    // The stale client last renewed 31 s before "now", the fresh one 1 s before.
    server.meta.get(stale.clientID)!.lastUpdated = t0 - 30_000;
    sweepOutdated(server, t0 + 1000);
    expect(removed).toEqual([stale.clientID]);
    expect([...server.getStates().keys()]).toEqual([fresh.clientID]);
    sweepOutdated(server, t0 + 29_000);
    expect([...server.getStates().keys()]).toEqual([fresh.clientID]);
    sweepOutdated(server, t0 + 30_000);
    expect(server.getStates().size).toBe(0);
    server.destroy();
  });
});
