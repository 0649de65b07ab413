import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';
import { createLogger } from '../logger.js';
import { openDatabase } from '../storage/database.js';
import { createSqliteDocStore } from '../storage/docStore.js';
import { CommitQueue } from './commitQueue.js';
import { Connection } from './connection.js';
import { handleMessage } from './handleMessage.js';
import type { Room } from './room.js';
import type { CommittedBatch, RoomExtension } from './roomExtension.js';
import { RoomRegistry } from './roomRegistry.js';

/** The README's example: count committed batches per room, in one file and one line of the composition. */
class UpdateCounter implements RoomExtension {
  readonly name = 'update counter';
  readonly counts = new Map<string, number>();
  batchCommitted(room: Room): void {
    this.counts.set(room.docId, (this.counts.get(room.docId) ?? 0) + 1);
  }
  unloaded(room: Room): void {
    this.counts.delete(room.docId);
  }
}

/** Records every step it sees, in order, with what the step carried. */
class Recorder implements RoomExtension {
  readonly name = 'recorder';
  readonly steps: string[] = [];
  readonly batches: CommittedBatch[] = [];
  loaded(room: Room): void {
    this.steps.push(`loaded ${room.docId}`);
  }
  batchCommitted(room: Room, batch: CommittedBatch): void {
    this.steps.push(`batchCommitted ${room.docId}`);
    this.batches.push(batch);
  }
  presenceChanged(room: Room): void {
    this.steps.push(`presenceChanged ${room.conns.size}`);
  }
  idle(room: Room): void {
    this.steps.push(`idle ${room.docId}`);
  }
  beforeUnload(room: Room): void {
    this.steps.push(`beforeUnload ${room.docId}`);
  }
  unloaded(room: Room): void {
    this.steps.push(`unloaded ${room.docId}`);
  }
}

function connection(id: number, role: 'edit' | 'view' = 'edit') {
  const closes: { code: number; reason: string }[] = [];
  const conn = new Connection(id, { send: () => {}, close: (code, reason) => closes.push({ code, reason }), isOpen: () => true }, role, `hash${id}`, false);
  return { conn, closes };
}

/** A y-websocket update message carrying `text` typed by a client with this Yjs client id. */
function typedUpdate(clientId: number, text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  let update: Uint8Array = new Uint8Array();
  doc.on('update', (u: Uint8Array) => (update = u));
  doc.getText('t').insert(0, text);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.sync);
  encoding.writeVarUint(e, SYNC_TYPES.update);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

