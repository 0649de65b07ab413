import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { admitUpdateByYjsDecode } from '../../test/fixtures/admitUpdateByYjsDecode.js';
import { applyNotesOp, mutate, mutation, notesSession } from '../../test/fixtures/randomNotes.js';
import { deeplyNestedUpdate, YJS_HOSTILE_UPDATES } from '../../test/fixtures/yjsHostileUpdates.js';
import { fuzzRuns } from '../../test/helpers/fuzz.js';
import { UPDATE_LIMITS } from './handleMessage.js';
import { admitUpdate, type AdmissionLimits } from './updateAdmission.js';
import { validateUpdateV1 } from './updateValidation.js';

const clientId = fc.integer({ min: 1, max: 2 ** 32 - 1 });
const timeoutFor = (runs: number) => Math.max(20_000, runs * 80);

/** Small limits too, so that the limit checks themselves are reached by random sessions. */
const TIGHT: AdmissionLimits = { maxDepth: 3, maxNodes: 4, maxTextPerNode: 12 };

/**
 * Admission reads the validator's flat shape of an update instead of
 * decoding it with Yjs: on every update the validator lets through, it
 * must decide exactly what the Yjs-decoding admission decided.
 */
function expectSameVerdict(doc: Y.Doc, update: Uint8Array): void {
  if (validateUpdateV1(update) !== null) return;
  for (const limits of [UPDATE_LIMITS, TIGHT]) {
    expect(admitUpdate(doc, update, limits)).toEqual(admitUpdateByYjsDecode(doc, update, limits));
  }
}

function docWith(...updates: Uint8Array[]): Y.Doc {
  const d = new Y.Doc();
  for (const u of updates) if (validateUpdateV1(u) === null) Y.applyUpdate(d, u);
  return d;
}

describe('admission from the validated shape, fuzzed against the Yjs-decoding admission', () => {
  it('decides the same for every update of two editing sessions, their merges, offline catch-ups and broken bytes, against an empty and a partial document', () => {
    fc.assert(
      fc.property(clientId, clientId, notesSession(12), notesSession(10), notesSession(8), fc.array(mutation, { minLength: 1, maxLength: 3 }), (a, b, baseOps, aliceOps, bobOps, mutations) => {
        const alice = new Y.Doc();
        alice.clientID = a;
        for (const op of baseOps) applyNotesOp(alice, op);
        const base = Y.encodeStateAsUpdate(alice);
        const bob = docWith(base);
        bob.clientID = b === a ? b + 1 : b;
        const sv = Y.encodeStateVector(alice);
        const updates: Uint8Array[] = [];
        alice.on('update', (u: Uint8Array) => updates.push(u));
        bob.on('update', (u: Uint8Array) => updates.push(u));
        for (const op of aliceOps) applyNotesOp(alice, op);
        for (const op of bobOps) applyNotesOp(bob, op);
        const candidates = [
          ...updates,
          Y.mergeUpdates(updates.length > 0 ? updates : [base]),
          Y.encodeStateAsUpdate(alice),
          Y.encodeStateAsUpdate(bob, sv),
          Y.mergeUpdates([Y.encodeStateAsUpdate(alice, sv), Y.encodeStateAsUpdate(bob, sv)]),
        ];
        for (const original of [...candidates]) {
          let broken = original;
          for (const m of mutations) broken = mutate(broken, m);
          candidates.push(broken);
        }
        const targets = [new Y.Doc(), docWith(base), docWith(base, ...updates.slice(0, updates.length >> 1))];
        for (const target of targets) for (const u of candidates) expectSameVerdict(target, u);
      }),
      { numRuns: fuzzRuns(80) },
    );
  }, timeoutFor(fuzzRuns(80)));

  it('decides the same for the known hostile updates and for nesting around the limit', () => {
    for (const bytes of Object.values(YJS_HOSTILE_UPDATES)) expectSameVerdict(new Y.Doc(), new Uint8Array(bytes));
    for (const depth of [2, 3, 4, 62, 63, 64, 300]) expectSameVerdict(new Y.Doc(), deeplyNestedUpdate(depth));
  });

  it('refuses, as Yjs’ decoder does, a Skip whose info byte carries item flags', () => {
    // One client (id 1) with one struct at clock 0: info 0b1100_1010 (ref 10 plus origin flags), length 1; empty delete set.
    const update = new Uint8Array([1, 1, 1, 0, 0b1100_1010, 1, 0]);
    expect(validateUpdateV1(update)).toBeNull();
    expect(admitUpdateByYjsDecode(new Y.Doc(), update, UPDATE_LIMITS)).toMatchObject({ ok: false, kind: 'malformed' });
    expect(admitUpdate(new Y.Doc(), update, UPDATE_LIMITS)).toMatchObject({ ok: false, kind: 'malformed' });
  });
});
