import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { Room } from './room.js';

const host = { scheduleCommit: () => {}, fault: () => {}, updateReceived: () => {}, batchTaken: () => ({}), batchCommitted: () => {}, presenceChanged: () => {}, idle: () => {} };
const loaded = () => ({ doc: new Y.Doc(), lastSeq: 0, updatesSinceSnapshot: 0, damage: null, skippedParts: 0 });

function edit(room: Room, text: string): void {
  room.doc.getText('t').insert(0, text);
}

describe('Room: what is durable', () => {
  it('whenDurable waits for the commit of everything applied so far, not for later edits', async () => {
    const room = new Room('docaaaaaaaaaaaa', loaded(), host, createLogger('silent'));
    let settled = false;
    edit(room, 'one');
    const durable = room.whenDurable().then(() => (settled = true));
    const first = room.takeBatch();
    expect(room.hasUncommitted()).toBe(true);
    // Written while the first commit is in flight: the waiter does not need it.
    edit(room, 'two');
    await Promise.resolve();
    expect(settled).toBe(false);
    room.committed(first, 1);
    await durable;
    expect(settled).toBe(true);
    expect(room.hasUncommitted()).toBe(true);
    room.committed(room.takeBatch(), 2);
    expect(room.hasUncommitted()).toBe(false);
    await room.whenDurable();
  });

  it('a failed commit releases the waiters (the room is dropped; nothing more will become durable)', async () => {
    const room = new Room('docbbbbbbbbbbbb', loaded(), host, createLogger('silent'));
    edit(room, 'lost');
    const durable = room.whenDurable();
    room.takeBatch();
    room.commitFailed();
    await durable;
    expect(room.broken).toBe(true);
  });
});