describe('room extensions (real SQLite, real commit queue, real registry)', () => {
  const dirs: string[] = [];
  const dbs: { close(): void }[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function setup(extensions: RoomExtension[]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-extensions-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    dbs.push(db);
    const log = createLogger('silent');
    const docStore = createSqliteDocStore(db);
    const commitQueue = new CommitQueue({ docStore, log, compactEveryUpdates: 500 });
    const registry = new RoomRegistry({ docStore, commitQueue, log, extensions, unloadDelayMs: 0, isLocked: () => false });
    return { registry, commitQueue, docStore, log };
  }

  it('a newcomer adds "count updates per room" with one class and one line in the list', async () => {
    const counter = new UpdateCounter();
    const { registry, commitQueue, log } = setup([counter]);
    const room = await registry.acquire('doc');
    const { conn } = connection(1);
    room.addConnection(conn);
    for (const [i, text] of ['a', 'b', 'c'].entries()) {
      handleMessage(room, conn, typedUpdate(100 + i, text), { commitQueue, log });
      await commitQueue.whenIdle();
    }
    expect(counter.counts.get('doc')).toBe(3);
    room.removeConnection(conn);
    registry.release(room);
    await registry.settle();
    expect(counter.counts.has('doc')).toBe(false);
  });

  it('runs every step in order, and a batch names its authors with the Yjs client ids they wrote with', async () => {
    const recorder = new Recorder();
    const { registry, commitQueue, log } = setup([recorder]);
    const room = await registry.acquire('doc');
    const ana = connection(1);
    const ben = connection(2);
    room.addConnection(ana.conn);
    room.addConnection(ben.conn);
    // Ana's presence shows her name; Ben's shows none.
    ana.conn.awarenessIds.add(700);
    room.awareness.setLocalState(null);
    room.awareness.states.set(700, { user: { name: 'Ana' } });
    handleMessage(room, ana.conn, typedUpdate(700, 'from Ana'), { commitQueue, log });
    handleMessage(room, ben.conn, typedUpdate(800, 'from Ben'), { commitQueue, log });
    await commitQueue.whenIdle();
    expect(recorder.batches).toHaveLength(1);
    expect(recorder.batches[0]!.authors).toEqual([
      { connectionId: 1, name: 'Ana', clientIds: [700] },
      { connectionId: 2, name: null, clientIds: [800] },
    ]);
    expect(recorder.batches[0]!.seq).toBeGreaterThan(0);
    room.removeConnection(ana.conn);
    room.removeConnection(ben.conn);
    registry.release(room);
    await registry.settle();
    expect(recorder.steps).toEqual(['loaded doc', 'presenceChanged 1', 'presenceChanged 2', 'batchCommitted doc', 'presenceChanged 1', 'presenceChanged 0', 'idle doc', 'beforeUnload doc', 'unloaded doc']);
  });

  it('an extension may refuse an update: its connection is closed and nothing of it is applied or stored', async () => {
    const refusing: RoomExtension = {
      name: 'no shouting',
      updateReceived: (_room, incoming) => (incoming.clients.has(666) ? { refuse: { code: CLOSE_CODES.forbiddenWrite, reason: 'no shouting' } } : undefined),
    };
    const counter = new UpdateCounter();
    const { registry, commitQueue, docStore, log } = setup([refusing, counter]);
    const room = await registry.acquire('doc');
    const loud = connection(1);
    const calm = connection(2);
    room.addConnection(loud.conn);
    room.addConnection(calm.conn);
    handleMessage(room, loud.conn, typedUpdate(666, 'HEY'), { commitQueue, log });
    handleMessage(room, calm.conn, typedUpdate(5, 'hello'), { commitQueue, log });
    await commitQueue.whenIdle();
    expect(loud.closes).toEqual([{ code: CLOSE_CODES.forbiddenWrite, reason: 'no shouting' }]);
    expect(calm.closes).toEqual([]);
    expect(room.doc.getText('t').toString()).toBe('hello');
    const stored = await docStore.load('doc');
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.mergeUpdates(stored.updates));
    expect(copy.getText('t').toString()).toBe('hello');
    expect(counter.counts.get('doc')).toBe(1);
  });

  it('an extension that throws while loading is logged with its name; the room and the extensions after it go on', async () => {
    const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
    const counter = new UpdateCounter();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-extensions-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    dbs.push(db);
    const log = { ...createLogger('silent'), error: (msg: string, fields?: Record<string, unknown>) => lines.push({ msg, fields }) };
    const docStore = createSqliteDocStore(db);
    const commitQueue = new CommitQueue({ docStore, log, compactEveryUpdates: 500 });
    const broken: RoomExtension = {
      name: 'broken on load',
      loaded: () => {
        throw new Error('index unavailable');
      },
    };
    const registry = new RoomRegistry({ docStore, commitQueue, log, extensions: [broken, counter], unloadDelayMs: 0, isLocked: () => false });
    const room = await registry.acquire('doc');
    const { conn } = connection(1);
    room.addConnection(conn);
    handleMessage(room, conn, typedUpdate(9, 'still works'), { commitQueue, log });
    await commitQueue.whenIdle();
    expect(counter.counts.get('doc')).toBe(1);
    expect(lines).toEqual([{ msg: 'room hook failed', fields: expect.objectContaining({ docId: 'doc', hook: 'loaded', extension: 'broken on load' }) }]);
  });
});
