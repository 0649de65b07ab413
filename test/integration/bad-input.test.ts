import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { LIMITS } from '../../shared/limits.js';
import { api, createEventWithSession, startTestServer, type Fixture, type TestServer } from '../helpers/testServer.js';
import { openRaw, upgradeStatus } from '../helpers/rawSocket.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';
import net from 'node:net';
import { deeplyNestedUpdate, YJS_HOSTILE_UPDATES } from '../fixtures/yjsHostileUpdates.js';

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

  /** The sequence number of the newest stored update of the session: it moves with every write, and only then. */
  const storedCount = async () => (await server.storage.docs.load(fx.session.id)).lastSeq;

  async function freshServer() {
    server = await startTestServer();
    fx = await createEventWithSession(server.url);
    bystander = connectClient(server.wsUrl, fx.session.id, fx.event.tokens.edit);
    await waitForSync(bystander);
    appendParagraph(bystander.doc, 'bystander text');
    await expect.poll(async () => (await server.storage.docs.load(fx.session.id)).updates.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    storedBefore = await storedCount();
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
    expect(await storedCount()).toBe(storedBefore);
    await expectBystanderUnaffected();
  });

  it('an unknown message type, an empty frame and a truncated sync message close with 4400', async () => {
    await freshServer();
    for (const frame of [new Uint8Array([42]), new Uint8Array([]), new Uint8Array([0, 2, 50, 1, 2]), new Uint8Array([0, 7, 0]), new Uint8Array([0])]) {
      const raw = await openRaw(rawUrl());
      raw.ws.send(frame);
      expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage);
    }
    expect(await storedCount()).toBe(storedBefore);
    await expectBystanderUnaffected();
  });

  it.each(Object.entries(YJS_HOSTILE_UPDATES))('hostile Yjs update "%s" closes with 4400 in bounded time', async (_name, bytes) => {
    await freshServer();
    for (const subType of [1, 2]) {
      const raw = await openRaw(rawUrl());
      raw.ws.send(syncUpdateFrame(new Uint8Array(bytes), subType));
      expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage);
    }
    expect(await storedCount()).toBe(storedBefore);
    await expectBystanderUnaffected();
  });

  it('a truncated real update closes with 4400', async () => {
    await freshServer();
    const doc = new Y.Doc();
    appendParagraph(doc, 'a'.repeat(100));
    const full = Y.encodeStateAsUpdate(doc);
    const raw = await openRaw(rawUrl());
    raw.ws.send(syncUpdateFrame(full.slice(0, full.length - 20)));
    expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage);
    expect(await storedCount()).toBe(storedBefore);
    await expectBystanderUnaffected();
  });

  it('an update with a clock gap is not malformed: it is dropped, the socket stays, and the server asks for a resync', async () => {
    // Deliberate change (issue 10, item 7): this used to close with 4400, which is now fatal for clients.
    await freshServer();
    const later = new Y.Doc();
    later.clientID = 777;
    appendParagraph(later, 'x');
    const known = Y.encodeStateVector(later);
    appendParagraph(later, 'y');
    // Starts after changes of client 777 the server has never seen.
    const gap = Y.diffUpdate(Y.encodeStateAsUpdate(later), known);
    const raw = await openRaw(rawUrl());
    await waitFor(() => raw.messages.length > 0, 5000, 'the server’s first SyncStep1');
    const before = raw.messages.length;
    raw.ws.send(syncUpdateFrame(gap));
    await waitFor(() => raw.messages.slice(before).some((m) => m[0] === 0 && m[1] === 0), 5000, 'a SyncStep1 asking for the missing changes');
    expect(await storedCount()).toBe(storedBefore);
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    raw.ws.close();
    await expectBystanderUnaffected();
  });

  it('invalid UTF-8 inside an update closes with 4400 (it used to be 4500, which clients retry forever)', async () => {
    await freshServer();
    const doc = new Y.Doc();
    doc.getXmlFragment('default').insert(0, [new Y.XmlText('abcdef')]);
    const bytes = Y.encodeStateAsUpdate(doc);
    const at = Buffer.from(bytes).indexOf(Buffer.from('abcdef'));
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    const raw = await openRaw(rawUrl());
    raw.ws.send(syncUpdateFrame(bytes));
    expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage);
    expect(await storedCount()).toBe(storedBefore);
    await expectBystanderUnaffected();
  });

  it.each([10_000, 3_000])('an update nesting %i elements closes with 4400; nothing is stored, broadcast or crashed, also after unload', async (depth) => {
    await freshServer();
    const update = deeplyNestedUpdate(depth);
    const raw = await openRaw(rawUrl());
    raw.ws.send(syncUpdateFrame(update));
    const closed = await raw.closed;
    expect(closed.code).toBe(CLOSE_CODES.badMessage);
    expect(closed.reason).toBe('update nests too deeply');
    expect(await storedCount()).toBe(storedBefore);
    await expectBystanderUnaffected();
    expect(bystander.doc.getXmlFragment('default').toString()).not.toContain('blockquote');

    // The crash came about 2 s after the last client left: unload the room and open it again.
    bystander.destroy();
    await waitFor(() => server.registry.get(fx.session.id) === undefined, 5000, 'the room unloaded');
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
    const minutes = await api(server.url, 'GET', `/api/sessions/${fx.session.id}/minutes?format=md`, { token: fx.event.tokens.view });
    expect(minutes.status).toBe(200);
    bystander = connectClient(server.wsUrl, fx.session.id, fx.event.tokens.edit);
    await waitForSync(bystander);
    expect(notesText(bystander.doc)).toContain('bystander text');
  });

  it('nesting counts through the stored document: one level too many under an existing deep branch closes with 4400', async () => {
    await freshServer();
    // A legitimate client builds a branch right at the limit (blockquotes, a paragraph and its text: 64 levels).
    const writer = connectClient(server.wsUrl, fx.session.id, fx.event.tokens.edit);
    await waitForSync(writer);
    deeplyNestedUpdate(LIMITS.maxNestingDepth - 2, { doc: writer.doc });
    await expect.poll(storedCount, { timeout: 5000 }).toBeGreaterThan(storedBefore);
    const stored = await storedCount();
    expect(writer.closes).toEqual([]);

    // An element holding text, inside the bottom paragraph of that branch: its text would be level 65.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(writer.doc));
    let bottom = copy.getXmlFragment('default').toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'blockquote') as Y.XmlElement;
    while (bottom.nodeName === 'blockquote') bottom = bottom.get(0) as Y.XmlElement;
    const sv = Y.encodeStateVector(copy);
    const mention = new Y.XmlElement('mention');
    mention.insert(0, [new Y.XmlText('one level too deep')]);
    bottom.insert(0, [mention]);
    const raw = await openRaw(rawUrl());
    raw.ws.send(syncUpdateFrame(Y.encodeStateAsUpdate(copy, sv)));
    expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage);
    expect(await storedCount()).toBe(stored);
    writer.destroy();
    await expectBystanderUnaffected();
  });

  it('a frame over the size limit is closed by the server (1009)', async () => {
    await freshServer();
    const raw = await openRaw(rawUrl());
    raw.ws.send(new Uint8Array(LIMITS.maxFrameBytes + 1));
    expect((await raw.closed).code).toBe(CLOSE_CODES.messageTooBig);
    expect(await storedCount()).toBe(storedBefore);
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

  it('a malformed percent-encoding in the WebSocket path gets 400 (it used to throw inside the upgrade and end the process)', async () => {
    await freshServer();
    const status = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(server.port, '127.0.0.1');
      let got = '';
      sock.on('data', (d: Buffer) => {
        got += d.toString();
        if (got.includes('\r\n')) {
          resolve(got.split('\r\n')[0]!);
          sock.destroy();
        }
      });
      sock.on('error', reject);
      sock.write(
        'GET /collab/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    expect(status).toBe('HTTP/1.1 400 Bad Request');
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
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
