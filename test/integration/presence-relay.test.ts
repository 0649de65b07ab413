import { describe, expect, it } from 'vitest';
import { AWARENESS_RELAY_MS } from '../../server/collab/room.js';
import { createEventWithSession, startTestServer, serverSuite } from '../helpers/testServer.js';
import { connectClient, waitFor, waitForSync } from '../helpers/yClient.js';

describe('presence relay', () => {
  const suite = serverSuite();

  it('relays a burst of caret moves to peers merged, at most once per window, ending with the latest state', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const ana = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const ben = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(ana, ben);
    await Promise.all([waitForSync(ana), waitForSync(ben)]);
    const anaId = ana.doc.clientID;
    ana.provider.awareness.setLocalStateField('user', { name: 'Ana', color: '#d23f31', step: -1 });
    await waitFor(() => (ben.provider.awareness.getStates().get(anaId) as { user?: { step?: number } } | undefined)?.user?.step === -1, 5000, 'first state');

    // Every frame Ben receives that carries Ana's presence.
    const arrivals: number[] = [];
    ben.provider.awareness.on('update', ({ added, updated }: { added: number[]; updated: number[] }) => {
      if (added.includes(anaId) || updated.includes(anaId)) arrivals.push(Date.now());
    });
    const steps = 40;
    const started = Date.now();
    for (let step = 0; step < steps; step++) {
      ana.provider.awareness.setLocalStateField('user', { name: 'Ana', color: '#d23f31', step });
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => (ben.provider.awareness.getStates().get(anaId) as { user?: { step?: number } } | undefined)?.user?.step === steps - 1, 5000, 'latest state');
    const span = arrivals.at(-1)! - started;
    // Frames are at least one window apart, so however slow the machine, no more than span / window + 1 arrive.
    // (Relayed one by one, the 40 moves would arrive as up to 40 frames.)
    expect(arrivals.length).toBeLessThanOrEqual(Math.floor(span / (AWARENESS_RELAY_MS * 0.9)) + 1);
    expect(arrivals.length).toBeLessThan(steps);
  });
});
