import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { applyNotesOp, notesOp } from '../../test/fixtures/randomNotes.js';
import { fuzzRuns } from '../../test/helpers/fuzz.js';
import { concatenateAppends, mergePending } from './mergePending.js';

/** A server document and the `update` events it emits, as a room collects them while clients type. */
function serverOf(): { doc: Y.Doc; emitted: Uint8Array[] } {
  const doc = new Y.Doc();
  const emitted: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => emitted.push(u));
  return { doc, emitted };
}

function copyOf(doc: Y.Doc): Y.Doc {
  const c = new Y.Doc();
  Y.applyUpdate(c, Y.encodeStateAsUpdate(doc));
  return c;
}

/** Applying `a` or `b` to (a copy of) `base` leaves the same document. */
function expectSameEffect(base: Y.Doc, a: Uint8Array, b: Uint8Array): void {
  const left = copyOf(base);
  const right = copyOf(base);
  Y.applyUpdate(left, a);
  Y.applyUpdate(right, b);
  expect(Y.encodeStateAsUpdate(left)).toEqual(Y.encodeStateAsUpdate(right));
  expect(left.getXmlFragment('default').toJSON()).toBe(right.getXmlFragment('default').toJSON());
}

describe('mergePending', () => {
  it('a batch of keystrokes from several note-takers is copied, byte for byte what Y.mergeUpdates makes', () => {
    const server = serverOf();
    const writers = [3, 900_000_001, 77, 4_000_000_000].map((id) => {
      const d = new Y.Doc();
      d.clientID = id;
      return d;
    });
    const seed = writers[0]!;
    seed.getXmlFragment('default').insert(0, [new Y.XmlElement('paragraph')]);
    ((seed.getXmlFragment('default').get(0) as Y.XmlElement).insert(0, [new Y.XmlText('start')]));
    Y.applyUpdate(server.doc, Y.encodeStateAsUpdate(seed));
    for (const w of writers.slice(1)) Y.applyUpdate(w, Y.encodeStateAsUpdate(seed));
    server.emitted.length = 0;
    for (let round = 0; round < 3; round++) {
      for (const w of writers) {
        const text = (w.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
        const before = Y.encodeStateVector(w);
        text.insert(round, 'k');
        Y.applyUpdate(server.doc, Y.encodeStateAsUpdate(w, before));
      }
    }
    const batch = server.emitted.splice(0);
    expect(batch).toHaveLength(12);
    const fast = concatenateAppends(batch);
    expect(fast).not.toBeNull();
    expect(Buffer.from(fast!).equals(Buffer.from(Y.mergeUpdates(batch)))).toBe(true);
    expect(mergePending([batch[0]!])).toBe(batch[0]);
  });

  it('leaves a batch with deletions, or with a gap in one client’s changes, to Y.mergeUpdates', () => {
    const server = serverOf();
    const t = server.doc.getText('t');
    t.insert(0, 'abc');
    t.delete(0, 1);
    expect(concatenateAppends(server.emitted)).toBeNull();
    const other = serverOf();
    other.doc.getText('t').insert(0, 'x');
    other.doc.getText('t').insert(1, 'y');
    other.doc.getText('t').insert(2, 'z');
    // The first and the last keystroke, without the one between them.
    expect(concatenateAppends([other.emitted[0]!, other.emitted[2]!])).toBeNull();
    expect(mergePending([other.emitted[0]!, other.emitted[2]!])).toEqual(Y.mergeUpdates([other.emitted[0]!, other.emitted[2]!]));
  });

  it('whatever the edits and however the batches fall, its merge does to the document exactly what Y.mergeUpdates’ does', () => {
    const writerOps = fc.array(fc.tuple(fc.nat(3), notesOp), { minLength: 1, maxLength: 40 });
    let copied = 0;
    fc.assert(
      fc.property(writerOps, fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 40 }), (ops, cuts) => {
        const server = serverOf();
        const writers = [11, 2_000_000_000, 5, 300].map((id) => {
          const d = new Y.Doc();
          d.clientID = id;
          return d;
        });
        for (const [w, op] of ops) {
          const doc = writers[w]!;
          Y.applyUpdate(doc, Y.encodeStateAsUpdate(server.doc));
          const before = Y.encodeStateVector(doc);
          applyNotesOp(doc, op);
          Y.applyUpdate(server.doc, Y.encodeStateAsUpdate(doc, before));
        }
        // Replay the emitted updates batch by batch onto a fresh document, as storage and readers receive them.
        const replica = new Y.Doc();
        let at = 0;
        for (let c = 0; at < server.emitted.length; c++) {
          const batch = server.emitted.slice(at, at + cuts[c % cuts.length]!);
          at += batch.length;
          const merged = mergePending(batch);
          const reference = Y.mergeUpdates(batch);
          expectSameEffect(replica, merged, reference);
          if (concatenateAppends(batch) === null) expect(merged).toEqual(reference);
          else if (batch.length > 1) copied++;
          Y.applyUpdate(replica, merged);
        }
        expect(Y.encodeStateAsUpdate(replica)).toEqual(Y.encodeStateAsUpdate(server.doc));
      }),
      { numRuns: fuzzRuns(60) },
    );
    // The fast path itself was exercised, not only the fallback.
    expect(copied).toBeGreaterThan(0);
  }, Math.max(20_000, fuzzRuns(60) * 60));
});
