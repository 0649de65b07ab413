import { describe, expect, it } from 'vitest';
import { kindKey, personKey, TAGGER_KEY } from './authorKeys.js';
import { groupBatches, type StoredBatch } from './revisionGrouping.js';

const alice = personKey('Alice');
const bob = personKey('Bob');
const b = (seq: number, at: number, ...authors: string[]): StoredBatch => ({ seq, at, authors });
const shape = (groups: ReturnType<typeof groupBatches>) => groups.map((g) => ({ rev: g.rev, seqs: g.seqs, authors: g.authors, ext: g.extendsOpen }));

describe('groupBatches', () => {
  it('keeps one author typing without a 10 s pause in one revision', () => {
    const groups = groupBatches(null, [b(1, 0, alice), b(2, 9_000, alice), b(3, 17_999, alice)], 10_000);
    expect(shape(groups)).toEqual([{ rev: 1, seqs: [1, 2, 3], authors: [alice], ext: false }]);
    expect(groups[0]).toMatchObject({ startedAt: 0, endedAt: 17_999 });
  });

  it('starts a new revision after a pause of 10 s or a change of author', () => {
    const groups = groupBatches(null, [b(1, 0, alice), b(2, 10_000, alice), b(3, 11_000, bob), b(4, 12_000, alice, bob), b(5, 12_500, alice, bob)], 10_000);
    expect(shape(groups)).toEqual([
      { rev: 1, seqs: [1], authors: [alice], ext: false },
      { rev: 2, seqs: [2], authors: [alice], ext: false },
      { rev: 3, seqs: [3], authors: [bob], ext: false },
      { rev: 4, seqs: [4, 5], authors: [alice, bob], ext: false },
    ]);
  });

  it("lets the tagger's housekeeping and unattributed changes join the current revision", () => {
    const groups = groupBatches(null, [b(1, 0, alice), b(2, 200, TAGGER_KEY), b(3, 400), b(4, 600, alice)], 10_000);
    expect(shape(groups)).toEqual([{ rev: 1, seqs: [1, 2, 3, 4], authors: [alice, TAGGER_KEY], ext: false }]);
    // A revision that began as housekeeping takes the first person who writes.
    expect(shape(groupBatches(null, [b(1, 0, TAGGER_KEY), b(2, 100, bob), b(3, 200, alice)], 10_000))).toEqual([
      { rev: 1, seqs: [1, 2], authors: [TAGGER_KEY, bob], ext: false },
      { rev: 2, seqs: [3], authors: [alice], ext: false },
    ]);
  });

  it('gives a restore, an import and the template a revision of their own', () => {
    const restore = kindKey('restore');
    const groups = groupBatches(null, [b(1, 0, kindKey('template')), b(2, 100, alice), b(3, 200, restore), b(4, 300, restore), b(5, 400, alice)], 10_000);
    expect(shape(groups).map((g) => g.seqs)).toEqual([[1], [2], [3], [4], [5]]);
  });

  it('continues the open revision, and numbers on from it', () => {
    const open = { rev: 7, authors: [alice], startedAt: 0, endedAt: 5_000, closed: false };
    expect(shape(groupBatches(open, [b(10, 6_000, alice), b(11, 7_000, bob)], 10_000))).toEqual([
      { rev: 7, seqs: [10], authors: [alice], ext: true },
      { rev: 8, seqs: [11], authors: [bob], ext: false },
    ]);
    expect(shape(groupBatches({ ...open, closed: true }, [b(10, 6_000, alice)], 10_000))).toEqual([{ rev: 8, seqs: [10], authors: [alice], ext: false }]);
    expect(groupBatches(open, [], 10_000)).toEqual([]);
  });

  it('groups the same way whether the batches come at once or in two folds', () => {
    const batches = [b(1, 0, alice), b(2, 500, alice), b(3, 20_000, alice), b(4, 20_100, bob), b(5, 20_200, TAGGER_KEY), b(6, 40_000, bob)];
    const once = groupBatches(null, batches, 10_000);
    for (let cut = 1; cut < batches.length; cut++) {
      const first = groupBatches(null, batches.slice(0, cut), 10_000);
      const last = first.at(-1)!;
      const second = groupBatches(last, batches.slice(cut), 10_000);
      const merged = [...first];
      for (const g of second) {
        if (g.extendsOpen) merged[merged.length - 1] = { ...g, seqs: [...last.seqs, ...g.seqs], extendsOpen: false };
        else merged.push(g);
      }
      expect(shape(merged)).toEqual(shape(once));
    }
  });
});
