import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { createSqliteDocStore } from './docStore.js';
import { typed } from './docStoreContract.js';

const MINUTE = 60_000;

describe('SQLite doc store (real file)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function open(now: () => number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-docstore-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    return { db, dir, store: createSqliteDocStore(db, { now, checkpointSpacingMs: 5 * MINUTE }) };
  }

  it('keeps the latest snapshot and older checkpoints at most one per spacing, and loads the full state', async () => {
    let clock = 0;
    const { db, store } = open(() => clock);
    const doc = new Y.Doc();
    // An hour of typing, compacted every minute.
    for (let minute = 0; minute <= 60; minute++) {
      clock = minute * MINUTE;
      const seqs = await store.append([{ docId: 'd', update: typed(doc, `m${minute} `) }]);
      await store.compact('d', Y.encodeStateAsUpdate(doc), seqs.get('d')!);
    }
    const kept = db.prepare('SELECT created_at FROM doc_snapshots WHERE doc_id = ? ORDER BY id').all('d') as { created_at: number }[];
    const minutes = kept.map((r) => r.created_at / MINUTE);
    expect(minutes).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
    expect(store.pendingUpdateCount('d')).toBe(0);

    const loaded = await store.load('d');
    const copy = new Y.Doc();
    Y.applyUpdate(copy, loaded.snapshot!);
    expect(copy.getText('t').toString()).toBe(doc.getText('t').toString());
    db.close();
  });

  it('survives reopening the file: the snapshot plus the updates after it rebuild the document', async () => {
    let clock = 0;
    const first = open(() => clock);
    const doc = new Y.Doc();
    const s1 = await first.store.append([{ docId: 'd', update: typed(doc, 'before ') }]);
    await first.store.compact('d', Y.encodeStateAsUpdate(doc), s1.get('d')!);
    clock = MINUTE;
    await first.store.append([{ docId: 'd', update: typed(doc, 'after') }]);
    first.db.close();

    const db = openDatabase(first.dir);
    const store = createSqliteDocStore(db);
    const loaded = await store.load('d');
    expect(loaded.updates).toHaveLength(1);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.mergeUpdates([loaded.snapshot!, ...loaded.updates]));
    expect(copy.getText('t').toString()).toBe('before after');
    db.close();
  });
});
