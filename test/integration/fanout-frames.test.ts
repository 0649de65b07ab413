import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { MESSAGE_TYPES, NOTES_FRAGMENT, SYNC_TYPES } from '../../shared/protocol.js';
import { encodeSyncStep1 } from '../../server/collab/messages.js';
import { createEventWithSession, serverSuite, startTestServer } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

/** A bare ws reader: records every binary message exactly as it arrived, and keeps a Y.Doc from the sync messages. */
function rawReader(wsUrl: string, sessionId: string, token: string) {
  const ws = new WebSocket(`${wsUrl}/${sessionId}?token=${token}`);
  const doc = new Y.Doc();
  const updates: Buffer[] = [];
  const closes: number[] = [];
  let synced = false;
  ws.on('open', () => ws.send(encodeSyncStep1(Y.encodeStateVector(doc))));
  ws.on('close', (code) => closes.push(code));
  ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(data);
    if (decoding.readVarUint(d) !== MESSAGE_TYPES.sync) return;
    const sub = decoding.readVarUint(d);
    if (sub === SYNC_TYPES.step1) return;
    Y.applyUpdate(doc, decoding.readVarUint8Array(d));
    if (sub === SYNC_TYPES.step2) synced = true;
    else updates.push(Buffer.from(data));
  });
  return { ws, doc, updates, closes, synced: () => synced };
}

function paragraph(doc: Y.Doc, text: string): void {
  doc.transact(() => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
  });
}

describe('broadcasts framed once, written to every reader', () => {
  const suite = serverSuite();

  // READER_RELAY_MS on: readers get the commits through the reader relay (merged when they come close together).
  it.each([0, 50])('every reader receives the same bytes, which real ws clients read as the committed updates (short, 16-bit and 64-bit frame lengths; reader relay %i ms)', async (readerRelayMs) => {
    suite.server = await startTestServer({ readerRelayMs });
    const { event, session } = await createEventWithSession(suite.server.url);
    const writer = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const stock = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(writer, stock);
    const readers = [0, 1, 2].map(() => rawReader(suite.server!.wsUrl, session.id, event.tokens.view));
    await Promise.all([waitForSync(writer), waitForSync(stock), ...readers.map((r) => waitFor(r.synced, 5000, 'raw reader synced'))]);

    const texts = ['short', 'm'.repeat(300), 'L'.repeat(70_000)];
    for (const t of texts) paragraph(writer.doc, t);
    const expected = notesText(writer.doc);
    await waitFor(() => readers.every((r) => notesText(r.doc) === expected) && notesText(stock.doc) === expected, 10_000, 'every reader has the notes');

    const sizes = readers[0]!.updates.map((u) => u.byteLength);
    expect(Math.max(...sizes)).toBeGreaterThan(65_535);
    for (const r of readers.slice(1)) {
      expect(r.updates.length).toBe(readers[0]!.updates.length);
      r.updates.forEach((u, i) => expect(u.equals(readers[0]!.updates[i]!)).toBe(true));
    }
    for (const r of readers) {
      expect(r.closes).toEqual([]);
      r.ws.close();
    }
  });

  it('a reader that stops reading is closed with 4408 once its backlog passes the limit; the others get everything', async () => {
    suite.server = await startTestServer({ maxSendBacklogBytes: 256 * 1024 });
    const { event, session } = await createEventWithSession(suite.server.url);
    const writer = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const healthy = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(writer, healthy);
    const stalled = rawReader(suite.server.wsUrl, session.id, event.tokens.view);
    await Promise.all([waitForSync(writer), waitForSync(healthy), waitFor(stalled.synced, 5000, 'stalled reader synced')]);
    const server = suite.server;
    const serverSide = () => [...(server.registry.get(session.id)?.conns ?? [])].filter((c) => c.role === 'view');
    // A client may be synced from storage before its room has loaded and taken the connection (cold answer).
    await waitFor(() => serverSide().length === 2, 5000, 'both readers in the loaded room');

    // It stops reading: the kernel's buffers fill, then the server's socket backlog grows.
    stalled.ws.pause();
    let typed = 0;
    await waitFor(
      () => {
        if (serverSide().some((c) => c.closed)) return true;
        // A little more each poll (well under the writer's rate limit): 100 KB per paragraph.
        paragraph(writer.doc, `${typed++} `.padEnd(100_000, 'x'));
        return false;
      },
      30_000,
      'the stalled reader is closed',
    );
    const expected = notesText(writer.doc);
    await waitFor(() => notesText(healthy.doc) === expected, 20_000, 'the healthy reader has everything');
    expect(healthy.closes).toEqual([]);
    expect(serverSide().filter((c) => c.closed)).toHaveLength(1);

    // Reading again, it finds the close code after what was already buffered for it.
    stalled.ws.resume();
    await waitFor(() => stalled.closes.length > 0, 30_000, 'the stalled reader sees its close');
    expect(stalled.closes).toEqual([CLOSE_CODES.tooFarBehind]);
  });
});
