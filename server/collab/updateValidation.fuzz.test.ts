import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import { fuzzRuns } from '../../test/helpers/fuzz.js';
import { applyNotesOp, mutate, mutation, notesSession } from '../../test/fixtures/randomNotes.js';
import { measureNesting } from './docShape.js';
import { admitUpdate } from './updateAdmission.js';
import { UPDATE_LIMITS } from './handleMessage.js';
import { validateUpdateV1, type UpdateRanges } from './updateValidation.js';

/** Client ids come from the generator, so a failure replays byte for byte. */
const clientId = fc.integer({ min: 1, max: 2 ** 32 - 1 });

/** Generous per-test time: `npm run fuzz` runs thousands of cases. */
const timeoutFor = (runs: number) => Math.max(20_000, runs * 60);

function pending(doc: Y.Doc): boolean {
  const store = doc.store as { pendingStructs: unknown; pendingDs: unknown };
  return store.pendingStructs !== null || store.pendingDs !== null;
}

function copyOf(doc: Y.Doc): Y.Doc {
  const c = new Y.Doc();
  Y.applyUpdate(c, Y.encodeStateAsUpdate(doc));
  return c;
}

describe('update validation and admission, fuzzed', () => {
  it('every update an editing session produces is well formed; it is admitted exactly when the document stays within the nesting limit, and then applies cleanly', () => {
    fc.assert(
      fc.property(clientId, notesSession(), (id, ops) => {
        const client = new Y.Doc();
        client.clientID = id;
        const server = new Y.Doc();
        const updates: Uint8Array[] = [];
        client.on('update', (u: Uint8Array) => updates.push(u));
        for (const op of ops) {
          updates.length = 0;
          applyNotesOp(client, op);
          for (const u of updates) {
            expect(validateUpdateV1(u)).toBeNull();
            const verdict = admitUpdate(server, u, UPDATE_LIMITS);
            const trial = copyOf(server);
            Y.applyUpdate(trial, u);
            const tooDeep = measureNesting(trial).maxDepth > LIMITS.maxNestingDepth;
            if (!verdict.ok) {
              // The only way a real client's update is refused: it nests too deeply.
              expect(verdict).toMatchObject({ kind: 'limit', reason: 'update nests too deeply' });
              expect(tooDeep).toBe(true);
              return;
            }
            expect(tooDeep).toBe(false);
            Y.applyUpdate(server, u);
            expect(pending(server)).toBe(false);
          }
        }
        expect(server.getXmlFragment('default').toString()).toBe(client.getXmlFragment('default').toString());
      }),
      { numRuns: fuzzRuns(60) },
    );
  }, timeoutFor(fuzzRuns(60)));

  it('on broken bytes it never throws, and whatever it lets through Yjs applies without throwing or parking anything', () => {
    fc.assert(
      fc.property(clientId, notesSession(12), notesSession(6), fc.array(mutation, { minLength: 1, maxLength: 3 }), (id, baseOps, ops, mutations) => {
        const client = new Y.Doc();
        client.clientID = id;
        for (const op of baseOps) applyNotesOp(client, op);
        const base = Y.encodeStateAsUpdate(client);
        const sv = Y.encodeStateVector(client);
        for (const op of ops) applyNotesOp(client, op);
        for (const original of [Y.encodeStateAsUpdate(client), Y.encodeStateAsUpdate(client, sv)]) {
          let bytes = original;
          for (const m of mutations) bytes = mutate(bytes, m);
          let verdict: string | null = null;
          expect(() => (verdict = validateUpdateV1(bytes))).not.toThrow();
          if (verdict !== null) continue;
          for (const target of [new Y.Doc(), (() => {
            const d = new Y.Doc();
            if (validateUpdateV1(base) === null) Y.applyUpdate(d, base);
            return d;
          })()]) {
            let admitted: ReturnType<typeof admitUpdate> | undefined;
            expect(() => (admitted = admitUpdate(target, bytes, UPDATE_LIMITS))).not.toThrow();
            if (!admitted!.ok) continue;
            const deepBefore = measureNesting(target).maxDepth > LIMITS.maxNestingDepth;
            expect(() => Y.applyUpdate(target, bytes)).not.toThrow();
            expect(pending(target)).toBe(false);
            if (!deepBefore) expect(measureNesting(target).maxDepth).toBeLessThanOrEqual(LIMITS.maxNestingDepth);
          }
        }
      }),
      { numRuns: fuzzRuns(150) },
    );
  }, timeoutFor(fuzzRuns(150)));
  it('the clock ranges it reads in the same pass are what Y.parseUpdateMeta reads: every update of a session, whole states, merges, and broken bytes it lets through', () => {
    const rangesOf = (u: Uint8Array): UpdateRanges | null => {
      const ranges: UpdateRanges = { from: new Map(), to: new Map() };
      return validateUpdateV1(u, ranges) === null ? ranges : null;
    };
    fc.assert(
      fc.property(clientId, clientId, notesSession(), notesSession(10), fc.array(mutation, { minLength: 1, maxLength: 3 }), (a, b, ops, otherOps, mutations) => {
        const alice = new Y.Doc();
        alice.clientID = a;
        const updates: Uint8Array[] = [];
        alice.on('update', (u: Uint8Array) => updates.push(u));
        for (const op of ops) applyNotesOp(alice, op);
        const bob = new Y.Doc();
        bob.clientID = b === a ? b + 1 : b;
        Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
        const sv = Y.encodeStateVector(bob);
        for (const op of otherOps) applyNotesOp(bob, op);
        const wellFormed = [...updates, Y.encodeStateAsUpdate(alice), Y.encodeStateAsUpdate(bob), Y.encodeStateAsUpdate(bob, sv), Y.mergeUpdates(updates.length > 0 ? updates : [new Uint8Array([0, 0])])];
        for (const u of wellFormed) {
          const ranges = rangesOf(u);
          expect(ranges).not.toBeNull();
          expect(ranges).toEqual(Y.parseUpdateMeta(u));
        }
        let broken = Y.encodeStateAsUpdate(bob);
        for (const m of mutations) broken = mutate(broken, m);
        const ranges = rangesOf(broken);
        if (ranges) expect(ranges).toEqual(Y.parseUpdateMeta(broken));
      }),
      { numRuns: fuzzRuns(60) },
    );
  }, timeoutFor(fuzzRuns(60)));
});
