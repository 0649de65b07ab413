import * as Y from 'yjs';
import { describe, expect, it, vi } from 'vitest';
import { MESSAGE_TYPES } from '../../shared/protocol.js';
import { createLogger } from '../logger.js';
import { Connection } from './connection.js';
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

/** A connection whose socket records what reaches it: the message types, and how many writes they took (corked writes count once). */
function recordingConnection(id: number) {
  const writes: number[][] = [];
  let corked: number[] | null = null;
  const take = (bytes: Uint8Array) => {
    // A shared frame carries a 2-byte header before the message (small payloads).
    if (corked) corked.push(bytes[0]!);
    else writes.push([bytes[0]!]);
  };
  const conn = new Connection(
    id,
    {
      send: (data) => take(data),
      sendFrame: (frame) => take(frame.subarray(2)),
      close: () => {},
      isOpen: () => true,
      cork: () => void (corked ??= []),
      uncork: () => {
        if (corked?.length) writes.push(corked);
        corked = null;
      },
    },
    'edit',
    'token',
    true,
  );
  return { conn, writes };
}

function editFrom(room: Room, conn: Connection, text: string): void {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(room.doc));
  other.getText('t').insert(0, text);
  Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(room.doc)), conn);
  conn.docMessagesReceived++;
  room.ackAfterCommit(conn);
}

describe('Room: what a commit sends', () => {
  const sync = MESSAGE_TYPES.sync;
  const saved = MESSAGE_TYPES.saved;

  it('a batch all from one connection reaches everyone else; its source gets only "Saved"', () => {
    const room = new Room('docccccccccccccc', loaded(), host, createLogger('silent'));
    const [ana, ben, reader] = [recordingConnection(1), recordingConnection(2), recordingConnection(3)];
    for (const c of [ana, ben, reader]) room.addConnection(c.conn);
    editFrom(room, ana.conn, 'a');
    editFrom(room, ana.conn, 'b');
    room.committed(room.takeBatch(), 1);
    expect(ana.writes).toEqual([[saved]]);
    expect(ben.writes).toEqual([[sync]]);
    expect(reader.writes).toEqual([[sync]]);
  });

  it('a batch from two note-takers reaches both, each with its "Saved" in the same write', () => {
    const room = new Room('docdddddddddddd', loaded(), host, createLogger('silent'));
    const [ana, ben, reader] = [recordingConnection(1), recordingConnection(2), recordingConnection(3)];
    for (const c of [ana, ben, reader]) room.addConnection(c.conn);
    editFrom(room, ana.conn, 'a');
    editFrom(room, ben.conn, 'b');
    room.committed(room.takeBatch(), 1);
    expect(ana.writes).toEqual([[sync, saved]]);
    expect(ben.writes).toEqual([[sync, saved]]);
    expect(reader.writes).toEqual([[sync]]);
  });

  it("the server's own write in a batch goes back to the note-taker too (she has not seen it)", () => {
    const room = new Room('doceeeeeeeeeeee', loaded(), host, createLogger('silent'));
    const ana = recordingConnection(1);
    room.addConnection(ana.conn);
    editFrom(room, ana.conn, 'a');
    edit(room, 'tagged by the server');
    room.committed(room.takeBatch(), 1);
    expect(ana.writes).toEqual([[sync, saved]]);
  });
});

describe('Room: readers through the reader relay', () => {
  const sync = MESSAGE_TYPES.sync;

  function viewer(id: number) {
    const writes: number[] = [];
    const conn = new Connection(
      id,
      { send: (d) => writes.push(d[0]!), sendFrame: (f) => writes.push(f[2]!), close: () => {}, isOpen: () => true },
      'view',
      'token',
      false,
    );
    return { conn, writes };
  }

  it('note-takers get every commit at once; readers get the commits inside one interval merged, then at once after a quiet one', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const room = new Room('docffffffffffff', loaded(), host, createLogger('silent'), { readerRelayMs: 50 });
      const ana = recordingConnection(1);
      const ben = recordingConnection(2);
      // 200 readers: an interval of 10 ms (READER_RELAY_MS_PER_READER each).
      const readers = Array.from({ length: 200 }, (_, i) => viewer(10 + i));
      for (const c of [ana.conn, ben.conn, ...readers.map((r) => r.conn)]) room.addConnection(c);
      for (const text of ['a', 'b', 'c']) {
        editFrom(room, ana.conn, text);
        room.committed(room.takeBatch(), 1);
        vi.advanceTimersByTime(2);
      }
      expect(ben.writes).toEqual([[sync], [sync], [sync]]);
      expect(readers[0]!.writes).toEqual([sync]);
      vi.advanceTimersByTime(10);
      expect(readers[0]!.writes).toEqual([sync, sync]);
      expect(readers.every((r) => r.writes.length === 2)).toBe(true);
      vi.advanceTimersByTime(100);
      editFrom(room, ana.conn, 'd');
      room.committed(room.takeBatch(), 2);
      expect(readers[199]!.writes).toEqual([sync, sync, sync]);
      room.destroy();
    } finally {
      vi.useRealTimers();
    }
  });
});
