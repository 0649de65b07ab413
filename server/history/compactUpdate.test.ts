import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fuzzRuns } from '../../test/helpers/fuzz.js';
import { compactUpdate, mergeCompact } from './compactUpdate.js';

/** Everything observable of a document: the text with formatting, and what each client has written. */
function fingerprint(doc: Y.Doc): unknown {
  const fragment = doc.getXmlFragment('default');
  return {
    xml: fragment.toJSON(),
    deltas: fragment.toArray().map((p) => (p instanceof Y.XmlElement ? p.toArray().map((t) => (t instanceof Y.XmlText ? t.toDelta() : t.toJSON())) : null)),
    attrs: fragment.toArray().map((p) => (p instanceof Y.XmlElement ? p.getAttributes() : null)),
    map: doc.getMap('meta').toJSON(),
    sv: [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort(),
  };
}

type Op = { kind: 'type'; who: number; at: number; text: string } | { kind: 'delete'; who: number; at: number; len: number } | { kind: 'bold'; who: number; at: number; len: number } | { kind: 'para'; who: number } | { kind: 'map'; who: number; value: number } | { kind: 'sync'; a: number; b: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('type' as const), who: fc.integer({ min: 0, max: 2 }), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), who: fc.integer({ min: 0, max: 2 }), at: fc.nat(), len: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bold' as const), who: fc.integer({ min: 0, max: 2 }), at: fc.nat(), len: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('para' as const), who: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('map' as const), who: fc.integer({ min: 0, max: 2 }), value: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), a: fc.integer({ min: 0, max: 2 }), b: fc.integer({ min: 0, max: 2 }) }) },
);

/** Three people editing concurrently, syncing now and then; every update any of them made, in the order they were made. */
function play(ops: Op[]): { docs: Y.Doc[]; updates: Uint8Array[] } {
  const docs = [0, 1, 2].map((i) => {
    const d = new Y.Doc({ gc: true });
    d.clientID = 1000 + i;
    return d;
  });
  const updates: Uint8Array[] = [];
  for (const d of docs) d.on('update', (u: Uint8Array, origin: unknown) => origin !== 'sync' && updates.push(u));
  const textOf = (d: Y.Doc): Y.XmlText | null => {
    const f = d.getXmlFragment('default');
    for (let i = f.length - 1; i >= 0; i--) {
      const p = f.get(i);
      if (p instanceof Y.XmlElement && p.get(0) instanceof Y.XmlText) return p.get(0) as Y.XmlText;
    }
    return null;
  };
  for (const op of ops) {
    if (op.kind === 'sync') {
      Y.applyUpdate(docs[op.b]!, Y.encodeStateAsUpdate(docs[op.a]!, Y.encodeStateVector(docs[op.b]!)), 'sync');
      continue;
    }
    const d = docs[op.who]!;
    if (op.kind === 'para') {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('')]);
      d.getXmlFragment('default').push([p]);
      continue;
    }
    if (op.kind === 'map') {
      d.getMap('meta').set('k', op.value);
      continue;
    }
    const t = textOf(d);
    if (!t) continue;
    const at = t.length === 0 ? 0 : op.at % (t.length + 1);
    if (op.kind === 'type') {
      // Typing character by character, as an editor sends it.
      for (let i = 0; i < op.text.length; i++) t.insert(at + i, op.text[i]!);
    } else if (op.kind === 'delete') {
      if (t.length > 0) t.delete(Math.min(at, t.length - 1), Math.min(op.len, t.length - Math.min(at, t.length - 1)));
    } else if (t.length > 0) {
      t.format(Math.min(at, t.length - 1), op.len, { bold: true });
    }
  }
  return { docs, updates };
}

describe('compactUpdate', () => {
  it('applies to exactly the same document as the updates it compacts, whole or after any prefix', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 80 }), fc.nat(), (ops, cut) => {
        const { docs, updates } = play(ops);
        // Everyone ends up with everything (the reference).
        for (const a of docs) for (const b of docs) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'sync');
        const reference = fingerprint(docs[0]!);

        const whole = new Y.Doc({ gc: false });
        Y.applyUpdate(whole, mergeCompact(updates));
        expect(fingerprint(whole)).toEqual(reference);

        // A revision: a base state, then the compacted rest on top of it (also with gc on, as the live room has).
        const k = updates.length === 0 ? 0 : cut % (updates.length + 1);
        for (const gc of [false, true]) {
          const split = new Y.Doc({ gc });
          if (k > 0) Y.applyUpdate(split, mergeCompact(updates.slice(0, k)));
          if (k < updates.length) Y.applyUpdate(split, mergeCompact(updates.slice(k)));
          expect(fingerprint(split)).toEqual(reference);
        }
        for (const d of [...docs, whole]) d.destroy();
      }),
      { numRuns: fuzzRuns(150) },
    );
  });

  it('keeps two keystrokes apart when someone else typed between them', () => {
    // Alice types A between x and y; Bob types X right after A; Alice, seeing X, types B between A and X.
    // B's right neighbour is X, not y: stored as one run with A it would land after X for some client ids.
    for (const [alice, bob] of [
      [1, 2],
      [2, 1],
    ] as const) {
      const a = new Y.Doc();
      const b = new Y.Doc();
      a.clientID = alice;
      b.clientID = bob;
      const updates: Uint8Array[] = [];
      for (const d of [a, b]) d.on('update', (u: Uint8Array, origin: unknown) => origin !== 'sync' && updates.push(u));
      const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'sync');
      a.getText('t').insert(0, 'xy');
      a.getText('t').insert(1, 'A');
      sync(a, b);
      b.getText('t').insert(2, 'X');
      sync(b, a);
      a.getText('t').insert(2, 'B');
      sync(a, b);
      expect(a.getText('t').toString()).toBe('xABXy');
      const back = new Y.Doc();
      Y.applyUpdate(back, mergeCompact(updates));
      expect(back.getText('t').toString()).toBe('xABXy');
    }
  });

  it('stores a run of typed characters as one struct', () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const text = doc.getText('t');
    const words = 'the quick brown fox jumps over the lazy dog '.repeat(20);
    for (let i = 0; i < words.length; i++) text.insert(i, words[i]!);
    text.delete(10, 5);
    const merged = Y.mergeUpdates(updates);
    const compact = compactUpdate(merged);
    // One struct of ~880 characters plus a delete set, against one struct per keystroke.
    expect(compact.length).toBeLessThan(words.length + 40);
    expect(merged.length).toBeGreaterThan(words.length * 4);
    const back = new Y.Doc();
    Y.applyUpdate(back, compact);
    expect(back.getText('t').toString()).toBe(text.toString());
  });

  it('keeps an update with nothing to merge as it is', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('a', 1);
    doc.getMap('m').set('a', 2);
    const u = Y.encodeStateAsUpdate(doc);
    const back = new Y.Doc();
    Y.applyUpdate(back, compactUpdate(u));
    expect(back.getMap('m').get('a')).toBe(2);
    expect(compactUpdate(Y.mergeUpdates([])).length).toBe(2);
  });
});
