import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../logger.js';
import { openDatabase } from '../storage/database.js';
import { createSqliteDocStore, type DocStore } from '../storage/docStore.js';
import { CommitQueue } from './commitQueue.js';
import type { Room } from './room.js';
import { RoomRegistry } from './roomRegistry.js';

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const PACE_MS = 10;

/** A clock the test moves, and timers that fire only when the test says so. */
function manualTime() {
  let now = 0;
  const pending = new Map<number, () => void>();
  let next = 0;
  let set = 0;
  return {
    now: () => now,
    advance: (ms: number) => void (now += ms),
    timers: {
      set(fn: () => void, _ms: number): unknown {
        set++;
        pending.set(++next, fn);
        return next;
      },
      clear: (handle: unknown) => void pending.delete(handle as number),
    },
    fireAll() {
      const fns = [...pending.values()];
      pending.clear();
      for (const fn of fns) fn();
    },
    get timersSet() {
      return set;
    },
    get timersPending() {
      return pending.size;
    },
  };
}

describe('CommitQueue pacing (real SQLite, real rooms)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(paceMs: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-pacing-'));
    const db = openDatabase(dir);
    const inner = createSqliteDocStore(db);
    const transactions: string[][] = [];
    // Every append is one storage transaction.
    const docStore: DocStore = {
      ...inner,
      append: (writes) => {
        transactions.push(writes.map((w) => w.docId));
        return inner.append(writes);
      },
    };
    const time = manualTime();
    const commitQueue = new CommitQueue({ docStore, log: quiet, compactEveryUpdates: 500, paceMs, now: time.now, timers: time.timers });
    const registry = new RoomRegistry({ docStore, commitQueue, log: quiet, unloadDelayMs: 0, isLocked: () => false, extensions: [] });
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => void db.close());
    cleanups.push(() => registry.closeAll());
    const rooms: Room[] = [];
    for (let i = 0; i < 4; i++) rooms.push(await registry.acquire(`doc${String(i).padStart(12, 'a')}`));
    return { commitQueue, rooms, transactions, time, inner };
  }

  /** A burst of keystrokes across four rooms, each arriving after the previous commit has finished. */
  async function burst(q: Awaited<ReturnType<typeof setup>>, keystrokes: number) {
    for (let i = 0; i < keystrokes; i++) {
      const room = q.rooms[i % q.rooms.length]!;
      room.doc.getText('t').insert(room.doc.getText('t').length, String(i % 10));
      await expect.poll(() => q.commitQueue.state).not.toBe('busy');
    }
    q.time.fireAll();
    await expect.poll(() => q.commitQueue.state).toBe('idle');
  }

  it('under a burst across rooms, pacing stores everything in far fewer transactions, and all of it', async () => {
    const unpaced = await setup(0);
    await burst(unpaced, 12);
    const paced = await setup(PACE_MS);
    await burst(paced, 12);

    expect(unpaced.transactions).toHaveLength(12);
    // The first keystroke commits at once; the eleven that arrive within the spacing share one transaction.
    expect(paced.transactions).toHaveLength(2);
    expect(paced.transactions[1]!.sort()).toEqual(paced.rooms.map((r) => r.docId).sort());
    for (const room of paced.rooms) {
      const stored = await paced.inner.load(room.docId);
      const copy = new Y.Doc();
      for (const u of stored.updates) Y.applyUpdate(copy, u);
      if (stored.snapshot) Y.applyUpdate(copy, stored.snapshot);
      expect(copy.getText('t').toString()).toBe(room.doc.getText('t').toString());
      expect(copy.getText('t').length).toBe(3);
    }
  });

  it('a keystroke after a quiet spell longer than the spacing is committed without a timer', async () => {
    const q = await setup(PACE_MS);
    const room = q.rooms[0]!;
    room.doc.getText('t').insert(0, 'a');
    await expect.poll(() => q.transactions.length).toBe(1);
    await q.commitQueue.whenIdle();
    q.time.advance(PACE_MS + 1);
    room.doc.getText('t').insert(1, 'b');
    // Only the queue's own next turn can commit it: the test's timers never fire here.
    await expect.poll(() => q.transactions.length).toBe(2);
    expect(q.time.timersSet).toBe(0);
  });

  it('whenIdle does not wait out the spacing: it commits a paced batch at once (shutdown, durable reads)', async () => {
    const q = await setup(PACE_MS);
    const room = q.rooms[0]!;
    room.doc.getText('t').insert(0, 'a');
    await q.commitQueue.whenIdle();
    room.doc.getText('t').insert(1, 'b');
    expect(q.commitQueue.state).toBe('paced');
    await q.commitQueue.whenIdle();
    expect(q.transactions).toHaveLength(2);
    expect(q.time.timersPending).toBe(0);
    expect(q.commitQueue.state).toBe('idle');
  });
});
