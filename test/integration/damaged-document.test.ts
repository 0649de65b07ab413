import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { LIMITS } from '../../shared/limits.js';
import { measureNesting } from '../../server/collab/docShape.js';
import { openDatabase } from '../../server/storage/database.js';
import { createSqliteDocStore } from '../../server/storage/docStore.js';
import { deeplyNestedUpdate } from '../fixtures/yjsHostileUpdates.js';
import { openRaw } from '../helpers/rawSocket.js';
import { api, createEventWithSession, serverSuite, startTestServer, type Fixture } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

/** Top-level text of the notes, without walking into nested elements (a damaged document nests 10,000 deep). */
function topLevelText(doc: Y.Doc): string {
  return doc
    .getXmlFragment('default')
    .toArray()
    .map((n) => (n instanceof Y.XmlElement && n.nodeName === 'paragraph' ? n.toArray().map((t) => (t instanceof Y.XmlText ? t.toString() : '')).join('') : ''))
    .join('\n');
}

type Damage = (store: ReturnType<typeof createSqliteDocStore>, docId: string) => Promise<void>;

/** The deep update, appended to the update log, as the crash left it (the unload never compacted it). */
const deepInUpdateLog: Damage = async (store, docId) => {
  await store.append([{ docId, update: deeplyNestedUpdate(10_000) }]);
};

/** The 3,000-level twin, compacted into the latest snapshot (that unload did not crash). */
const deepInSnapshot: Damage = async (store, docId) => {
  const stored = await store.load(docId);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.mergeUpdates(stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates));
  deeplyNestedUpdate(3_000, { doc });
  const seq = (await store.append([{ docId, update: Y.encodeStateAsUpdate(doc) }])).get(docId)!;
  await store.compact(docId, Y.encodeStateAsUpdate(doc), seq);
};

/** Bytes that are no Yjs update, followed by a real change written after them. */
const garbageThenMore: Damage = async (store, docId) => {
  const stored = await store.load(docId);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.mergeUpdates(stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates));
  await store.append([{ docId, update: new Uint8Array([1, 1, 200, 7, 0, 99, 99, 99]) }]);
  const sv = Y.encodeStateVector(doc);
  appendParagraph(doc, 'written after the garbage');
  await store.append([{ docId, update: Y.encodeStateAsUpdate(doc, sv) }]);
};

