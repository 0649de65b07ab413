import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it } from 'vitest';
import { answerFromStored, raiseStep1 } from './coldAnswer.js';

/** A document typed in steps: the snapshot after the first `snapshotAfter` steps, then one stored update per later step. */
function typed(steps: number, snapshotAfter: number) {
  const doc = new Y.Doc({ gc: true });
  const updates: Uint8Array[] = [];
  let snapshot: Uint8Array | null = null;
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const fragment = doc.getXmlFragment('prosemirror');
  for (let i = 0; i < steps; i++) {
    doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(`line ${i} `.repeat(3))]);
      fragment.push([p]);
      if (i % 3 === 2) fragment.delete(0, 1);
    });
    if (i + 1 === snapshotAfter) {
      snapshot = Y.encodeStateAsUpdate(doc);
      updates.length = 0;
    }
  }
  return { doc, stored: { snapshot, updates: [...updates], lastSeq: updates.length } };
}

/** What a stock y-websocket client does with the frames: read each sync message into its doc. */
function receive(frames: Uint8Array[]): { doc: Y.Doc; step2s: number } {
  const doc = new Y.Doc();
  let step2s = 0;
  for (const frame of frames) {
    const d = decoding.createDecoder(frame);
    expect(decoding.readVarUint(d)).toBe(0);
    if (syncProtocol.readSyncMessage(d, encoding.createEncoder(), doc, 'server') === syncProtocol.messageYjsSyncStep2) step2s++;
  }
  return { doc, step2s };
}

describe('answering a fresh client from the stored bytes', () => {
  for (const [label, steps, snapshotAfter] of [
    ['a snapshot and the updates after it', 40, 25],
    ['a snapshot alone', 10, 10],
    ['updates alone (never compacted)', 12, 0],
  ] as const) {
    it(`gives exactly the stored document: ${label}`, () => {
      const { doc, stored } = typed(steps, snapshotAfter);
      const answer = answerFromStored(stored);
      expect(answer).not.toBeNull();
      const client = receive(answer!.frames);
      // Synced once: the SyncStep2 comes last, after everything else it needs.
      expect(client.step2s).toBe(1);
      expect(client.doc.getXmlFragment('prosemirror').toJSON()).toBe(doc.getXmlFragment('prosemirror').toJSON());
      expect(Y.encodeStateVector(client.doc)).toEqual(Y.encodeStateVector(doc));
      expect(Y.encodeStateAsUpdate(client.doc)).toEqual(Y.encodeStateAsUpdate(doc));
      // The state vector the room later answers against is what the client holds.
      expect(answer!.stateVector).toEqual(Y.encodeStateVector(doc));
      expect(client.doc.store.pendingStructs).toBeNull();
    });
  }

  it('leaves the answer to the loaded room when a part does not validate, or needs changes storage does not hold', () => {
    const { stored } = typed(20, 10);
    expect(answerFromStored({ ...stored, updates: [...stored.updates.slice(0, 3), new Uint8Array([1, 2, 3]), ...stored.updates.slice(4)] })).toBeNull();
    expect(answerFromStored({ ...stored, updates: stored.updates.slice(2) })).toBeNull();
    expect(answerFromStored({ snapshot: null, updates: [], lastSeq: 0 })).toBeNull();
  });
});

describe('raising a SyncStep1 to what the client was sent', () => {
  it('covers both, and leaves other messages as they are', () => {
    const client = new Y.Doc();
    client.getText('t').insert(0, 'mine');
    const sent = new Y.Doc();
    sent.getText('t').insert(0, 'stored');
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, 0);
    syncProtocol.writeSyncStep1(step1, client);
    const raised = raiseStep1(encoding.toUint8Array(step1), Y.encodeStateVector(sent));
    const d = decoding.createDecoder(raised);
    expect([decoding.readVarUint(d), decoding.readVarUint(d)]).toEqual([0, 0]);
    const sv = Y.decodeStateVector(decoding.readVarUint8Array(d));
    expect(sv).toEqual(new Map([[client.clientID, 4], [sent.clientID, 6]]));
    const awareness = new Uint8Array([1, 5, 1, 2, 3]);
    expect(raiseStep1(awareness, Y.encodeStateVector(sent))).toBe(awareness);
  });
});
