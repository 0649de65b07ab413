import { describe, expect, it } from 'vitest';
import type { DocStore } from '../../server/storage/docStore.js';
import { createEventWithSession, startTestServer, serverSuite } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

/** A real SQLite store whose compaction (the final write on unload) takes a while. */
function slowCompaction(store: DocStore, gate: { started: boolean; release: () => void; wait: Promise<void> }): DocStore {
  return {
    ...store,
    async compact(docId, state, uptoSeq) {
      gate.started = true;
      await gate.wait;
      return store.compact(docId, state, uptoSeq);
    },
  };
}

describe('room unload', () => {
  const suite = serverSuite();

  it('a client that reconnects while the final write runs gets the live room, and nothing is lost', async () => {
    let release!: () => void;
    const gate = { started: false, release: () => release(), wait: new Promise<void>((r) => (release = r)) };
    suite.server = await startTestServer({ wrapDocStore: (s) => slowCompaction(s, gate) });
    const { event, session } = await createEventWithSession(suite.server.url);

    const a = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    await waitForSync(a);
    appendParagraph(a.doc, 'written before leaving');
    await waitFor(() => !suite.server!.registry.get(session.id)!.hasUncommitted(), 5000, 'a committed');
    const roomBefore = suite.server.registry.get(session.id);
    a.destroy();
    await waitFor(() => gate.started, 5000, 'final write started');

    const b = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(b);
    await waitForSync(b);
    expect(notesText(b.doc)).toContain('written before leaving');
    appendParagraph(b.doc, 'written during the final write');

    gate.release();
    await suite.server.registry.settle();
    expect(suite.server.registry.get(session.id)).toBe(roomBefore);

    const c = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(c);
    await waitForSync(c);
    await waitFor(() => notesText(c.doc).includes('written during the final write'), 5000, 'c sees b');

    for (const cl of suite.clients.splice(0)) cl.destroy();
    const dataDir = suite.server.dataDir;
    await suite.server.close();
    suite.server = await startTestServer({ dataDir });
    const d = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(d);
    await waitForSync(d);
    await waitFor(() => notesText(d.doc).includes('written during the final write'), 5000, 'durable after restart');
    expect(notesText(d.doc)).toContain('written before leaving');
  });

  it('an empty room is unloaded after its final write and compacted into one snapshot', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const a = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    await waitForSync(a);
    for (let i = 0; i < 10; i++) appendParagraph(a.doc, `p${i}`);
    await waitFor(() => !suite.server!.registry.get(session.id)!.hasUncommitted(), 5000, 'committed');
    a.destroy();
    await waitFor(() => suite.server!.registry.get(session.id) === undefined, 5000, 'unloaded');
    const stored = await suite.server.storage.docs.load(session.id);
    expect(stored.updates).toEqual([]);
    expect((await suite.server.storage.docs.checkpoints(session.id)).length).toBe(1);
  });
});
