import { describe, expect, it } from 'vitest';
import { createEventWithSession, serverSuite, startTestServer } from '../helpers/testServer.js';
import { connectClient, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

const names = (c: YClient) =>
  [...c.provider.awareness.getStates().values()].map((s) => (s as { user?: { name?: string } }).user?.name).filter((n): n is string => Boolean(n));

describe('readers in "Here now"', () => {
  const suite = serverSuite();

  it('a nameless reader stays private (only counted); a reader who gives a name is relayed like a note-taker, and removed when it leaves', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const ana = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const projector = connectClient(suite.server.wsUrl, session.id, event.tokens.view, { params: { readonly: '1' } });
    const rita = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(ana, projector, rita);
    await Promise.all([waitForSync(ana), waitForSync(projector), waitForSync(rita)]);
    ana.provider.awareness.setLocalStateField('user', { name: 'Ana', role: 'edit' });
    projector.provider.awareness.setLocalStateField('user', { name: '', role: 'view' });
    // Synced may come from storage before the room has loaded (cold answer): wait for the room itself.
    await waitFor(() => suite.server!.registry.get(session.id) !== undefined, 5000, 'the room loaded');
    const room = suite.server.registry.get(session.id)!;
    await waitFor(() => (room.readerAwareness.getStates().get(projector.doc.clientID) as { user?: unknown } | undefined)?.user !== undefined, 5000, 'projector presence received');
    // The projector's presence is in before Rita's: if it were relayed, Ana would have it by the time she has Rita's.
    rita.provider.awareness.setLocalStateField('user', { name: 'Rita', role: 'view' });
    await waitFor(() => names(ana).includes('Rita'), 5000, 'Rita relayed to Ana');
    expect(ana.provider.awareness.getStates().has(projector.doc.clientID)).toBe(false);
    expect(names(projector)).toEqual(expect.arrayContaining(['Ana', 'Rita']));
    expect(room.liveCounts()).toEqual({ editors: 1, viewers: 2 });

    rita.destroy();
    await waitFor(() => !names(ana).includes('Rita'), 5000, 'Rita gone from Ana’s presence');
  });
});
