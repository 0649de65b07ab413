import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { HistoryListDto } from '../../shared/history/history.js';
import { eventually } from '../helpers/eventually.js';
import { openRaw, type RawSocket } from '../helpers/rawSocket.js';
import { namedPeople, presenceFrame, refusedClientId, serverHas } from '../helpers/namedPeople.js';
import { api, createEventWithSession, serverSuite, startTestServer, type TestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

/**
 * A stock y-websocket client keeps its Yjs client id across reconnects, and
 * the room remembers every presence id it saw. A note-taker whose connection
 * dropped (conference Wi-Fi) must be shown again when they come back, and
 * their later edits credited to their name, while the room stays loaded;
 * nobody may take their id meanwhile.
 */
describe('presence after a reconnect', () => {
  const suite = serverSuite();

  const { person, deafTab } = namedPeople(suite);

  /** The name `viewer` sees for a client id in presence, or undefined when it sees none. */
  const nameSeen = (viewer: YClient, clientId: number) => (viewer.provider.awareness.getStates().get(clientId) as { user?: { name?: string } } | undefined)?.user?.name;

  /** Everyone the history names, once it names `name`. */
  async function historyAuthors(server: TestServer, sessionId: string, token: string, name: string): Promise<string[]> {
    let names: string[] = [];
    await eventually(async () => {
      const res = await api<HistoryListDto>(server.url, 'GET', `/api/sessions/${sessionId}/history`, { token });
      names = res.status === 200 ? res.body.versions.flatMap((v) => v.authors) : [];
      return names.includes(name);
    }, 5000, `history to name ${name}`);
    return names;
  }

  /** Mallory, on a bare socket, shows `name` under `clientId`, then under an id of her own, which `viewer` seeing is the round-trip barrier. */
  async function malloryClaims(server: TestServer, sessionId: string, token: string, viewer: YClient, clientId: number, name: string): Promise<RawSocket> {
    const mallory = await openRaw(`${server.wsUrl}/${sessionId}?token=${token}`);
    const own = 4_000_000_000 - Math.floor(Math.random() * 1000);
    mallory.ws.send(presenceFrame(clientId, name));
    mallory.ws.send(presenceFrame(own, 'Mallory'));
    await waitFor(() => nameSeen(viewer, own) === 'Mallory', 5000, 'Mallory’s own presence relayed');
    return mallory;
  }

  const refused = refusedClientId;

  for (const how of ['provider.disconnect() and connect()', 'the socket drops and the provider reconnects by itself'] as const) {
    it(`shows a note-taker again after ${how} (same client id), and credits her next edit to her name`, async () => {
      const server = (suite.server = await startTestServer());
      const { event, session } = await createEventWithSession(server.url);
      const room = () => server.registry.get(session.id)!;
      const bob = person(server, session.id, event.tokens.edit, 'Bob');
      const alice = person(server, session.id, event.tokens.edit, 'Alice');
      await Promise.all([waitForSync(bob), waitForSync(alice)]);
      const aliceId = alice.doc.clientID;
      await waitFor(() => nameSeen(bob, aliceId) === 'Alice', 5000, 'Bob sees Alice');
      appendParagraph(alice.doc, 'Alice before the drop');
      await serverHas(server, session.id, 'Alice before the drop');
      const first = room().awarenessOwner(aliceId)!;

      if (how === 'provider.disconnect() and connect()') {
        alice.provider.disconnect();
        await waitFor(() => room().conns.size === 1 && nameSeen(bob, aliceId) === undefined, 5000, 'Alice gone for Bob');
        alice.provider.connect();
      } else {
        // No goodbye from the client: its socket just closes (the server removes its presence), and y-websocket reconnects.
        alice.provider.ws!.close();
      }
      await waitFor(() => first.closed && !room().conns.has(first), 5000, 'the first connection gone');
      await waitFor(() => alice.provider.wsconnected && alice.provider.synced, 5000, 'Alice back');
      expect(alice.doc.clientID).toBe(aliceId);

      await waitFor(() => nameSeen(bob, aliceId) === 'Alice' && room().awarenessOwner(aliceId) !== undefined, 5000, 'Bob sees Alice again');
      expect(room().awarenessOwner(aliceId)).not.toBe(first);
      appendParagraph(alice.doc, 'Alice after the reconnect');
      await serverHas(server, session.id, 'Alice after the reconnect');
      expect(refused(alice)).toBe(false);
      const names = await historyAuthors(server, session.id, event.tokens.view, 'Alice');
      expect(names).not.toContain('anonymous');
    });
  }

  it('a reader’s private presence is taken back after a reconnect too, and stays private', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const room = () => server.registry.get(session.id)!;
    const bob = person(server, session.id, event.tokens.edit, 'Bob');
    const reader = connectClient(server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    // What the app sets for a reader who gave no name (the projector): private presence.
    reader.provider.awareness.setLocalStateField('user', { name: '', color: '#57606a' });
    await Promise.all([waitForSync(bob), waitForSync(reader)]);
    const readerId = reader.doc.clientID;
    await waitFor(() => room().readerAwareness.states.has(readerId), 5000, 'the reader’s presence taken');
    const first = room().awarenessOwner(readerId)!;

    reader.provider.ws!.close();
    await waitFor(() => first.closed && !room().conns.has(first), 5000, 'the first connection gone');
    await waitFor(() => {
      const owner = room().awarenessOwner(readerId);
      return owner !== undefined && owner !== first && room().readerAwareness.states.has(readerId);
    }, 5000, 'the reader’s presence taken back from its new connection');
    expect(room().awareness.states.has(readerId)).toBe(false);
    expect(nameSeen(bob, readerId)).toBeUndefined();
    expect(bob.provider.awareness.getStates().has(readerId)).toBe(false);
  });

  it('Mallory cannot take a live note-taker’s id in presence, under her own name or under Alice’s', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const room = () => server.registry.get(session.id)!;
    const bob = person(server, session.id, event.tokens.edit, 'Bob');
    const alice = person(server, session.id, event.tokens.edit, 'Alice');
    await Promise.all([waitForSync(bob), waitForSync(alice)]);
    const aliceId = alice.doc.clientID;
    await waitFor(() => nameSeen(bob, aliceId) === 'Alice', 5000, 'Bob sees Alice');
    const aliceConn = room().awarenessOwner(aliceId);

    for (const name of ['Mallory', 'Alice']) {
      const mallory = await malloryClaims(server, session.id, event.tokens.edit, bob, aliceId, name);
      expect(room().awarenessOwner(aliceId)).toBe(aliceConn);
      expect(nameSeen(bob, aliceId)).toBe('Alice');
      mallory.ws.close();
    }
    appendParagraph(alice.doc, 'Alice writes on');
    await serverHas(server, session.id, 'Alice writes on');
    expect(refused(alice)).toBe(false);
  });

  it('Mallory claiming Alice’s bound id while Alice is away is refused: Alice comes back shown, writes, and is credited', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const room = () => server.registry.get(session.id)!;
    const bob = person(server, session.id, event.tokens.edit, 'Bob');
    const alice = person(server, session.id, event.tokens.edit, 'Alice');
    await Promise.all([waitForSync(bob), waitForSync(alice)]);
    const aliceId = alice.doc.clientID;
    appendParagraph(alice.doc, 'Alice binds her id');
    await serverHas(server, session.id, 'Alice binds her id');

    alice.provider.disconnect();
    await waitFor(() => room().conns.size === 1, 5000, 'Alice gone');
    // Bob stays, so the room (and what it remembers of presence) stays loaded.
    const mallory = await malloryClaims(server, session.id, event.tokens.edit, bob, aliceId, 'Mallory');
    expect(room().awarenessOwner(aliceId)).toBeUndefined();
    expect(nameSeen(bob, aliceId)).toBeUndefined();
    // Nor does Alice's last state, relayed late by a peer (what a stock client does with every state it hears), give her id to that peer.
    mallory.ws.send(presenceFrame(aliceId, 'Alice'));
    const tab2 = 4_100_000_000;
    mallory.ws.send(presenceFrame(tab2, 'Mallory (tab 2)'));
    await waitFor(() => nameSeen(bob, tab2) === 'Mallory (tab 2)', 5000, 'Mallory’s second id relayed');
    expect(room().awarenessOwner(aliceId)).toBeUndefined();

    alice.provider.connect();
    await waitForSync(alice);
    await waitFor(() => nameSeen(bob, aliceId) === 'Alice', 5000, 'Bob sees Alice again');
    appendParagraph(alice.doc, 'Alice is back');
    await serverHas(server, session.id, 'Alice is back');
    expect(refused(alice)).toBe(false);
    expect(await historyAuthors(server, session.id, event.tokens.view, 'Alice')).not.toContain('anonymous');
    mallory.ws.close();
  });

  it('a reconnect racing its own old socket (left open by a silent network drop) is shown as soon as the old socket is gone', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const room = () => server.registry.get(session.id)!;
    const bob = person(server, session.id, event.tokens.edit, 'Bob');
    // The old socket: open on the server, but its network is gone, so it never answers a ping.
    const { doc: tab, provider: old } = await deafTab(server, session.id, event.tokens.edit, 'Alice');
    await waitForSync(bob);
    const aliceId = tab.clientID;
    await waitFor(() => nameSeen(bob, aliceId) === 'Alice', 5000, 'Bob sees Alice');
    const oldConn = room().awarenessOwner(aliceId)!;

    // The page reconnects on a new socket with the same client id while the server still holds the old one.
    const page = new Y.Doc();
    page.clientID = aliceId;
    const again = person(server, session.id, event.tokens.edit, 'Alice', page);
    // It announced itself before answering the server's sync: once that answer is in, the announcement was refused.
    await waitFor(() => [...room().conns].some((c) => c !== oldConn && c.awarenessIds.size === 0 && c.docMessagesReceived > 0), 5000, 'the new socket synced');
    expect(room().awarenessOwner(aliceId)).toBe(oldConn);

    // The old socket does not answer the server's ping: dropped, and the new connection is shown at once.
    expect(await oldConn.checkAlive(1000)).toBe(false);
    await waitFor(() => !room().conns.has(oldConn), 5000, 'the old socket gone');
    await waitFor(() => room().awarenessOwner(aliceId) !== undefined && room().awarenessOwner(aliceId) !== oldConn, 5000, 'the new connection shows Alice');
    await waitFor(() => nameSeen(bob, aliceId) === 'Alice', 5000, 'Bob sees Alice');
    appendParagraph(again.doc, 'Alice on the new socket');
    await serverHas(server, session.id, 'Alice on the new socket');
    expect(refused(again)).toBe(false);
    old.destroy();
  });
});
