import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { CLIENT_ID_HELD } from '../../shared/closeCodes.js';
import { MESSAGE_TYPES } from '../../shared/protocol.js';
import type { AuthorCharsDto } from '../../shared/history/history.js';
import { eventuallyValue } from '../helpers/eventually.js';
import { openRaw } from '../helpers/rawSocket.js';
import { namedPeople, refusedClientId, serverHas } from '../helpers/namedPeople.js';
import { api, createEventWithSession, serverSuite, startTestServer, type TestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

/**
 * Who may write with a Yjs client id. Everyone sees everyone's client id in
 * presence, so a note-taker could write with a colleague's id before that
 * colleague types, and the colleague's own edits would then be refused
 * (4400) until a reload. An id a live connection announces in presence is
 * that connection's.
 */
describe('client ids are held by the connection that announces them', () => {
  const suite = serverSuite();

  const { person, deafTab } = namedPeople(suite);

  /** The update a paragraph written under `clientId` makes, built on a copy of `base` (what the sender holds). */
  function paragraphUnder(base: Y.Doc, clientId: number, text: string): Uint8Array {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
    copy.clientID = clientId;
    let update: Uint8Array | null = null;
    copy.on('update', (u: Uint8Array) => (update = u));
    appendParagraph(copy, text);
    copy.destroy();
    return update!;
  }

  /** The client id someone's presence shows to `viewer`: what any participant can read. */
  function presenceIdOf(viewer: YClient, name: string): Promise<number> {
    const find = () => [...viewer.provider.awareness.getStates()].find(([, s]) => (s as { user?: { name?: string } }).user?.name === name)?.[0];
    return eventuallyValue(find, (id) => id !== undefined, `${name} in presence`) as Promise<number>;
  }

  /** What a fresh reader gets: the server answers its sync only with durable state. */
  async function storedNotes(server: TestServer, sessionId: string, viewToken: string): Promise<string> {
    const reader = connectClient(server.wsUrl, sessionId, viewToken);
    suite.clients.push(reader);
    await waitForSync(reader);
    return notesText(reader.doc);
  }

  const refused = refusedClientId;

  it("refuses a write with a colleague's presence-announced client id before the colleague types (4400); the colleague writes and is credited", async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const alice = person(server, session.id, event.tokens.edit, 'Alice');
    const mallory = person(server, session.id, event.tokens.edit, 'Mallory');
    await Promise.all([waitForSync(alice), waitForSync(mallory)]);

    // Mallory reads Alice's client id from presence and writes with it before Alice has typed anything.
    const aliceId = await presenceIdOf(mallory, 'Alice');
    expect(aliceId).toBe(alice.doc.clientID);
    Y.applyUpdate(mallory.doc, paragraphUnder(mallory.doc, aliceId, 'Mallory under Alice’s id'));
    await waitFor(() => refused(mallory), 5000, 'Mallory closed with 4400');
    expect(mallory.closes.find((c) => c.code === 4400)?.reason).toBe(CLIENT_ID_HELD.reason);
    mallory.provider.disconnect();
    // Alice answers the server's ping: she keeps her socket and her id, and Mallory's one retry (what the app does) is refused too.
    const aliceConn = server.registry.get(session.id)!.awarenessOwner(aliceId)!;
    expect(await aliceConn.checkAlive(CLIENT_ID_HELD.holderAnswerMs)).toBe(true);
    expect(aliceConn.closed).toBe(false);
    mallory.provider.connect();
    await waitFor(() => mallory.closes.filter((c) => c.code === 4400).length === 2, 5000, 'Mallory refused again');
    mallory.provider.disconnect();

    // Alice types for the first time: accepted, stored, and credited to her.
    appendParagraph(alice.doc, 'Alice: her first line');
    await serverHas(server, session.id, 'Alice: her first line');
    const stored = await storedNotes(server, session.id, event.tokens.view);
    expect(stored).toContain('Alice: her first line');
    expect(stored).not.toContain('Mallory under');
    expect(refused(alice)).toBe(false);
    const authors = await api<AuthorCharsDto[]>(server.url, 'GET', `/api/sessions/${session.id}/authors`, { token: event.tokens.view });
    expect(authors.status).toBe(200);
    expect(authors.body.find((a) => a.name === 'Alice')?.clients).toContain(aliceId);
    expect(authors.body.some((a) => a.name === 'Mallory')).toBe(false);
  });

  it("accepts one person's second tab forwarding the first tab's edit (BroadcastChannel) while the first is live; both tabs go on writing", async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const tab1 = person(server, session.id, event.tokens.edit, 'Alice');
    const tab2 = person(server, session.id, event.tokens.edit, 'Alice');
    await Promise.all([waitForSync(tab1), waitForSync(tab2)]);
    // The room may still be loading after the sync (a cold answer from storage): look it up each time.
    const room = () => server.registry.get(session.id)!;
    await waitFor(() => room().awarenessOwner(tab1.doc.clientID) !== undefined && room().awarenessOwner(tab2.doc.clientID) !== undefined, 5000, 'both tabs in presence');

    // Tab 1's edit reaches tab 2 over the BroadcastChannel, and tab 2 delivers it first (its provider
    // takes it for a remote change and does not send it itself: what the race looks like to the server).
    let forwarded: Uint8Array | null = null;
    tab1.doc.once('update', (u: Uint8Array) => (forwarded = u));
    tab1.doc.transact(() => appendParagraph(tab1.doc, 'Tab one, delivered by tab two'), tab1.provider);
    Y.applyUpdate(tab2.doc, forwarded!);
    await serverHas(server, session.id, 'Tab one, delivered by tab two');

    appendParagraph(tab1.doc, 'Tab one again');
    appendParagraph(tab2.doc, 'Tab two');
    await serverHas(server, session.id, 'Tab one again');
    await serverHas(server, session.id, 'Tab two');
    expect(await storedNotes(server, session.id, event.tokens.view)).toMatch(/Tab one, delivered by tab two[\s\S]*Tab one again/);
    expect(refused(tab1) || refused(tab2)).toBe(false);
  });

  it('accepts a reloaded tab sending offline edits made under old client ids no live connection holds (written with before, or never)', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const room = () => server.registry.get(session.id)!;
    // Bob stays: the room (and what it remembers of presence) lives on across Alice's reload.
    const bob = person(server, session.id, event.tokens.edit, 'Bob');
    const wrote = person(server, session.id, event.tokens.edit, 'Alice');
    const silent = person(server, session.id, event.tokens.edit, 'Alice');
    await Promise.all([waitForSync(bob), waitForSync(wrote), waitForSync(silent)]);
    appendParagraph(wrote.doc, 'Online line');
    await serverHas(server, session.id, 'Online line');
    await waitFor(() => room().awarenessOwner(silent.doc.clientID) !== undefined, 5000, 'the silent tab in presence');

    // Both lose the network and type; their sockets are gone from the server.
    for (const t of [wrote, silent]) t.provider.disconnect();
    await waitFor(() => room().conns.size === 1, 5000, 'both sockets gone');
    appendParagraph(wrote.doc, 'Offline under an id written with before');
    appendParagraph(silent.doc, 'Offline under an id never written with');

    // The reloaded page: a fresh Y.Doc (a new client id) fed what y-indexeddb kept of both.
    const kept = new Y.Doc();
    Y.applyUpdate(kept, Y.encodeStateAsUpdate(wrote.doc));
    Y.applyUpdate(kept, Y.encodeStateAsUpdate(silent.doc));
    expect(kept.clientID).not.toBe(wrote.doc.clientID);
    const reloaded = person(server, session.id, event.tokens.edit, 'Alice', kept);
    await serverHas(server, session.id, 'Offline under an id never written with');
    const stored = await storedNotes(server, session.id, event.tokens.view);
    expect(stored).toContain('Offline under an id written with before');
    expect(stored).toContain('Offline under an id never written with');
    expect(refused(reloaded)).toBe(false);
  });

  it('a reconnect racing its own old socket, dropped silently by the network: refused (4400) until the server drops the old socket, which does not answer; the retry goes through, nothing lost', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const room = () => server.registry.get(session.id)!;
    const bob = person(server, session.id, event.tokens.edit, 'Bob');
    // The old socket: open on the server, but its network is gone, so it never answers a ping.
    const { doc: tab } = await deafTab(server, session.id, event.tokens.edit, 'Alice');
    await waitForSync(bob);
    appendParagraph(tab, 'Typed before the network went');
    await serverHas(server, session.id, 'Typed before the network went');
    await waitFor(() => room().awarenessOwner(tab.clientID) !== undefined, 5000, 'Alice in presence');

    // The page types on and reconnects on a new socket with the same Y.Doc (same client id).
    const page = new Y.Doc();
    Y.applyUpdate(page, Y.encodeStateAsUpdate(tab));
    // Set after taking in the old state: Yjs gives a document a new client id when an update brings its own.
    page.clientID = tab.clientID;
    appendParagraph(page, 'Typed while the old socket lingered');
    const again = person(server, session.id, event.tokens.edit, 'Alice', page);
    await waitFor(() => refused(again), 5000, 'the new socket refused with 4400');
    expect(again.closes.find((c) => c.code === 4400)?.reason).toBe(CLIENT_ID_HELD.reason);
    // The app waits CLIENT_ID_HELD.retryAfterMs before its one retry; the stock client would retry at once.
    again.provider.disconnect();
    expect(notesText(room().doc)).not.toContain('Typed while');

    // The old socket did not answer the server's ping: dropped. The retry goes through.
    await waitFor(() => room().conns.size === 1, CLIENT_ID_HELD.holderAnswerMs + 5000, 'the old socket dropped');
    again.provider.connect();
    await serverHas(server, session.id, 'Typed while the old socket lingered');
    const stored = await storedNotes(server, session.id, event.tokens.view);
    expect(stored.split('Typed while the old socket lingered').length - 1).toBe(1);
    expect(stored).toContain('Typed before the network went');
    expect(again.closes.filter((c) => c.code === 4400)).toHaveLength(1);
  });

  it('a presence claim does not beat the name an id is bound to: Mallory claiming Alice\'s written-with id first, after the room reloaded, does not lock Alice out', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const alice = person(server, session.id, event.tokens.edit, 'Alice');
    await waitForSync(alice);
    appendParagraph(alice.doc, 'Alice before the room reloads');
    await serverHas(server, session.id, 'Alice before the room reloads');
    const aliceId = alice.doc.clientID;

    // Everyone leaves: the room unloads, and with it what it remembered of presence.
    alice.provider.disconnect();
    await waitFor(() => server.registry.get(session.id) === undefined, 5000, 'the room unloaded');
    // Mallory comes first and claims Alice's id (seen in presence earlier) for her own presence.
    const claim = new Awareness(new Y.Doc());
    claim.clientID = aliceId;
    claim.setLocalState({ user: { name: 'Mallory', color: '#cf222e' } });
    const mallory = await openRaw(`${server.wsUrl}/${session.id}?token=${event.tokens.edit}`);
    const frame = encoding.createEncoder();
    encoding.writeVarUint(frame, MESSAGE_TYPES.awareness);
    encoding.writeVarUint8Array(frame, encodeAwarenessUpdate(claim, [aliceId]));
    mallory.ws.send(encoding.toUint8Array(frame));
    claim.destroy();
    await waitFor(() => server.registry.get(session.id)?.awarenessOwner(aliceId) !== undefined, 5000, 'Mallory holds the presence id');

    // Alice comes back with the same tab (same client id): the server will not take her presence, yet she writes.
    alice.provider.connect();
    await waitForSync(alice);
    appendParagraph(alice.doc, 'Alice after the reload');
    await serverHas(server, session.id, 'Alice after the reload');
    expect(refused(alice)).toBe(false);
    mallory.ws.close();
  });

  it("a reader's announced client id is taken by nobody; the reader itself never writes and is never refused", async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const alice = person(server, session.id, event.tokens.edit, 'Alice');
    const reader = person(server, session.id, event.tokens.view, 'Rita (reading)');
    const mallory = person(server, session.id, event.tokens.edit, 'Mallory');
    await Promise.all([waitForSync(alice), waitForSync(reader), waitForSync(mallory)]);

    const ritaId = await presenceIdOf(mallory, 'Rita (reading)');
    Y.applyUpdate(mallory.doc, paragraphUnder(mallory.doc, ritaId, 'Mallory under Rita’s id'));
    await waitFor(() => refused(mallory), 5000, 'Mallory closed with 4400');
    mallory.provider.disconnect();

    appendParagraph(alice.doc, 'Alice writes on');
    await waitFor(() => notesText(reader.doc).includes('Alice writes on'), 5000, 'the reader sees Alice');
    expect(notesText(reader.doc)).not.toContain('Mallory under');
    expect(reader.closes).toEqual([]);
    expect(refused(alice)).toBe(false);
  });
});
