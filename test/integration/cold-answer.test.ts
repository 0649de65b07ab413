import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { childServerSuite, startChildServer } from '../helpers/childServer.js';
import { createEventWithSession, startTestServer, tempDataDir, type TestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

describe('a fresh client after a restart', () => {
  const suite = childServerSuite();

  it('after kill -9 gets exactly the stored document, then live edits both ways, and what it writes is durable', async () => {
    const dataDir = tempDataDir();
    // Compaction every 10 updates: storage holds a snapshot and updates after it, as after a long session.
    const env = { COMPACT_EVERY_UPDATES: '10' };
    suite.child = await startChildServer(dataDir, { env });
    const { event, session } = await createEventWithSession(suite.child.url);
    const writer = connectClient(suite.child.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(writer);
    await waitForSync(writer);
    for (let i = 0; i < 25; i++) {
      appendParagraph(writer.doc, `stored line ${i}`);
      await waitFor(() => writer.provider.synced, 5000, 'sent');
    }
    const watcher = connectClient(suite.child.wsUrl, session.id, event.tokens.view);
    suite.clients.push(watcher);
    await waitFor(() => notesText(watcher.doc).includes('stored line 24'), 5000, 'every line durable');
    const stored = Y.encodeStateAsUpdate(watcher.doc);
    await suite.restart(dataDir, { env });
    const fresh = connectClient(suite.child.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(fresh);
    await waitForSync(fresh);
    // Synced means holding it all: the document as storage holds it, byte for byte.
    expect(notesText(fresh.doc)).toContain('stored line 24');
    const expected = new Y.Doc();
    Y.applyUpdate(expected, stored);
    expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(expected));
    expect(fresh.doc.getXmlFragment('prosemirror').toJSON()).toBe(expected.getXmlFragment('prosemirror').toJSON());

    // Once the room has loaded, the same socket works as ever: edits both ways, durable.
    const other = connectClient(suite.child.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(other);
    await waitForSync(other);
    appendParagraph(other.doc, 'typed after the restart by another');
    appendParagraph(fresh.doc, 'typed after the restart by the fresh client');
    await waitFor(() => notesText(fresh.doc).includes('typed after the restart by another'), 5000, 'the fresh client receives');
    await waitFor(() => notesText(other.doc).includes('typed after the restart by the fresh client'), 5000, 'the fresh client sends');
    await suite.restart(dataDir, { env });
    const reader = connectClient(suite.child.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
    for (const line of ['stored line 0', 'stored line 24', 'typed after the restart by another', 'typed after the restart by the fresh client']) expect(notesText(reader.doc)).toContain(line);
  });

  it('is answered from the stored bytes while its room is still loading, and the room takes over once loaded', async () => {
    const dataDir = tempDataDir();
    // The first server never unloads (no compaction): storage keeps a snapshot and the updates after it.
    const first = await startTestServer({ dataDir, compactEveryUpdates: 10, unloadDelayMs: 3_600_000 });
    let second: TestServer | undefined;
    try {
      const { event, session } = await createEventWithSession(first.url);
      const writer = connectClient(first.wsUrl, session.id, event.tokens.edit);
      suite.clients.push(writer);
      await waitForSync(writer);
      for (let i = 0; i < 25; i++) appendParagraph(writer.doc, `stored line ${i}`);
      const watcher = connectClient(first.wsUrl, session.id, event.tokens.view);
      suite.clients.push(watcher);
      await waitFor(() => notesText(watcher.doc).includes('stored line 24'), 5000, 'every line durable');
      const stored = Y.encodeStateAsUpdate(watcher.doc);
      for (const c of suite.clients.splice(0)) c.destroy();

      // The second server's room cannot finish loading until the gate opens.
      let open: () => void = () => {};
      const gate = new Promise<void>((resolve) => (open = resolve));
      let loaded = false;
      second = await startTestServer({ dataDir, extensions: [{ name: 'gate', loaded: () => gate.then(() => void (loaded = true)) }] });
      const fresh = connectClient(second.wsUrl, session.id, event.tokens.edit);
      suite.clients.push(fresh);
      await waitForSync(fresh);
      expect(loaded).toBe(false);
      const expected = new Y.Doc();
      Y.applyUpdate(expected, stored);
      expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(expected));
      expect(fresh.doc.getXmlFragment('prosemirror').toJSON()).toBe(expected.getXmlFragment('prosemirror').toJSON());

      open();
      await waitFor(() => loaded, 5000, 'the room to load');
      const other = connectClient(second.wsUrl, session.id, event.tokens.edit);
      suite.clients.push(other);
      await waitForSync(other);
      appendParagraph(fresh.doc, 'written by the client answered from storage');
      appendParagraph(other.doc, 'written by a client of the loaded room');
      await waitFor(() => notesText(other.doc).includes('written by the client answered from storage'), 5000, 'the early client sends');
      await waitFor(() => notesText(fresh.doc).includes('written by a client of the loaded room'), 5000, 'the early client receives');
      expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(other.doc));
    } finally {
      for (const c of suite.clients.splice(0)) c.destroy();
      await second?.close();
      await first.close();
    }
  });
});
