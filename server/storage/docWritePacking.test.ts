import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DocWrite } from './docStore.js';
import { packDocWrites, packedSeqsId, packSeqs, unpackDocWrites, unpackSeqs } from './docWritePacking.js';

const plain = (writes: readonly DocWrite[]) =>
  writes.map((w) => (w.authors === undefined ? { docId: w.docId, update: [...w.update] } : { docId: w.docId, update: [...w.update], authors: w.authors }));

const write = fc.record(
  {
    docId: fc.string({ unit: 'grapheme', maxLength: 40 }),
    update: fc.uint8Array({ maxLength: 300 }),
    authors: fc.string({ unit: 'grapheme', maxLength: 80 }),
  },
  { requiredKeys: ['docId', 'update'] },
);

describe('packed group commits (the writer thread hand-off)', () => {
  it('a group commit comes back exactly: ids, bytes, authors present, empty or absent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.array(write, { maxLength: 30 }), (id, writes) => {
        const back = unpackDocWrites(packDocWrites(id, writes));
        expect(back.id).toBe(id);
        expect(plain(back.writes)).toEqual(plain(writes));
      }),
    );
  });

  it('packs only the update’s own bytes, not the buffer it is a view of', () => {
    const frame = new Uint8Array(64 * 1024).fill(7);
    frame.set([1, 2, 3], 1000);
    const update = frame.subarray(1000, 1003);
    const packed = packDocWrites(3, [{ docId: 'セッション-1', update, authors: '["p:Ana","p:花子"]' }]);
    expect(packed.byteLength).toBeLessThan(200);
    const { writes } = unpackDocWrites(packed);
    expect(plain(writes)).toEqual([{ docId: 'セッション-1', update: [1, 2, 3], authors: '["p:Ana","p:花子"]' }]);
  });

  it('refuses a buffer that does not fit the layout instead of reading past it', () => {
    const packed = packDocWrites(1, [{ docId: 'd', update: new Uint8Array(50) }]);
    const cut = packed.slice(0, 12 + 4 + 1 + 4 + 20);
    expect(() => unpackDocWrites(cut)).toThrow(/malformed group commit/);
    expect(() => unpackDocWrites(new ArrayBuffer(4))).toThrow(/too short/);
    expect(() => unpackDocWrites(packDocWrites(0, []))).toThrow(/bad request id/);
    const badUtf8 = new Uint8Array(packDocWrites(1, [{ docId: 'ab', update: new Uint8Array() }]));
    badUtf8[16] = 0xff;
    expect(() => unpackDocWrites(badUtf8.buffer)).toThrow();
  });

  it('answers each document’s last sequence number, in the order documents first appear', () => {
    const writes: DocWrite[] = ['a', 'b', 'a', 'c', 'b'].map((docId) => ({ docId, update: new Uint8Array([1]) }));
    // What the thread's transaction returns: a Map filled in write order.
    const last = new Map<string, number>();
    writes.forEach((w, i) => last.set(w.docId, 10 + i));
    const reply = packSeqs(42, last);
    expect(packedSeqsId(reply)).toBe(42);
    expect([...unpackSeqs(reply, writes)]).toEqual([['a', 12], ['b', 14], ['c', 13]]);
  });

  it('refuses an answer that does not match the request', () => {
    const writes: DocWrite[] = [{ docId: 'a', update: new Uint8Array([1]) }, { docId: 'b', update: new Uint8Array([1]) }];
    expect(() => unpackSeqs(packSeqs(1, new Map([['a', 5]])), writes)).toThrow(/1 sequence numbers for 2 documents/);
    expect(() => unpackSeqs(packSeqs(1, new Map([['a', 5], ['b', 0]])), writes)).toThrow(/sequence number 0/);
    expect(packedSeqsId(new ArrayBuffer(3))).toBeNull();
    expect(packedSeqsId(new Float64Array([0.5]).buffer)).toBeNull();
  });

  it('the thread-side functions are self-contained: their sources run alone', () => {
    const unpack = new Function(`return ${unpackDocWrites.toString()}`)() as typeof unpackDocWrites;
    const pack = new Function(`return ${packSeqs.toString()}`)() as typeof packSeqs;
    expect(plain(unpack(packDocWrites(5, [{ docId: 'd', update: new Uint8Array([9]), authors: '[]' }])).writes)).toEqual([{ docId: 'd', update: [9], authors: '[]' }]);
    expect(new Float64Array(pack(5, new Map([['d', 7]])))).toEqual(new Float64Array([5, 7]));
  });
});
