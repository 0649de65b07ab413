import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from '../storage/docStore.js';
import { kindKey, personKey } from './authorKeys.js';
import type { HistoryStore } from './historyStore.js';
import type { Timeline } from './timeline.js';
import { revisionParts } from './timeline.js';

/** One history store under test, with the document store whose update log it folds, on the same database. */
export interface OpenedHistory {
  store: HistoryStore;
  docs: DocStore;
  close(): Promise<void> | void;
}

export interface HistoryContractOptions {
  pauseMs: number;
  /** Checkpoints after this many bytes of revisions. */
  checkpointBytes: number;
  now: () => number;
}

const PAUSE_MS = 10_000;
const DOC = 'sessionaaaaaaaaa';
const T0 = Date.parse('2026-04-25T09:00:00.000Z');

/** A writer with its own Yjs client id: each `type` is one stored change. */
function writer(clientId: number) {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  return {
    doc,
    type(text: string): Uint8Array {
      const before = Y.encodeStateVector(doc);
      doc.getText('t').insert(doc.getText('t').length, text);
      return Y.encodeStateAsUpdate(doc, before);
    },
  };
}

/** The text of a revision, rebuilt from everything up to it. */
async function textAt(store: HistoryStore, timeline: Timeline, rev: number): Promise<string> {
  const doc = new Y.Doc();
  for (const r of timeline.revisions) {
    if (r.rev > rev) break;
    for (const part of await revisionParts(store, DOC, timeline, r)) Y.applyUpdate(doc, part);
  }
  return doc.getText('t').toString();
}

/**
 * The behaviour every HistoryStore shows, on a fresh database per test:
 * SQLite in sqliteHistoryStore.test.ts, PostgreSQL in pgHistoryStore.test.ts.
 */
