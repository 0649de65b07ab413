import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from './migrations.js';
import { SessionRepo } from './sessionRepo.js';

describe('migration 5: a session has rooms, not a room', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('turns each stored room into a list, splitting "Room A;Room B", and drops the old column', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-migrate-'));
    dirs.push(dir);
    const file = path.join(dir, 'roundtable.sqlite');
    const old = new Database(file);
    migrate(old, 3);
    old.prepare("INSERT INTO events (id, slug, title, timezone, created_at, updated_at) VALUES ('e', 'e', 'E', 'UTC', 'now', 'now')").run();
    const insert = old.prepare("INSERT INTO sessions (id, event_id, title, room, created_at, updated_at) VALUES (?, 'e', ?, ?, 'now', 'now')");
    insert.run('one', 'One room', 'Salon A');
    insert.run('two', 'Two rooms', 'Room A; Room B;Room A');
    insert.run('none', 'No room', null);
    insert.run('blank', 'Blank room', '  ');
    old.close();

    const db = new Database(file);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const columns = (db.prepare('PRAGMA table_info(sessions)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toContain('rooms');
    expect(columns).not.toContain('room');
    const rooms = Object.fromEntries((await new SessionRepo(db).listByEvent('e')).map((r) => [r.id, JSON.parse(r.rooms) as string[]]));
    expect(rooms).toEqual({ one: ['Salon A'], two: ['Room A', 'Room B'], none: [], blank: [] });
    db.close();
  });
});

describe('the export CLI on a database from before migration 5', () => {
  it('says to start the server once instead of failing on a missing column', async () => {
    const { exportEvent } = await import('../cli/exportEvent.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-migrate-cli-'));
    try {
      const old = new Database(path.join(dir, 'roundtable.sqlite'));
      migrate(old, 3);
      old.close();
      await expect(exportEvent({ dataDir: dir, event: 'x', format: 'md', outDir: path.join(dir, 'out') })).rejects.toThrow(/older version of Roundtable: start the server once/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
