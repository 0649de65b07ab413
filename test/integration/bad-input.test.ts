import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { LIMITS } from '../../shared/limits.js';
import { api, createEventWithSession, startTestServer, type Fixture, type TestServer } from '../helpers/testServer.js';
import { openRaw, upgradeStatus } from '../helpers/rawSocket.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';
import { YJS_HOSTILE_UPDATES } from '../fixtures/yjsHostileUpdates.js';

function syncUpdateFrame(update: Uint8Array, subType = 2): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, subType);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

function awarenessFrame(entries: { id: number; clock: number; state: unknown }[]): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const en of entries) {
    encoding.writeVarUint(inner, en.id);
    encoding.writeVarUint(inner, en.clock);
    encoding.writeVarString(inner, JSON.stringify(en.state));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}

describe('bad input closes only the offending connection; nothing is stored', () => {
  let server: TestServer;
  let fx: Fixture;
  let bystander: YClient;
  let storedBefore: number;

  const storedCount = () =>
    (server.db.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc_id = ?').get(fx.session.id) as { n: number }).n;

  async function freshServer() {
    server = await startTestServer();
    fx = await createEventWithSession(server.url);
    bystander = connectClient(server.wsUrl, fx.session.id, fx.event.tokens.edit);
    await waitForSync(bystander);
    appendParagraph(bystander.doc, 'bystander text');
    await waitFor(() => storedCount() >= 2, 5000, 'bystander stored');
    storedBefore = storedCount();
  }

  async function expectBystanderUnaffected() {
    appendParagraph(bystander.doc, 'still working');
    const check = connectClient(server.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(check);
    await waitFor(() => notesText(check.doc).includes('still working'), 5000, 'bystander still syncs');
    check.destroy();
    expect(bystander.closes).toEqual([]);
  }

  afterEach(async () => {
    bystander?.destroy();
    await server?.close();
  });

  const rawUrl = () => `${server.wsUrl}/${fx.session.id}?token=${fx.event.tokens.edit}`;

  it('a text frame closes with 4400', async () => {
    await freshServer();
    const raw = await openRaw(rawUrl());
    raw.ws.send('hello');
    expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage);
    expect(storedCount()).toBe(storedBefore);
    await expectBystanderUnaffected();
  });

  it('an unknown message type, an empty frame and a truncated sync message close with 4400', async () => {
    await freshServer();
    for (const frame of [new Uint8Array([42]), new Uint8Array([]), new Uint8Array([0, 2, 50, 1, 2]), new Uint8Array([0, 7, 0]), new Uint8Array([0])]) {
      const raw = await openRaw(rawUrl());
      raw.ws.send(frame);
      expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage);
    }
    expect(storedCount()).toBe(storedBefore);
    await expectBystanderUnaffected();
  });

  it.each(Object.entries(YJS_HOSTILE_UPDATES))('hostile Yjs update "%s" closes with 4400 in bounded time', async (_name, bytes) => {
    await freshServer();
    for (const subType of [1, 2]) {
      const raw = await openRaw(rawUrl());
      raw.ws.send(syncUpdateFrame(new Uint8Array(bytes), subType));
      expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage);
    }
    expect(storedCount()).toBe(storedBefore);
    await expectBystanderUnaffected();
  });

  it('a truncated real update and an update with a clock gap close with 4400', async () => {
    await freshServer();
    const doc = new Y.Doc();
    appendParagraph(doc, 'a'.repeat(100));
    const full = Y.encodeStateAsUpdate(doc);
    const raw = await openRaw(rawUrl());
    raw.ws.send(syncUpdateFrame(full.slice(0, full.length - 20)));
    expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage);

    // An update that starts at clock 5 of a client the server has never seen.
    const later = new Y.Doc();
    later.clientID = 777;
    const before = Y.encodeStateVector(later);
    appendParagraph(later, 'x');
    appendParagraph(later, 'y');
    const sv = Y.decodeStateVector(before);
    sv.set(777, 3);
    const gap = Y.encodeStateAsUpdate(later, Y.encodeStateVector(new Y.Doc()));
    void gap;
    const diff = Y.diffUpdate(Y.encodeStateAsUpdate(later), encodeSv(sv));
    const raw2 = await openRaw(rawUrl());
    raw2.ws.send(syncUpdateFrame(diff));
    expect((await raw2.closed).code).toBe(CLOSE_CODES.badMessage);
    expect(storedCount()).toBe(storedBefore);
    await expectBystanderUnaffected();
  });

  it('a frame over the size limit is closed by the server (1009)', async () => {
    await freshServer();
    const raw = await openRaw(rawUrl());
    raw.ws.send(new Uint8Array(LIMITS.maxFrameBytes + 1));
    expect((await raw.closed).code).toBe(CLOSE_CODES.messageTooBig);
    expect(storedCount()).toBe(storedBefore);
    await expectBystanderUnaffected();
  });

  it('a flood of awareness client ids closes with 4413; so does an oversized awareness state', async () => {
    await freshServer();
    const raw = await openRaw(rawUrl());
    raw.ws.send(awarenessFrame(Array.from({ length: 50 }, (_, i) => ({ id: 1000 + i, clock: 1, state: { user: { name: `bot${i}` } } }))));
    expect((await raw.closed).code).toBe(CLOSE_CODES.awarenessRejected);
    const raw2 = await openRaw(rawUrl());
    raw2.ws.send(awarenessFrame([{ id: 5, clock: 1, state: { user: { name: 'x'.repeat(LIMITS.maxAwarenessStateBytes) } } }]));
    expect((await raw2.closed).code).toBe(CLOSE_CODES.awarenessRejected);
    await expectBystanderUnaffected();
  });

  it('a connection may not speak for another connection’s awareness id (relayed entries are dropped)', async () => {
    await freshServer();
    const victimId = bystander.doc.clientID;
    bystander.provider.awareness.setLocalStateField('user', { name: 'Real' });
    const watcher = connectClient(server.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(watcher);
    await waitFor(() => (watcher.provider.awareness.getStates().get(victimId) as { user?: { name?: string } } | undefined)?.user?.name === 'Real', 5000, 'real presence');
    const raw = await openRaw(rawUrl());
    raw.ws.send(awarenessFrame([{ id: victimId, clock: 99, state: { user: { name: 'Impostor' } } }]));
    raw.ws.send(awarenessFrame([{ id: 4242, clock: 1, state: { user: { name: 'Honest raw client' } } }]));
    await waitFor(() => watcher.provider.awareness.getStates().has(4242), 5000, 'raw client presence');
    const victim = watcher.provider.awareness.getStates().get(victimId) as { user: { name: string } };
    expect(victim.user.name).toBe('Real');
    watcher.destroy();
    raw.ws.close();
    await expectBystanderUnaffected();
  });

  it('invalid ids get 400 before any lookup; unknown ids 404', async () => {
    await freshServer();
    expect(await upgradeStatus(`${server.wsUrl}/..%2F..%2Fetc%2Fpasswd?token=x`)).toBe(400);
    expect(await upgradeStatus(`${server.wsUrl}/short?token=x`)).toBe(400);
    expect((await api(server.url, 'GET', '/api/sessions/not-an-id!', { token: fx.event.tokens.view })).status).toBe(400);
    expect((await api(server.url, 'GET', '/api/sessions/aaaaaaaaaaaaaaaa', { token: fx.event.tokens.view })).status).toBe(404);
    expect((await api(server.url, 'GET', '/api/events/..%2Fx', { token: fx.event.tokens.view })).status).toBe(400);
    expect((await api(server.url, 'GET', '/api/events/no-such-event', { token: fx.event.tokens.view })).status).toBe(404);
  });
});

function encodeSv(sv: Map<number, number>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, sv.size);
  for (const [client, clock] of sv) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
  }
  return encoding.toUint8Array(e);
}
