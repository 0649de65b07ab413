import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { TIMINGS } from '../../shared/limits.js';
import { childServerSuite, startChildServer } from '../helpers/childServer.js';
import { createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

/** What a load of `docId` reads: the latest snapshot (if any) and the updates after it, as stored now. */
function storedParts(dataDir: string, docId: string): Uint8Array[] {
  const db = new Database(path.join(dataDir, 'roundtable.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const snap = db.prepare<[string], { upto_seq: number; data: Buffer }>('SELECT upto_seq, data FROM doc_snapshots WHERE doc_id = ? ORDER BY id DESC LIMIT 1').get(docId);
    const updates = db.prepare<[string, number], { data: Buffer }>('SELECT data FROM doc_updates WHERE doc_id = ? AND seq > ? ORDER BY seq').all(docId, snap?.upto_seq ?? 0);
    return [...(snap ? [snap.data] : []), ...updates.map((u) => u.data)].map((b) => new Uint8Array(b));
  } finally {
    db.close();
  }
}

/** A client whose document counts the transactions it applied (one per part it was sent) until it is synced. */
function countingClient(wsUrl: string, sessionId: string, token: string): { client: YClient; applied(): number } {
  const doc = new Y.Doc();
  let applied = 0;
  let synced = false;
  doc.on('update', () => {
    if (!synced) applied++;
  });
  const client = connectClient(wsUrl, sessionId, token, { doc });
  client.provider.once('sync', () => (synced = true));
  return { client, applied: () => applied };
}

describe('a load that finds an update log after the snapshot', () => {
  const suite = childServerSuite();

  it('stores it as one snapshot, so after the next kill -9 a fresh client is sent the document in one part, equal to what was stored; writes after it stay durable', async () => {
    const dataDir = tempDataDir();
    // No compaction while typing: kill -9 leaves every update in the log, as it leaves up to 499 by default.
    const env = { COMPACT_EVERY_UPDATES: '100000' };
    suite.child = await startChildServer(dataDir, { env });
    const { event, session } = await createEventWithSession(suite.child.url);
    const writer = connectClient(suite.child.wsUrl, session.id, event.tokens.edit);
    const watcher = connectClient(suite.child.wsUrl, session.id, event.tokens.view);
    suite.clients.push(writer, watcher);
    await Promise.all([waitForSync(writer), waitForSync(watcher)]);
    // One commit per line (each is broadcast only once durable): more stored updates than a load leaves as they are.
    const lines = TIMINGS.compactAtLoadUpdates + 10;
    for (let i = 0; i < lines; i++) {
      appendParagraph(writer.doc, `stored line ${i}`);
      await waitFor(() => notesText(watcher.doc).includes(`stored line ${i}`), 5000, 'the line durable');
    }
    const expected = new Y.Doc();
    Y.applyUpdate(expected, Y.encodeStateAsUpdate(watcher.doc));
    await suite.kill9();
    const before = storedParts(dataDir, session.id);
    expect(before.length).toBeGreaterThan(TIMINGS.compactAtLoadUpdates);

    // The restart's load finds the log and compacts it once the room is loaded.
    suite.child = await startChildServer(dataDir, { env });
    const first = countingClient(suite.child.wsUrl, session.id, event.tokens.view);
    suite.clients.push(first.client);
    await waitForSync(first.client);
    expect(Y.encodeStateVector(first.client.doc)).toEqual(Y.encodeStateVector(expected));
    await expect.poll(() => storedParts(dataDir, session.id).length, { timeout: 10_000 }).toBe(1);
    const [snapshot] = storedParts(dataDir, session.id);
    const fromSnapshot = new Y.Doc();
    Y.applyUpdate(fromSnapshot, snapshot!);
    expect(Y.encodeStateVector(fromSnapshot)).toEqual(Y.encodeStateVector(expected));
    expect(fromSnapshot.getXmlFragment('prosemirror').toJSON()).toBe(expected.getXmlFragment('prosemirror').toJSON());
    // The next cold load reads that one part; a fresh client applies it in one transaction.
    await suite.restart(dataDir, { env });
    const fresh = countingClient(suite.child.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(fresh.client);
    await waitForSync(fresh.client);
    expect(fresh.applied()).toBe(1);
    expect(Y.encodeStateVector(fresh.client.doc)).toEqual(Y.encodeStateVector(expected));
    expect(fresh.client.doc.getXmlFragment('prosemirror').toJSON()).toBe(expected.getXmlFragment('prosemirror').toJSON());

    // Writes after the compaction follow the snapshot in the log and survive kill -9.
    const reader = connectClient(suite.child.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
    appendParagraph(fresh.client.doc, 'typed after the compaction');
    await waitFor(() => notesText(reader.doc).includes('typed after the compaction'), 5000, 'durable and broadcast');
    await suite.restart(dataDir, { env });
    const last = connectClient(suite.child.wsUrl, session.id, event.tokens.view);
    suite.clients.push(last);
    await waitForSync(last);
    for (const line of ['stored line 0', `stored line ${lines - 1}`, 'typed after the compaction']) expect(notesText(last.doc)).toContain(line);
  });
});
