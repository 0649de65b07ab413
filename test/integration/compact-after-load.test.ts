import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { TIMINGS } from '../../shared/limits.js';
import { createEventWithSession, startTestServer, type TestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

describe('a load that finds a long update log after the snapshot (any storage backend)', () => {
  it('compacts it into one snapshot of exactly the loaded document; a short log is left as it is', async () => {
    const clients: YClient[] = [];
    // The first server never unloads and never compacts while typing: storage keeps the whole log, as a crash leaves it.
    const first = await startTestServer({ compactEveryUpdates: 100_000, unloadDelayMs: 3_600_000 });
    let second: TestServer | undefined;
    try {
      const { event, session } = await createEventWithSession(first.url);
      const short = await createEventWithSession(first.url);
      const writer = connectClient(first.wsUrl, session.id, event.tokens.edit);
      const watcher = connectClient(first.wsUrl, session.id, event.tokens.view);
      const shortWriter = connectClient(first.wsUrl, short.session.id, short.event.tokens.edit);
      const shortWatcher = connectClient(first.wsUrl, short.session.id, short.event.tokens.view);
      clients.push(writer, watcher, shortWriter, shortWatcher);
      await Promise.all([writer, watcher, shortWriter, shortWatcher].map((c) => waitForSync(c)));
      // One commit per line (broadcast only once durable).
      for (let i = 0; i < TIMINGS.compactAtLoadUpdates + 5; i++) {
        appendParagraph(writer.doc, `line ${i}`);
        await waitFor(() => notesText(watcher.doc).includes(`line ${i}`), 5000, 'the line durable');
      }
      appendParagraph(shortWriter.doc, 'a short log');
      await waitFor(() => notesText(shortWatcher.doc).includes('a short log'), 5000, 'the short log durable');
      const expected = Y.encodeStateAsUpdate(watcher.doc);
      const shortBefore = await first.storage.docs.load(short.session.id);
      expect(shortBefore.updates.length).toBeGreaterThan(0);
      expect((await first.storage.docs.load(session.id)).updates.length).toBeGreaterThanOrEqual(TIMINGS.compactAtLoadUpdates);

      second = await startTestServer({ dataDir: first.dataDir, compactEveryUpdates: 100_000 });
      const fresh = connectClient(second.wsUrl, session.id, event.tokens.view);
      const shortReader = connectClient(second.wsUrl, short.session.id, short.event.tokens.view);
      clients.push(fresh, shortReader);
      await Promise.all([waitForSync(fresh), waitForSync(shortReader)]);
      await expect.poll(async () => (await second!.storage.docs.load(session.id)).updates.length, { timeout: 10_000 }).toBe(0);
      const stored = await second.storage.docs.load(session.id);
      const fromSnapshot = new Y.Doc();
      Y.applyUpdate(fromSnapshot, stored.snapshot!);
      const want = new Y.Doc();
      Y.applyUpdate(want, expected);
      expect(Y.encodeStateVector(fromSnapshot)).toEqual(Y.encodeStateVector(want));
      expect(fromSnapshot.getXmlFragment('prosemirror').toJSON()).toBe(want.getXmlFragment('prosemirror').toJSON());

      // Barrier: a compaction at load is queued before the room is registered, and runs before a later exclusive job.
      await waitFor(() => second!.registry.get(short.session.id) !== undefined, 5000, 'the short room loaded');
      await second.commitQueue.exclusive(async () => undefined);
      const shortAfter = await second.storage.docs.load(short.session.id);
      expect(shortAfter).toEqual(shortBefore);
    } finally {
      for (const c of clients) c.destroy();
      await second?.close();
      await first.close();
    }
  });
});
