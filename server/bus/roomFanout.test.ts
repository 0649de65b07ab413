import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CommitQueue } from '../collab/commitQueue.js';
import { RoomRegistry } from '../collab/roomRegistry.js';
import type { Logger } from '../logger.js';
import { openDatabase } from '../storage/database.js';
import { createSqliteDocStore } from '../storage/docStore.js';
import { LocalBusHub } from './localBus.js';
import { RoomFanout } from './roomFanout.js';

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** An update another process stored and never published (it was killed in between). */
function storedElsewhere(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('RoomFanout: a batch stored by a process that died before publishing it (real SQLite, in-process bus)', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A real SQLite file in a temporary directory, removed after the test. */
  function openStore() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-fanout-'));
    const db = openDatabase(dir);
    cleanups.push(
      () => fs.rmSync(dir, { recursive: true, force: true }),
      () => void db.close(),
    );
    return createSqliteDocStore(db);
  }

  it('reaches the room when this process takes over the session’s lease, and not before', async () => {
    const docStore = openStore();
    const gained: ((docId: string) => void)[] = [];
    const fanout = new RoomFanout({ bus: new LocalBusHub().join(), docStore, log: quiet, lease: { onGained: (l) => gained.push(l) } });
    const registry = new RoomRegistry({ docStore, commitQueue: new CommitQueue({ docStore, log: quiet, compactEveryUpdates: 500 }), log: quiet, unloadDelayMs: 0, isLocked: () => false, extensions: [fanout] });
    cleanups.push(() => registry.closeAll());
    const room = await registry.acquire('doc');

    await docStore.append([{ docId: 'doc', update: storedElsewhere('saved on the process that died') }]);
    // No batch follows it on the bus: nothing tells this room it exists.
    await new Promise((r) => setTimeout(r, 50));
    expect(room.doc.getText('t').toString()).toBe('');

    expect(gained).toHaveLength(1);
    gained[0]!('other-doc');
    gained[0]!('doc');
    await vi.waitFor(() => expect(room.doc.getText('t').toString()).toBe('saved on the process that died'));
  });

  it('reaches the other processes too, through the one that takes the lease over (a client resending it there changes nothing)', async () => {
    const docStore = openStore();
    const hub = new LocalBusHub();
    // Two surviving processes on one storage and one bus: only `taker` gets the dead holder's lease.
    const process = (lease?: { onGained(l: (docId: string) => void): void }) => {
      const fanout = new RoomFanout({ bus: hub.join(), docStore, log: quiet, lease });
      const registry = new RoomRegistry({ docStore, commitQueue: new CommitQueue({ docStore, log: quiet, compactEveryUpdates: 500 }), log: quiet, unloadDelayMs: 0, isLocked: () => false, extensions: [fanout] });
      cleanups.push(() => registry.closeAll());
      return registry;
    };
    const gained: ((docId: string) => void)[] = [];
    const taker = await process({ onGained: (l) => gained.push(l) }).acquire('doc');
    const other = await process().acquire('doc');

    await docStore.append([{ docId: 'doc', update: storedElsewhere('acknowledged by the process that died') }]);
    gained[0]!('doc');
    await vi.waitFor(() => expect(taker.doc.getText('t').toString()).toBe('acknowledged by the process that died'));
    await vi.waitFor(() => expect(other.doc.getText('t').toString()).toBe('acknowledged by the process that died'));
  });
});
