import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { deeplyNestedUpdate } from '../../test/fixtures/yjsHostileUpdates.js';
import { openDatabase } from '../storage/database.js';
import { createSqliteDocStore } from '../storage/docStore.js';
import { loadDocument } from './loadDocument.js';

const MINUTE = 60_000;

function typed(doc: Y.Doc, text: string): Uint8Array {
  const sv = Y.encodeStateVector(doc);
  doc.getText('t').insert(doc.getText('t').length, text);
  return Y.encodeStateAsUpdate(doc, sv);
}

describe('loadDocument (real SQLite)', () => {
  const dirs: string[] = [];
  const dbs: { close(): void }[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function store(now: () => number = Date.now) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-load-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    dbs.push(db);
    return createSqliteDocStore(db, { now, checkpointSpacingMs: 5 * MINUTE });
  }

  it('a healthy document loads in one go, undamaged', async () => {
    const s = store();
    const doc = new Y.Doc();
    const seq = (await s.append([{ docId: 'd', update: typed(doc, 'hello ') }])).get('d')!;
    await s.compact('d', Y.encodeStateAsUpdate(doc), seq);
    await s.append([{ docId: 'd', update: typed(doc, 'world') }]);
    const loaded = await loadDocument(s, 'd', { maxDepth: 64, origin: null });
    expect(loaded).toMatchObject({ damage: null, skippedParts: 0, updatesSinceSnapshot: 1, lastSeq: seq + 1 });
    expect(loaded.doc.getText('t').toString()).toBe('hello world');
  });

  it('parts applied in one go make the document their merge makes: also when one is stored before a change it needs, and one whose change was never stored is reported', async () => {
    const s = store();
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    const first = typed(alice, 'one ');
    const second = typed(alice, 'two ');
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    const third = typed(bob, 'three');
    // Stored out of order: `second` needs `first`, `third` needs both.
    await s.append([{ docId: 'd', update: second }]);
    await s.append([{ docId: 'd', update: third }]);
    await s.append([{ docId: 'd', update: first }]);
    const loaded = await loadDocument(s, 'd', { maxDepth: 64, origin: null });
    expect(loaded).toMatchObject({ damage: null, skippedParts: 0, updatesSinceSnapshot: 3 });
    const merged = new Y.Doc();
    Y.applyUpdate(merged, Y.mergeUpdates([second, third, first]));
    expect(Y.encodeStateAsUpdate(loaded.doc)).toEqual(Y.encodeStateAsUpdate(merged));
    expect(loaded.doc.getText('t').toString()).toBe('one two three');

    const gap = store();
    await gap.append([{ docId: 'd', update: second }]);
    const missing = await loadDocument(gap, 'd', { maxDepth: 64, origin: null });
    expect(missing.damage).toMatch(/depend on changes that could not be read/);
    expect(missing.doc.getText('t').toString()).toBe('');
  });

  it('an unreadable latest checkpoint falls back to the newest readable one, then every readable later change', async () => {
    let clock = 0;
    const s = store(() => clock);
    const doc = new Y.Doc();
    const s1 = (await s.append([{ docId: 'd', update: typed(doc, 'first ') }])).get('d')!;
    await s.compact('d', Y.encodeStateAsUpdate(doc), s1);
    clock = 10 * MINUTE;
    const s2 = (await s.append([{ docId: 'd', update: typed(doc, 'second ') }])).get('d')!;
    // The latest snapshot's bytes are garbage (a damaged blob).
    await s.compact('d', new Uint8Array([9, 9, 9, 9]), s2);
    await s.append([{ docId: 'd', update: typed(doc, 'third') }]);
    const loaded = await loadDocument(s, 'd', { maxDepth: 64, origin: null });
    expect(loaded.damage).toMatch(/latest checkpoint is unreadable; loaded the one from 1970-01-01T00:00:00.000Z/);
    expect(loaded.damage).toMatch(/depend on changes that could not be read/);
    // "second" lived only in the damaged snapshot; "third" was typed after it and cannot attach without it.
    expect(loaded.doc.getText('t').toString()).toBe('first ');
    expect(loaded.skippedParts).toBe(1);
  });

  it('deeper nesting than the limit loads (iteratively) and is reported as damage', async () => {
    const s = store();
    await s.append([{ docId: 'd', update: deeplyNestedUpdate(10_000) }]);
    const loaded = await loadDocument(s, 'd', { maxDepth: 64, origin: null });
    expect(loaded.damage).toBe('content nests 10002 levels deep (the limit is 64)');
    expect(loaded.doc.getXmlFragment('default').length).toBe(1);
  });
});
