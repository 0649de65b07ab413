import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { searchNormalize } from '../../shared/search/normalize.js';
import type { BlockWrite, SearchIndexStore } from './searchRepo.js';

/** One search index under test: fresh and empty for every test, closed after it. */
export interface OpenedIndex {
  repo: SearchIndexStore;
  close(): Promise<void> | void;
}

const EVENT = 'eventaaaaaaaaaaa';
const OTHER_EVENT = 'eventbbbbbbbbbbb';
const S1 = 'sessionaaaaaaaaa';
const S2 = 'sessionbbbbbbbbb';
const NOW = '2026-04-25T09:00:00.000Z';

const insert = (blockId: string, ord: number, text: string, extra: Partial<Extract<BlockWrite, { kind: 'insert' }>> = {}): BlockWrite => ({
  kind: 'insert',
  blockId,
  ord,
  heading: '',
  actionItemId: null,
  text,
  norm: searchNormalize(text),
  authors: '{}',
  ...extra,
});

/**
 * The behaviour every search index shows (SQLite's FTS5 trigram index in
 * searchRepo.test.ts, PostgreSQL's pg_trgm in pgSearchRepo.test.ts):
 * substrings of three characters or more through the index, shorter ones
 * by a scan, Japanese without word boundaries, nothing a user types read as
 * syntax, one event at a time.
 */
export function describeSearchIndex(name: string, open: () => Promise<OpenedIndex>): void {
  describe(`search index: ${name}`, () => {
    let opened: OpenedIndex;
    let repo: SearchIndexStore;

    beforeEach(async () => {
      opened = await open();
      repo = opened.repo;
      await repo.write(
        [
          {
            sessionId: S1,
            eventId: EVENT,
            blocks: [
              insert('b1', 0, '議事録の共有について話しました'),
              insert('b2', 1, 'Swift erasure coding: 100% of objects_v2', { heading: 'Storage' }),
              insert('b3', 2, 'TODO ship the release notes', { actionItemId: 'item1', authors: '{"101":12,"202":3}' }),
            ],
            docSeq: 7,
          },
          { sessionId: S2, eventId: EVENT, blocks: [insert('b1', 0, '次回は共有ストレージの議事録から')], docSeq: 3 },
          { sessionId: 'sessioncccccccc', eventId: OTHER_EVENT, blocks: [insert('b1', 0, '議事録 in another event')] },
        ],
        NOW,
      );
    });
    afterEach(async () => {
      await opened.close();
    });

    const texts = (rows: { text: string }[]) => rows.map((r) => r.text).sort();

    it('finds Japanese substrings without word boundaries, through the index (3+ characters) and by a scan (shorter), in one event only', async () => {
      expect(texts(await repo.matchBlocks(EVENT, ['議事録'], 10))).toEqual(['次回は共有ストレージの議事録から', '議事録の共有について話しました'].sort());
      expect(texts(await repo.matchBlocks(EVENT, ['議事録', 'ストレージ'], 10))).toEqual(['次回は共有ストレージの議事録から']);
      expect(texts(await repo.scanBlocks(EVENT, ['共有'], 10))).toEqual(['次回は共有ストレージの議事録から', '議事録の共有について話しました'].sort());
      expect(texts(await repo.scanBlocks(EVENT, ['共有', '次'], 10))).toEqual(['次回は共有ストレージの議事録から']);
      expect(await repo.matchBlocks(EVENT, ['会議室'], 10)).toEqual([]);
    });

    it('reads what people type as text, never as syntax (quotes, %, _, backslashes, AND/OR)', async () => {
      expect(texts(await repo.matchBlocks(EVENT, ['100%'], 10))).toEqual(['Swift erasure coding: 100% of objects_v2']);
      expect(texts(await repo.matchBlocks(EVENT, ['s_v2'], 10))).toEqual(['Swift erasure coding: 100% of objects_v2']);
      expect(await repo.matchBlocks(EVENT, ['0%o'], 10)).toEqual([]);
      expect(await repo.matchBlocks(EVENT, ['a_b'], 10)).toEqual([]);
      for (const odd of ['"quoted"', 'x\\y', 'swift OR nothing', 'NEAR(a b)']) expect(await repo.matchBlocks(EVENT, [odd], 10)).toEqual([]);
      expect(texts(await repo.matchBlocks(EVENT, ['swift', 'coding'], 10))).toEqual(['Swift erasure coding: 100% of objects_v2']);
    });

    it('returns whole rows (heading, action item, block), at most `limit`, and the action-item blocks', async () => {
      const [row] = await repo.matchBlocks(EVENT, ['erasure'], 10);
      expect(row).toMatchObject({ session_id: S1, block_id: 'b2', ord: 1, heading: 'Storage', action_item_id: null, norm: searchNormalize('Swift erasure coding: 100% of objects_v2') });
      expect(typeof row!.id).toBe('number');
      expect(await repo.matchBlocks(EVENT, ['議事録'], 1)).toHaveLength(1);
      expect((await repo.actionBlocks(EVENT, 10)).map((r) => [r.block_id, r.action_item_id])).toEqual([['b3', 'item1']]);
      expect(await repo.authorChars(EVENT)).toEqual(
        expect.arrayContaining([
          { session_id: S1, client_id: '101', chars: 12 },
          { session_id: S1, client_id: '202', chars: 3 },
        ]),
      );
    });

    it('updates, moves and deletes blocks, records how far each session is indexed, and starts over on reset', async () => {
      const known = await repo.blocksOf(S1);
      expect([...known.keys()].sort()).toEqual(['b1', 'b2', 'b3']);
      const b1 = known.get('b1')!;
      const b2 = known.get('b2')!;
      await repo.write(
        [
          {
            sessionId: S1,
            eventId: EVENT,
            blocks: [
              { kind: 'text', blockId: 'b1', rowId: b1.rowId, text: '議事録を更新', norm: searchNormalize('議事録を更新'), actionItemId: 'item9', authors: '{"101":6}' },
              { kind: 'place', blockId: 'b2', rowId: b2.rowId, ord: 5, heading: 'Moved' },
              { kind: 'delete', blockId: 'b3', rowId: known.get('b3')!.rowId },
            ],
            docSeq: 9,
          },
        ],
        NOW,
      );
      const after = await repo.blocksOf(S1);
      expect([...after.keys()].sort()).toEqual(['b1', 'b2']);
      expect(after.get('b1')).toMatchObject({ text: '議事録を更新', actionItemId: 'item9', authors: '{"101":6}' });
      expect(after.get('b2')).toMatchObject({ ord: 5, heading: 'Moved' });
      expect(texts(await repo.matchBlocks(EVENT, ['議事録を'], 10))).toEqual(['議事録を更新']);
      expect(await repo.matchBlocks(EVENT, ['話しました'], 10)).toEqual([]);
      expect(await repo.indexedSeq(S1)).toBe(9);
      expect(await repo.indexedSeq(S2)).toBe(3);
      expect(await repo.indexedSeq('sessioncccccccc')).toBeUndefined();

      await repo.reset('2');
      expect(await repo.meta('version')).toBe('2');
      expect(await repo.blocksOf(S1)).toEqual(new Map());
      expect(await repo.indexedSeq(S1)).toBeUndefined();
      expect(await repo.matchBlocks(EVENT, ['議事録'], 10)).toEqual([]);
    });
  });
}
