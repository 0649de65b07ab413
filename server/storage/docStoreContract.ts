import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { DocStore, DocStoreOptions } from './docStore.js';

/** A fresh, empty store (its own database) with these options; `close` runs after the test. */
export type OpenDocStore = (opts: DocStoreOptions) => Promise<{ store: DocStore; close(): Promise<void> | void }>;

const MINUTE = 60_000;

export function typed(doc: Y.Doc, text: string): Uint8Array {
  let update: Uint8Array = new Uint8Array();
  const capture = (u: Uint8Array) => (update = u);
  doc.on('update', capture);
  doc.getText('t').insert(doc.getText('t').length, text);
  doc.off('update', capture);
  return update;
}

export function textOf(stored: { snapshot: Uint8Array | null; updates: Uint8Array[] }): string {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
}

/**
 * What every DocStore (SQLite, PostgreSQL) must do, run against the real
 * database by each implementation's test file.
 */
export function docStoreContract(name: string, open: OpenDocStore): void {
  describe(`DocStore contract: ${name}`, () => {
    it('appends in one call for several documents and answers each one’s last sequence number, increasing', async () => {
      const { store, close } = await open({});
      try {
        const a = new Y.Doc();
        const b = new Y.Doc();
        const first = await store.append([
          { docId: 'a', update: typed(a, 'one ') },
          { docId: 'b', update: typed(b, 'uno ') },
          { docId: 'a', update: typed(a, 'two') },
        ]);
        const second = await store.append([{ docId: 'b', update: typed(b, 'dos') }]);
        expect(second.get('b')!).toBeGreaterThan(first.get('b')!);
        expect(first.get('a')!).toBeGreaterThan(first.get('b')!);
        const la = await store.load('a');
        expect(la.snapshot).toBeNull();
        expect(la.updates).toHaveLength(2);
        expect(la.lastSeq).toBe(first.get('a'));
        expect(textOf(la)).toBe('one two');
        expect(textOf(await store.load('b'))).toBe('uno dos');
        expect(await store.load('never')).toEqual({ snapshot: null, updates: [], lastSeq: 0 });
      } finally {
        await close();
      }
    });

    it('compacts into a snapshot; the snapshot plus later updates rebuild the document', async () => {
      const { store, close } = await open({});
      try {
        const doc = new Y.Doc();
        const s1 = await store.append([{ docId: 'd', update: typed(doc, 'before ') }]);
        await store.compact('d', Y.encodeStateAsUpdate(doc), s1.get('d')!);
        expect(store.pendingUpdateCount('d')).toBe(0);
        const s2 = await store.append([{ docId: 'd', update: typed(doc, 'after') }]);
        const loaded = await store.load('d');
        expect(loaded.snapshot).not.toBeNull();
        expect(loaded.updates).toHaveLength(1);
        expect(loaded.lastSeq).toBe(s2.get('d'));
        expect(textOf(loaded)).toBe('before after');
      } finally {
        await close();
      }
    });

    it('keeps the latest snapshot and older checkpoints at most one per spacing', async () => {
      let clock = 0;
      const { store, close } = await open({ now: () => clock, checkpointSpacingMs: 5 * MINUTE });
      try {
        const doc = new Y.Doc();
        for (let minute = 0; minute <= 30; minute++) {
          clock = minute * MINUTE;
          const seqs = await store.append([{ docId: 'd', update: typed(doc, `m${minute} `) }]);
          await store.compact('d', Y.encodeStateAsUpdate(doc), seqs.get('d')!);
        }
        const kept = await store.checkpoints('d');
        expect(kept.map((c) => c.createdAt / MINUTE)).toEqual([30, 25, 20, 15, 10, 5, 0]);
        const copy = new Y.Doc();
        Y.applyUpdate(copy, kept[0]!.data);
        expect(copy.getText('t').toString()).toBe(doc.getText('t').toString());
      } finally {
        await close();
      }
    });
  });
}
