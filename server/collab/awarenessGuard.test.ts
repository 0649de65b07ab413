import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import { checkAwarenessUpdate } from './awarenessGuard.js';

const limits = { maxStateBytes: 200, maxClientsPerConnection: 2 };

function frame(entries: [number, number, unknown][]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const [id, clock, state] of entries) {
    encoding.writeVarUint(e, id);
    encoding.writeVarUint(e, clock);
    encoding.writeVarString(e, JSON.stringify(state));
  }
  return encoding.toUint8Array(e);
}

function ids(update: Uint8Array | null): number[] {
  if (!update) return [];
  const d = decoding.createDecoder(update);
  const n = decoding.readVarUint(d);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(decoding.readVarUint(d));
    decoding.readVarUint(d);
    decoding.readVarString(d);
  }
  return out;
}

describe('checkAwarenessUpdate', () => {
  it('claims a new id and keeps the connection’s own entries', () => {
    const r = checkAwarenessUpdate(frame([[7, 1, { user: { name: 'a' } }]]), { owned: new Set(), isForeign: () => false }, limits);
    expect(r).toMatchObject({ ok: true, claimed: [7] });
    expect(r.ok && ids(r.update)).toEqual([7]);
  });

  it('drops relayed entries of other clients instead of applying them', () => {
    const r = checkAwarenessUpdate(
      frame([
        [7, 2, { user: { name: 'me' } }],
        [8, 5, { user: { name: 'someone else' } }],
      ]),
      { owned: new Set([7]), isForeign: (id) => id === 8 },
      limits,
    );
    expect(r.ok && ids(r.update)).toEqual([7]);
  });

  it('does not claim an id for a removal (null state)', () => {
    const r = checkAwarenessUpdate(frame([[9, 3, null]]), { owned: new Set(), isForeign: () => false }, limits);
    expect(r).toEqual({ ok: true, update: null, claimed: [] });
  });

  it('asks about an id only with the state it would show, and tells what each kept entry shows', () => {
    const asked: [number, object][] = [];
    const shown: [number, object][] = [];
    const r = checkAwarenessUpdate(
      frame([
        [7, 2, { user: { name: 'me' } }],
        [8, 5, { user: { name: 'taken' } }],
        [9, 1, { user: { name: 'free' } }],
        [10, 4, null],
      ]),
      {
        owned: new Set([7]),
        isForeign: (id, state) => (asked.push([id, state]), id === 8),
        shown: (id, state) => void shown.push([id, state]),
      },
      limits,
    );
    expect(r).toMatchObject({ ok: true, claimed: [9] });
    expect(r.ok && ids(r.update)).toEqual([7, 9]);
    expect(asked).toEqual([
      [8, { user: { name: 'taken' } }],
      [9, { user: { name: 'free' } }],
    ]);
    expect(shown).toEqual([
      [7, { user: { name: 'me' } }],
      [9, { user: { name: 'free' } }],
    ]);
  });

  it('rejects too many ids, oversized states, non-object states and truncation', () => {
    const none = { owned: new Set<number>(), isForeign: () => false };
    expect(checkAwarenessUpdate(frame([[1, 1, {}], [2, 1, {}], [3, 1, {}]]), none, limits)).toMatchObject({ ok: false, code: 'rejected' });
    expect(checkAwarenessUpdate(frame([[1, 1, { x: 'y'.repeat(300) }]]), none, limits)).toMatchObject({ ok: false, code: 'rejected' });
    expect(checkAwarenessUpdate(frame([[1, 1, [1, 2]]]), none, limits)).toMatchObject({ ok: false, code: 'malformed' });
    expect(checkAwarenessUpdate(frame([[1, 1, 'str']]), none, limits)).toMatchObject({ ok: false, code: 'malformed' });
    const full = frame([[1, 1, { a: 1 }]]);
    expect(checkAwarenessUpdate(full.slice(0, full.length - 2), none, limits)).toMatchObject({ ok: false, code: 'malformed' });
    expect(checkAwarenessUpdate(new Uint8Array([200, 200, 200, 1]), none, limits)).toMatchObject({ ok: false, code: 'malformed' });
  });
});