describe('a document damaged in storage (before the fix) is served read-only, never crashes, and can be repaired', () => {
  const suite = serverSuite();

  /** A session with real notes, then damaged straight in its SQLite file through the storage layer. */
  async function damagedSession(damage: Damage): Promise<Fixture> {
    suite.server = await startTestServer();
    const fx = await createEventWithSession(suite.server.url);
    const writer = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    await waitForSync(writer);
    appendParagraph(writer.doc, 'keep me');
    await waitFor(() => !suite.server!.registry.get(fx.session.id)?.hasUncommitted(), 5000, 'committed');
    writer.destroy();
    const dataDir = suite.server.dataDir;
    await suite.server.close();
    suite.server = undefined;

    const db = openDatabase(dataDir);
    await damage(createSqliteDocStore(db), fx.session.id);
    db.close();
    suite.server = await startTestServer({ dataDir });
    return fx;
  }

  function reader(fx: Fixture): YClient {
    const c = connectClient(suite.server!.wsUrl, fx.session.id, fx.event.tokens.view);
    suite.clients.push(c);
    return c;
  }

  async function writerIsRefused(fx: Fixture): Promise<void> {
    const raw = await openRaw(`${suite.server!.wsUrl}/${fx.session.id}?token=${fx.event.tokens.edit}`);
    const closed = await raw.closed;
    expect(closed.code).toBe(CLOSE_CODES.documentDamaged);
    expect(closed.reason).toMatch(/read-only until a moderator repairs/);
  }

  async function openAndLeave(fx: Fixture, times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      const r = connectClient(suite.server!.wsUrl, fx.session.id, fx.event.tokens.view);
      await waitForSync(r);
      r.destroy();
      await waitFor(() => suite.server!.registry.get(fx.session.id) === undefined, 5000, 'the room unloaded');
      expect((await api(suite.server!.url, 'GET', '/healthz')).status).toBe(200);
    }
  }

  it.each([
    ['10,000 levels in the update log', deepInUpdateLog, 10_000],
    ['3,000 levels in the snapshot', deepInSnapshot, 3_000],
  ] as const)('%s', async (_name, damage, depth) => {
    const fx = await damagedSession(damage);
    const r = reader(fx);
    await waitForSync(r);
    expect(topLevelText(r.doc)).toContain('keep me');
    expect(measureNesting(r.doc).maxDepth).toBeGreaterThan(depth);
    await writerIsRefused(fx);
    r.destroy();
    suite.clients.splice(0);
    await waitFor(() => suite.server!.registry.get(fx.session.id) === undefined, 5000, 'the room unloaded');
    // The crash came when a viewer opened and left the session: again and again here.
    await openAndLeave(fx, 3);
    expect((await api(suite.server!.url, 'GET', '/readyz')).status).toBe(200);

    // Only a moderator repairs; a reader connected meanwhile receives the repair as ordinary changes.
    expect((await api(suite.server!.url, 'POST', `/api/sessions/${fx.session.id}/repair`, { token: fx.event.tokens.edit })).status).toBe(403);
    const watcher = reader(fx);
    await waitForSync(watcher);
    const repaired = await api<{ repaired: boolean; removedNodes: number; damage: string }>(suite.server!.url, 'POST', `/api/sessions/${fx.session.id}/repair`, {
      token: fx.event.tokens.moderate,
    });
    expect(repaired.status).toBe(200);
    expect(repaired.body.repaired).toBe(true);
    expect(repaired.body.removedNodes).toBeGreaterThanOrEqual(depth);
    expect(repaired.body.damage).toMatch(/nests/);
    await waitFor(() => measureNesting(watcher.doc).maxDepth <= LIMITS.maxNestingDepth, 10_000, 'the reader received the repair');
    expect(notesText(watcher.doc)).toContain('keep me');
    expect(watcher.doc.getXmlFragment('default').toString()).not.toContain('blockquote');

    // Writable again, and exports work.
    const w = connectClient(suite.server!.wsUrl, fx.session.id, fx.event.tokens.edit);
    suite.clients.push(w);
    await waitForSync(w);
    appendParagraph(w.doc, 'after the repair');
    await waitFor(() => notesText(watcher.doc).includes('after the repair'), 5000, 'the reader sees new writing');
    expect(w.closes).toEqual([]);
    expect((await api(suite.server!.url, 'GET', `/api/sessions/${fx.session.id}/minutes?format=md`, { token: fx.event.tokens.view })).status).toBe(200);
    expect((await api(suite.server!.url, 'POST', `/api/sessions/${fx.session.id}/repair`, { token: fx.event.tokens.moderate })).body).toMatchObject({
      repaired: false,
    });

    // After a restart the repaired notes load healthy: the damaged parts are no longer needed.
    for (const c of suite.clients.splice(0)) c.destroy();
    const dataDir = suite.server!.dataDir;
    await suite.server!.close();
    suite.server = await startTestServer({ dataDir });
    const again = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    suite.clients.push(again);
    await waitForSync(again);
    expect(notesText(again.doc)).toContain('keep me');
    expect(notesText(again.doc)).toContain('after the repair');
    expect(suite.server.registry.get(fx.session.id)?.damaged).toBeNull();
    expect(again.closes).toEqual([]);
  });

  it('unreadable stored bytes: the rest loads read-only (4422 for writers, not 4500 forever), and repair keeps everything readable', async () => {
    const fx = await damagedSession(garbageThenMore);
    const r = reader(fx);
    await waitForSync(r);
    expect(notesText(r.doc)).toContain('keep me');
    expect(notesText(r.doc)).toContain('written after the garbage');
    await writerIsRefused(fx);

    const repaired = await api<{ repaired: boolean; skippedParts: number }>(suite.server!.url, 'POST', `/api/sessions/${fx.session.id}/repair`, {
      token: fx.event.tokens.moderate,
    });
    expect(repaired.body).toMatchObject({ repaired: true, skippedParts: 1 });
    const w = connectClient(suite.server!.wsUrl, fx.session.id, fx.event.tokens.edit);
    suite.clients.push(w);
    await waitForSync(w);
    appendParagraph(w.doc, 'writable again');
    await waitFor(() => notesText(r.doc).includes('writable again'), 5000, 'the reader sees new writing');
    expect(notesText(w.doc)).toContain('written after the garbage');
  });
});