export function describeHistoryStore(name: string, open: (opts: HistoryContractOptions) => Promise<OpenedHistory>): void {
  describe(`history store: ${name}`, () => {
    let opened: OpenedHistory;
    let store: HistoryStore;
    let docs: DocStore;
    let clock: number;
    let alice: ReturnType<typeof writer>;
    let bob: ReturnType<typeof writer>;

    beforeEach(async () => {
      clock = T0;
      alice = writer(101);
      bob = writer(202);
      opened = await open({ pauseMs: PAUSE_MS, checkpointBytes: 1, now: () => clock });
      ({ store, docs } = opened);
    });
    afterEach(async () => {
      await opened.close();
    });

    /** Stores one change as a committed batch of `who`, `afterMs` after the previous one. */
    async function commit(who: ReturnType<typeof writer>, name: string, text: string, afterMs = 1000): Promise<number> {
      clock += afterMs;
      if (who !== alice) Y.applyUpdate(who.doc, Y.encodeStateAsUpdate(alice.doc));
      if (who !== bob) Y.applyUpdate(who.doc, Y.encodeStateAsUpdate(bob.doc));
      const seq = (await docs.append([{ docId: DOC, update: who.type(text) }])).get(DOC)!;
      await store.batchAuthors(DOC, seq, [personKey(name)]);
      return seq;
    }

    it('who is in a change, stored in the change’s own transaction, is known with nothing else recorded (as after a kill -9 right after the commit)', async () => {
      const along = async (who: ReturnType<typeof writer>, name: string, text: string): Promise<number> => {
        clock += 1000;
        if (who !== alice) Y.applyUpdate(who.doc, Y.encodeStateAsUpdate(alice.doc));
        if (who !== bob) Y.applyUpdate(who.doc, Y.encodeStateAsUpdate(bob.doc));
        const authors = store.authorsRow(DOC, [personKey(name)]);
        return (await docs.append([{ docId: DOC, update: who.type(text), ...(authors !== undefined ? { authors } : {}) }])).get(DOC)!;
      };
      await along(alice, 'Alice', 'one ');
      await along(alice, 'Alice', 'two ');
      await along(bob, 'Bob', 'three ');
      const last = await along(alice, 'Alice', 'four ');
      const expected = [
        [1, ['p:Alice']],
        [2, ['p:Bob']],
        [3, ['p:Alice']],
      ];
      expect((await store.timeline(DOC, new Map())).revisions.map((r) => [r.rev, r.authors])).toEqual(expected);
      await store.fold(DOC, last);
      const folded = await store.timeline(DOC, new Map());
      expect(folded.revisions.map((r) => [r.rev, r.authors])).toEqual(expected);
      expect(await textAt(store, folded, 2)).toBe('one two three ');
    });

    it('groups stored changes into revisions by author and pause, the same before and after the fold', async () => {
      await commit(alice, 'Alice', 'one ');
      await commit(alice, 'Alice', 'two ');
      await commit(bob, 'Bob', 'three ');
      const last = await commit(bob, 'Bob', 'four ', PAUSE_MS + 1);
      const before = await store.timeline(DOC, new Map());
      expect(before.revisions.map((r) => [r.rev, r.authors, r.folded])).toEqual([
        [1, ['p:Alice'], false],
        [2, ['p:Bob'], false],
        [3, ['p:Bob'], false],
      ]);
      expect(await textAt(store, before, 1)).toBe('one two ');

      await store.fold(DOC, last);
      await store.fold(DOC, last); // idempotent
      const after = await store.timeline(DOC, new Map());
      expect(after.revisions.map((r) => [r.rev, r.authors, r.folded, r.tailSeqs])).toEqual([
        [1, ['p:Alice'], true, []],
        [2, ['p:Bob'], true, []],
        [3, ['p:Bob'], true, []],
      ]);
      expect(await textAt(store, after, 1)).toBe('one two ');
      expect(await textAt(store, after, 2)).toBe('one two three ');
      expect(await textAt(store, after, 3)).toBe('one two three four ');
    });

    it('a restore credited to the person who asked for it is a revision of its own with both as its authors, stored with the change and the same after the fold', async () => {
      const restorer = writer(303);
      await commit(alice, 'Alice', 'one ');
      // The restore's change, its authors stored in its own transaction (as the recorder hands them over).
      clock += 1000;
      Y.applyUpdate(restorer.doc, Y.encodeStateAsUpdate(alice.doc));
      const authors = store.authorsRow(DOC, [kindKey('restore'), personKey('Ann')]);
      await docs.append([{ docId: DOC, update: restorer.type('restored '), ...(authors !== undefined ? { authors } : {}) }]);
      // Ann typing right after, within the pause: a revision of its own too, not part of the restore.
      const last = await commit(alice, 'Ann', 'two ');
      const expected = [
        [1, ['p:Alice']],
        [2, ['k:restore', 'p:Ann']],
        [3, ['p:Ann']],
      ];
      expect((await store.timeline(DOC, new Map())).revisions.map((r) => [r.rev, r.authors])).toEqual(expected);
      await store.fold(DOC, last);
      const folded = await store.timeline(DOC, new Map());
      expect(folded.revisions.map((r) => [r.rev, r.authors])).toEqual(expected);
      expect(await textAt(store, folded, 2)).toBe('one restored ');
    });

    it('keeps every change as history when the document store compacts after the fold, and a later fold grows the open revision', async () => {
      await commit(alice, 'Alice', 'one ');
      const seq = await commit(alice, 'Alice', 'two ');
      await store.fold(DOC, seq);
      await docs.compact(DOC, Y.encodeStateAsUpdate(alice.doc), seq);
      expect((await docs.load(DOC)).updates).toHaveLength(0);
      const more = await commit(alice, 'Alice', 'three ');
      const mid = await store.timeline(DOC, new Map());
      expect(mid.revisions.map((r) => [r.rev, r.folded, r.tailSeqs])).toEqual([[1, true, [more]]]);
      await store.fold(DOC, more);
      const after = await store.timeline(DOC, new Map());
      expect(after.revisions.map((r) => [r.rev, r.authors, r.tailSeqs])).toEqual([[1, ['p:Alice'], []]]);
      expect(await textAt(store, after, 1)).toBe('one two three ');
    });

    it('starts notes older than history from their snapshot (revision 1, the base) and checkpoints as revisions pile up', async () => {
      const seq = await commit(alice, 'Alice', 'old notes ');
      await docs.compact(DOC, Y.encodeStateAsUpdate(alice.doc), seq); // compacted before history folded anything
      for (let i = 0; i < 4; i++) await commit(i % 2 ? alice : bob, i % 2 ? 'Alice' : 'Bob', `line ${i} `);
      const pending = await store.timeline(DOC, new Map());
      expect(pending.revisions[0]).toMatchObject({ rev: 1, base: true });
      expect(await textAt(store, pending, 1)).toBe('old notes ');
      const last = (await docs.load(DOC)).lastSeq;
      await store.fold(DOC, last);
      const folded = await store.timeline(DOC, new Map());
      expect(folded.revisions.map((r) => r.rev)).toEqual([1, 2, 3, 4, 5]);
      expect(await textAt(store, folded, 1)).toBe('old notes ');
      expect(await textAt(store, folded, 5)).toBe('old notes line 0 line 1 line 2 line 3 ');
      // A checkpoint covers revisions that no longer change (all but the newest), rebuilt as the revisions say.
      expect((await store.checkpointAt(DOC, 1))?.rev).toBe(1);
      const cp = await store.checkpointAt(DOC, 4);
      expect(cp?.rev).toBe(4);
      const fromCheckpoint = new Y.Doc();
      Y.applyUpdate(fromCheckpoint, cp!.data);
      expect(fromCheckpoint.getText('t').toString()).toBe(await textAt(store, folded, 4));
      expect(await store.revisionData(DOC, 99)).toBeUndefined();
    });

    it('names the authors of changes nobody recorded from their client ids, and binds client ids (the colour kept when none is given)', async () => {
      await store.bind(DOC, 101, 'person', 'Alice', '#cf222e', '2026-04-25T09:00:00.000Z');
      await store.bind(DOC, 101, 'person', 'Alice', null, '2026-04-25T09:01:00.000Z');
      await store.bind(DOC, 7, 'template', '', null, '2026-04-25T09:00:00.000Z');
      expect(await store.bindingsOf(DOC)).toEqual(
        new Map([
          [101, { key: 'p:Alice', color: '#cf222e' }],
          [7, { key: 'k:template', color: null }],
        ]),
      );
      clock += 1000;
      const seq = (await docs.append([{ docId: DOC, update: alice.type('unrecorded ') }])).get(DOC)!;
      const bindings = await store.bindingsOf(DOC);
      expect((await store.timeline(DOC, bindings)).revisions.map((r) => r.authors)).toEqual([['p:Alice']]);
      await store.fold(DOC, seq);
      expect((await store.timeline(DOC, bindings)).revisions.map((r) => r.authors)).toEqual([['p:Alice']]);
      expect(await store.bindingsOf('sessionbbbbbbbbb')).toEqual(new Map());
    });

    it('names versions, a second name replacing the first', async () => {
      await store.nameVersion(DOC, 2, 'before session', '2026-04-25T09:00:00.000Z');
      await store.nameVersion(DOC, 1, 'draft', '2026-04-25T09:01:00.000Z');
      await store.nameVersion(DOC, 2, 'final minutes', '2026-04-25T09:02:00.000Z');
      expect(await store.versions(DOC)).toEqual([
        { rev: 1, name: 'draft', at: '2026-04-25T09:01:00.000Z' },
        { rev: 2, name: 'final minutes', at: '2026-04-25T09:02:00.000Z' },
      ]);
      expect(await store.versions('sessionbbbbbbbbb')).toEqual([]);
    });
  });
}
