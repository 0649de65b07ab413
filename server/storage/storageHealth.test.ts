import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { corruptLastPage } from '../../test/helpers/corruptFile.js';
import type { Logger } from '../logger.js';
import { DatabaseCorrupt, openDatabase } from './database.js';
import { SCHEMA_VERSION } from './migrations.js';
import { createSqliteDocStore } from './docStore.js';
import { guardDocStore, StorageHealth, StorageRefused } from './storageHealth.js';

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('StorageHealth (real files)', () => {
  const dirs: string[] = [];
  const open: Database.Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function setup() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-health-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    open.push(db);
    const health = new StorageHealth({ db, dbPath: db.name, schemaVersion: SCHEMA_VERSION, log: quiet });
    const insert = db.prepare('INSERT INTO doc_updates (doc_id, data, created_at) VALUES (?, ?, 0)');
    return { dir, db, health, insert };
  }

  it('is ready on a healthy database', () => {
    const { health } = setup();
    expect(health.readiness(false)).toEqual({
      ready: true,
      checks: { storage: { ok: true }, migrations: { ok: true }, files: { ok: true }, lastWrite: { ok: true }, draining: { ok: true } },
    });
    expect(health.readiness(true).ready).toBe(false);
    expect(health.readiness(true).checks.draining).toEqual({ ok: false, detail: 'shutting down' });
  });

  it('a deleted WAL fences writes, and the committed changes it held are rescued into the database file', () => {
    const { dir, db, health, insert } = setup();
    for (let i = 0; i < 20; i++) insert.run('d', Buffer.from(`acknowledged ${i}`));
    const fenced: string[] = [];
    health.onFenced((r) => fenced.push(r));
    fs.rmSync(path.join(dir, 'roundtable.sqlite-wal'));

    expect(() => health.beforeWrite()).toThrow(StorageRefused);
    expect(fenced).toEqual(['the WAL file was deleted under the running server']);
    const r = health.readiness(false);
    expect(r.ready).toBe(false);
    expect(r.checks.files).toEqual({ ok: false, detail: 'the WAL file was deleted under the running server' });

    // What SQLite would have lost with the unlinked WAL is in the main file now.
    db.close();
    const again = new Database(path.join(dir, 'roundtable.sqlite'));
    open.push(again);
    expect((again.prepare("SELECT count(*) AS n FROM doc_updates WHERE doc_id = 'd'").get() as { n: number }).n).toBe(20);
  });

  it('a replaced database file fences writes too', () => {
    const { dir, health } = setup();
    const file = path.join(dir, 'roundtable.sqlite');
    fs.renameSync(file, `${file}.moved`);
    fs.writeFileSync(file, '');
    expect(health.checkFiles()).toBe(false);
    expect(health.fenced).toBe('the database file was replaced under the running server');
  });

  it('a guarded commit into a WAL deleted just before it is not acknowledged, yet every acknowledged one survives', async () => {
    const { dir, db, health } = setup();
    const docs = guardDocStore(createSqliteDocStore(db), health);
    const acknowledged: number[] = [];
    for (let i = 0; i < 5; i++) acknowledged.push((await docs.append([{ docId: 'd', update: new Uint8Array([i]) }])).get('d')!);
    fs.rmSync(path.join(dir, 'roundtable.sqlite-wal'));

    await expect(docs.append([{ docId: 'd', update: new Uint8Array([99]) }])).rejects.toThrow(StorageRefused);
    expect(health.fenced).toBe('the WAL file was deleted under the running server');
    // Fenced: refused before reaching the store.
    await expect(docs.append([{ docId: 'e', update: new Uint8Array([1]) }])).rejects.toThrow(/storage refuses writes/);

    db.close();
    const again = new Database(path.join(dir, 'roundtable.sqlite'));
    open.push(again);
    const seqs = (again.prepare("SELECT seq FROM doc_updates WHERE doc_id = 'd' ORDER BY seq").all() as { seq: number }[]).map((r) => r.seq);
    expect(seqs.slice(0, 5)).toEqual(acknowledged);
    expect(again.prepare("SELECT count(*) AS n FROM doc_updates WHERE doc_id = 'e'").get()).toEqual({ n: 0 });
  });

  it('a guarded commit after the database file was replaced is not acknowledged', async () => {
    const { dir, db, health } = setup();
    const docs = guardDocStore(createSqliteDocStore(db), health);
    await docs.append([{ docId: 'd', update: new Uint8Array([1]) }]);
    const file = path.join(dir, 'roundtable.sqlite');
    fs.renameSync(file, `${file}.moved`);
    fs.writeFileSync(file, '');
    await expect(docs.append([{ docId: 'd', update: new Uint8Array([2]) }])).rejects.toThrow(StorageRefused);
    expect(health.fenced).toBe('the database file was replaced under the running server');
  });

  it('records a failed write, and a successful probe brings readiness back', () => {
    const { health } = setup();
    health.writeFailed(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }));
    expect(health.readiness(false).checks.lastWrite.ok).toBe(false);
    expect(health.readiness(false).checks.lastWrite.detail).toMatch(/disk I\/O error/);
    expect(health.probeWrite()).toBe(true);
    expect(health.readiness(false).ready).toBe(true);
  });
});

describe('openDatabase integrity check', () => {
  it('refuses a database with a corrupt page, saying so', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-corrupt-'));
    try {
      const db = openDatabase(dir);
      const insert = db.prepare('INSERT INTO doc_updates (doc_id, data, created_at) VALUES (?, ?, 0)');
      for (let i = 0; i < 200; i++) insert.run(`d${i % 7}`, Buffer.alloc(300, i));
      db.close();
      corruptLastPage(path.join(dir, 'roundtable.sqlite'));
      expect(() => openDatabase(dir)).toThrow(DatabaseCorrupt);
      expect(() => openDatabase(dir)).toThrow(/is corrupt; refusing to start/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
