import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import type { Logger } from '../logger.js';
import { openDatabase } from '../storage/database.js';
import { createSqliteDocStore } from '../storage/docStore.js';
import { CommitQueue } from './commitQueue.js';
import { Connection } from './connection.js';
import type { Room } from './room.js';
import { RoomRegistry, type RoomRegistryOptions } from './roomRegistry.js';

interface LogLine {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

function capturingLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => lines.push({ level, msg, fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A connection whose socket records how it was closed (the room depends only on this interface). */
function recordingConnection(id: number): { conn: Connection; closes: { code: number; reason: string }[] } {
  const closes: { code: number; reason: string }[] = [];
  const conn = new Connection(id, { send: () => {}, close: (code, reason) => closes.push({ code, reason }), isOpen: () => true }, 'edit', 'hash', false);
  return { conn, closes };
}

describe('RoomRegistry: one room’s failure stays in that room (real SQLite, real commit queue)', () => {
  const dirs: string[] = [];
  const dbs: { close(): void }[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function setup(overrides: Partial<RoomRegistryOptions> = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-registry-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    dbs.push(db);
    const lines: LogLine[] = [];
    const log = capturingLogger(lines);
    const docStore = createSqliteDocStore(db);
    const commitQueue = new CommitQueue({ docStore, log, compactEveryUpdates: 500 });
    const registry = new RoomRegistry({
      docStore,
      commitQueue,
      log,
      unloadDelayMs: 0,
      isLocked: () => false,
      extensions: [],
      ...overrides,
    });
    return { registry, commitQueue, docStore, lines };
  }

  async function write(room: Room, text: string, commitQueue: CommitQueue): Promise<void> {
    room.doc.getText('t').insert(room.doc.getText('t').length, text);
    await commitQueue.whenIdle();
  }

  it('a hook that throws during unload closes and drops only that room, logged with where it failed', async () => {
    let failUnload = true;
    const { registry, commitQueue, lines } = setup({
      extensions: [
        {
          name: 'flushes on unload',
          beforeUnload: (room) => {
            if (failUnload && room.docId === 'bad') throw new RangeError('Maximum call stack size exceeded');
          },
        },
      ],
    });
    const bad = await registry.acquire('bad');
    const good = await registry.acquire('good');
    await write(bad, 'kept in the log', commitQueue);
    await write(good, 'fine', commitQueue);
    const watcher = recordingConnection(1);
    good.addConnection(watcher.conn);

    registry.release(bad);
    await registry.settle();
    expect(registry.get('bad')).toBeUndefined();
    expect(registry.get('good')).toBe(good);
    expect(watcher.closes).toEqual([]);
    const logged = lines.find((l) => l.level === 'error' && l.msg.startsWith('room failed'));
    expect(logged?.fields).toMatchObject({ docId: 'bad', where: 'unload' });
    expect(String(logged?.fields?.error)).toContain('Maximum call stack size exceeded');

    // Nothing acknowledged was lost: a fresh load has it.
    failUnload = false;
    const again = await registry.acquire('bad');
    expect(again).not.toBe(bad);
    expect(again.doc.getText('t').toString()).toBe('kept in the log');
    expect(again.damaged).toBeNull();
  });

  it('closes the failed room’s sockets with 4500 so clients resend to a fresh load', async () => {
    const { registry } = setup();
    const room = await registry.acquire('doc');
    const a = recordingConnection(1);
    const b = recordingConnection(2);
    room.addConnection(a.conn);
    room.addConnection(b.conn);
    room.fault('handling a message', new Error('boom'));
    expect(a.closes).toEqual([{ code: CLOSE_CODES.internalError, reason: expect.stringMatching(/reconnect/) }]);
    expect(b.closes).toHaveLength(1);
    expect(registry.get('doc')).toBeUndefined();
    expect(room.broken).toBe(true);
  });

  it('a document that keeps failing is served read-only (damaged) until a repair', async () => {
    const { registry, commitQueue, lines } = setup({ faultsBeforeDamaged: 3 });
    for (let i = 0; i < 3; i++) {
      const room = await registry.acquire('flaky');
      expect(room.damaged).toBeNull();
      room.fault('a timer', new Error(`failure ${i}`));
    }
    const room = await registry.acquire('flaky');
    expect(room.damaged).toMatch(/failed on this document 3 times/);
    expect(lines.some((l) => l.msg.startsWith('document keeps failing'))).toBe(true);
    await write(room, 'x', commitQueue);
    const result = await registry.repair('flaky');
    expect(result).toMatchObject({ repaired: true, removedNodes: 0 });
    expect(room.damaged).toBeNull();
  });

  it('a lock set while the room loads holds once it is loaded, though the load read the flag before', async () => {
    let release!: () => void;
    const loadedHookWaits = new Promise<void>((r) => (release = r));
    let reads = 0;
    const { registry } = setup({
      isLocked: () => (reads++, false),
      // The extensions' load step is where a slow store keeps a room unregistered longest.
      extensions: [{ name: 'slow', loaded: () => loadedHookWaits }],
    });
    const loading = registry.acquire('doc');
    await vi.waitFor(() => expect(reads).toBe(1));
    registry.setLocked('doc', true);
    expect(registry.get('doc')).toBeUndefined();
    release();
    expect((await loading).locked).toBe(true);
    registry.setLocked('doc', false);
    expect((await registry.acquire('doc')).locked).toBe(false);
  });

  it('a notification hook that throws is logged; the room and its connections go on', async () => {
    const { registry, commitQueue, docStore, lines } = setup({
      extensions: [
        {
          name: 'announces',
          presenceChanged: () => {
            throw new Error('stream gone');
          },
          batchCommitted: () => {
            throw new Error('contributors table locked');
          },
        },
      ],
    });
    const room = await registry.acquire('doc');
    const c = recordingConnection(1);
    room.addConnection(c.conn);
    await write(room, 'still stored', commitQueue);
    expect(c.closes).toEqual([]);
    expect(room.broken).toBe(false);
    expect(lines.filter((l) => l.msg === 'room hook failed').map((l) => [l.fields?.hook, l.fields?.extension])).toEqual([
      ['presenceChanged', 'announces'],
      ['batchCommitted', 'announces'],
    ]);
    const stored = await docStore.load('doc');
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.mergeUpdates(stored.updates));
    expect(copy.getText('t').toString()).toBe('still stored');
  });
});

describe('RoomRegistry: idle rooms cost no timers', () => {
  it('loading 40 rooms adds no timer that keeps the process awake (presence is swept once for all rooms)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-registry-timers-'));
    const db = openDatabase(dir);
    const log: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const docStore = createSqliteDocStore(db);
    const commitQueue = new CommitQueue({ docStore, log, compactEveryUpdates: 500 });
    const registry = new RoomRegistry({ docStore, commitQueue, log, unloadDelayMs: 0, isLocked: () => false, extensions: [] });
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    try {
      const before = timers();
      const rooms: Room[] = [];
      for (let i = 0; i < 40; i++) rooms.push(await registry.acquire(`doc${String(i).padStart(12, 'a')}`));
      expect(rooms).toHaveLength(40);
      expect(timers()).toBe(before);
    } finally {
      await registry.closeAll();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
