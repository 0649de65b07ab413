import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { createSqliteDocStore } from './docStore.js';
import { createSyncedDocWriter, type SyncedDocWriterOptions } from './syncedDocWriter.js';
import { typed } from './docStoreContract.js';

/** A sync held until the test lets it go, and which file it was asked to sync. */
function heldSync() {
  const waiting: { fd: number; release(err?: Error): void }[] = [];
  const syncFile = (fd: number) =>
    new Promise<void>((resolve, reject) => waiting.push({ fd, release: (err) => (err ? reject(err) : resolve()) }));
  return { syncFile, waiting };
}

describe('document writes on the event loop, made durable by an fdatasync on the thread pool (real SQLite file)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0).reverse()) c();
  });

  function open(opts: Partial<SyncedDocWriterOptions> = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-synced-'));
    const db = openDatabase(dir);
    const writer = createSyncedDocWriter({ db, ...opts });
    const docs = createSqliteDocStore(db, { writer });
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => db.close());
    cleanups.push(() => writer.close());
    return { db, docs, writer };
  }

  it('answers a write only once the WAL file it went to is synced', async () => {
    const held = heldSync();
    const { db, docs, writer } = open({ syncFile: held.syncFile });
    let answered = false;
    const append = docs.append([{ docId: 'd', update: typed(new Y.Doc(), 'hello') }]).then((seqs) => {
      answered = true;
      return seqs;
    });
    await new Promise((r) => setTimeout(r, 20));
    // Committed to SQLite (the main connection reads it) but not answered: nothing is acknowledged or broadcast yet.
    expect((db.prepare('SELECT count(*) AS n FROM doc_updates').get() as { n: number }).n).toBe(1);
    expect(answered).toBe(false);
    expect(held.waiting).toHaveLength(1);
    // The descriptor is the WAL's: the file the transaction was written to.
    expect(fs.fstatSync(held.waiting[0]!.fd).ino).toBe(fs.statSync(`${db.name}-wal`).ino);
    held.waiting[0]!.release();
    expect((await append).get('d')).toBe(1);
    expect(writer.stats()).toEqual({ transactions: 1, syncs: 1 });
  });

  it('a sync that fails fails the write, and the next write is synced again', async () => {
    const held = heldSync();
    const { docs, writer } = open({ syncFile: held.syncFile });
    const doc = new Y.Doc();
    const first = docs.append([{ docId: 'd', update: typed(doc, 'a') }]);
    await new Promise((r) => setTimeout(r, 10));
    held.waiting[0]!.release(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(first).rejects.toThrow(/EIO/);
    const second = docs.append([{ docId: 'd', update: typed(doc, 'b') }]);
    await new Promise((r) => setTimeout(r, 10));
    held.waiting[1]!.release();
    expect((await second).get('d')).toBe(2);
    expect(writer.stats()).toEqual({ transactions: 2, syncs: 1 });
  });

  it('with the real fdatasync: groups, compaction, and what a fresh connection reads', async () => {
    const { db, docs } = open();
    const doc = new Y.Doc();
    const groups = await Promise.all(Array.from({ length: 5 }, (_, i) => docs.append([{ docId: 'd', update: typed(doc, `${i} `) }])));
    expect(groups.map((g) => g.get('d'))).toEqual([1, 2, 3, 4, 5]);
    await docs.compact('d', Y.encodeStateAsUpdate(doc), 5);
    const loaded = await docs.load('d');
    expect(loaded.updates).toEqual([]);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, loaded.snapshot!);
    expect(copy.getText('t').toString()).toBe('0 1 2 3 4 ');
    // The main connection is FULL, the writer's NORMAL: each keeps its own setting.
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('closes its connection before the main one, which folds the WAL back into the file; a sync in flight keeps its file open', async () => {
    const held = heldSync();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-synced-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const db = openDatabase(dir);
    const writer = createSyncedDocWriter({ db, syncFile: held.syncFile });
    const docs = createSqliteDocStore(db, { writer });
    const pending = docs.append([{ docId: 'd', update: typed(new Y.Doc(), 'x') }]);
    await new Promise((r) => setTimeout(r, 10));
    writer.close();
    db.close();
    expect(fs.existsSync(`${db.name}-wal`)).toBe(false);
    const fd = held.waiting[0]!.fd;
    expect(() => fs.fstatSync(fd)).not.toThrow();
    held.waiting[0]!.release();
    await pending;
    expect(() => fs.fstatSync(fd)).toThrow(/EBADF/);
    await expect(docs.append([{ docId: 'd', update: typed(new Y.Doc(), 'y') }])).rejects.toThrow('storage writer closed');
  });
});
