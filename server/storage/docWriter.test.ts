import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { openDatabase } from './database.js';
import { createDocWriterThread } from './docWriter.js';
import { openSqliteDocStore } from './openDocStore.js';
import { typed } from './docStoreContract.js';

describe('storage writer thread (real SQLite file, real worker thread)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-docwriter-'));
    const db = openDatabase(dir);
    const { docs, writer } = openSqliteDocStore(db, { writer: 'thread', log: createLogger('silent') });
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => void db.close());
    cleanups.push(() => writer.close());
    return { db, docs, writer };
  }

  it('stores a write’s authors row at the update’s sequence number, in the same transaction on its own connection', async () => {
    const { db, docs, writer } = open();
    // History's table (server/history/historyMigration.ts creates it on a real server).
    db.exec('CREATE TABLE history_batch_authors (doc_id TEXT NOT NULL, seq INTEGER NOT NULL, authors TEXT NOT NULL, PRIMARY KEY (doc_id, seq))');
    const doc = new Y.Doc();
    const seqs = await docs.append([
      { docId: 'a', update: typed(doc, 'one '), authors: '["p:Ana"]' },
      { docId: 'b', update: typed(new Y.Doc(), 'x') },
    ]);
    expect(writer.stats().threadWrites).toBe(1);
    expect(db.prepare('SELECT doc_id, seq, authors FROM history_batch_authors').all()).toEqual([{ doc_id: 'a', seq: seqs.get('a'), authors: '["p:Ana"]' }]);
  });

  it('stores each group in one transaction of its own connection, with sequence numbers the main connection reads', async () => {
    const { db, docs, writer } = open();
    const a = new Y.Doc();
    const b = new Y.Doc();
    // Several groups posted at once: the thread runs them in order.
    const groups = await Promise.all(
      Array.from({ length: 5 }, (_, i) => docs.append([
        { docId: 'a', update: typed(a, `a${i} `) },
        { docId: 'b', update: typed(b, `b${i} `) },
      ])),
    );
    const seqs = groups.map((g) => [g.get('a')!, g.get('b')!]);
    expect(seqs.flat()).toEqual([...seqs.flat()].sort((x, y) => x - y));
    expect(new Set(seqs.flat()).size).toBe(10);
    expect(writer.stats().threadWrites).toBe(5);
    expect(writer.stats().inThread).toBe(false);

    const rows = db.prepare('SELECT count(*) AS n FROM doc_updates').get() as { n: number };
    expect(rows.n).toBe(10);
    const loaded = await docs.load('a');
    expect(loaded.lastSeq).toBe(seqs[4]![0]);
    const copy = new Y.Doc();
    for (const u of loaded.updates) Y.applyUpdate(copy, u);
    expect(copy.getText('t').toString()).toBe('a0 a1 a2 a3 a4 ');
  });

  it('a group commit crosses as one moved buffer: views of larger buffers, repeated and non-ASCII documents, authors kept', async () => {
    const { db, docs, writer } = open();
    db.exec('CREATE TABLE history_batch_authors (doc_id TEXT NOT NULL, seq INTEGER NOT NULL, authors TEXT NOT NULL, PRIMARY KEY (doc_id, seq))');
    const a = new Y.Doc();
    const first = typed(a, 'おはよう ');
    const second = typed(a, 'world');
    // As the socket layer hands updates over: views into a larger frame buffer.
    const frame = new Uint8Array(4096);
    frame.set(first, 100);
    frame.set(second, 2000);
    const writes = [
      { docId: 'セッション', update: frame.subarray(100, 100 + first.length), authors: '["p:花子"]' },
      { docId: 'b', update: typed(new Y.Doc(), 'x') },
      { docId: 'セッション', update: frame.subarray(2000, 2000 + second.length) },
    ];
    const seqs = await docs.append(writes);
    expect(writer.stats().threadWrites).toBe(1);
    // Still usable by the caller afterwards (nothing of theirs was moved away).
    expect(writes[0]!.update.byteLength).toBe(first.length);
    expect([...seqs.keys()]).toEqual(['セッション', 'b']);
    const rows = db.prepare('SELECT seq, doc_id FROM doc_updates ORDER BY seq').all() as { seq: number; doc_id: string }[];
    expect(seqs.get('セッション')).toBe(rows[2]!.seq);
    expect(seqs.get('b')).toBe(rows[1]!.seq);
    expect(db.prepare('SELECT doc_id, seq, authors FROM history_batch_authors').all()).toEqual([{ doc_id: 'セッション', seq: rows[0]!.seq, authors: '["p:花子"]' }]);
    const copy = new Y.Doc();
    for (const u of (await docs.load('セッション')).updates) Y.applyUpdate(copy, u);
    expect(copy.getText('t').toString()).toBe('おはよう world');
  });

  it('compacts in the thread, after the appends posted before it', async () => {
    const { docs } = open();
    const doc = new Y.Doc();
    const first = docs.append([{ docId: 'd', update: typed(doc, 'one ') }]);
    const second = docs.append([{ docId: 'd', update: typed(doc, 'two ') }]);
    const upto = (await second).get('d')!;
    await first;
    await docs.compact('d', Y.encodeStateAsUpdate(doc), upto);
    const loaded = await docs.load('d');
    expect(loaded.updates).toEqual([]);
    expect(loaded.lastSeq).toBe(upto);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, loaded.snapshot!);
    expect(copy.getText('t').toString()).toBe('one two ');
    expect(docs.pendingUpdateCount('d')).toBe(0);
  });

  it('reports a failed transaction with SQLite\'s code, and nothing of it is stored', async () => {
    const { db, docs } = open();
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON doc_updates WHEN NEW.doc_id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
    const doc = new Y.Doc();
    await expect(docs.append([{ docId: 'ok', update: typed(doc, 'x') }, { docId: 'bad', update: typed(doc, 'y') }])).rejects.toMatchObject({
      message: expect.stringContaining('refused by test'),
      code: 'SQLITE_CONSTRAINT_TRIGGER',
    });
    expect((db.prepare('SELECT count(*) AS n FROM doc_updates').get() as { n: number }).n).toBe(0);
    // The thread goes on.
    const seqs = await docs.append([{ docId: 'ok', update: typed(doc, 'z') }]);
    expect(seqs.get('ok')).toBeGreaterThan(0);
  });

  it('stops when idle without losing anything, and starts again on the next write', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-docwriter-'));
    const db = openDatabase(dir);
    const writer = createDocWriterThread({ db, log: createLogger('silent'), idleMs: 1 });
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }), () => void db.close(), () => writer.close());
    const doc = new Y.Doc();
    await writer.append([{ docId: 'd', update: typed(doc, 'before ') }]);
    await expect.poll(() => writer.stats().running).toBe(false);
    await writer.append([{ docId: 'd', update: typed(doc, 'after') }]);
    expect(writer.stats().threadWrites).toBe(2);
    expect((db.prepare('SELECT count(*) AS n FROM doc_updates').get() as { n: number }).n).toBe(2);
  });

  it('closes its connection before the main one, so the main one folds the WAL back into the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-docwriter-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const db = openDatabase(dir);
    const { docs, writer } = openSqliteDocStore(db, { writer: 'thread', log: createLogger('silent') });
    await docs.append([{ docId: 'd', update: typed(new Y.Doc(), 'x') }]);
    const closing = writer.close();
    db.close();
    await closing;
    expect(fs.existsSync(`${db.name}-wal`)).toBe(false);
  });

  it('transactions of the main connection wait for the thread\'s commits instead of failing (read, then write)', async () => {
    const { db, docs } = open();
    db.exec('CREATE TABLE tally (n INTEGER)');
    const bump = db.transaction(() => {
      const { n } = db.prepare('SELECT count(*) AS n FROM doc_updates').get() as { n: number };
      db.prepare('INSERT INTO tally VALUES (?)').run(n);
    });
    const doc = new Y.Doc();
    await docs.append([{ docId: 'd', update: typed(doc, 'warm') }]);
    // The thread commits these while this thread runs its own transactions, truly in parallel.
    const appends = Array.from({ length: 100 }, (_, i) => docs.append([{ docId: 'd', update: typed(doc, `${i}`) }]));
    const errors: string[] = [];
    const until = Date.now() + 300;
    let runs = 0;
    while (Date.now() < until) {
      try {
        bump();
        runs++;
      } catch (err) {
        errors.push((err as { code?: string }).code ?? String(err));
      }
    }
    await Promise.all(appends);
    expect(errors).toEqual([]);
    expect((db.prepare('SELECT count(*) AS n FROM tally').get() as { n: number }).n).toBe(runs);
  });

  it('refuses writes once closed', async () => {
    const { docs, writer } = open();
    await writer.close();
    await expect(docs.append([{ docId: 'd', update: typed(new Y.Doc(), 'x') }])).rejects.toThrow('storage writer closed');
  });
});
