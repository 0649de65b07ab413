import { expect, it } from 'vitest';
import { describeWithPostgres } from '../../../test/helpers/describeWithPostgres.js';
import { searchNormalize } from '../../../shared/search/normalize.js';
import { createLogger } from '../../logger.js';
import { describeSearchIndex } from '../searchIndex.contract.js';
import { openPgPool } from './openPgPool.js';
import { PgSearchRepo } from './pgSearchRepo.js';

describeWithPostgres('search on a private PostgreSQL 15', (postgres) => {

  describeSearchIndex('PostgreSQL (pg_trgm)', async () => {
    const pool = await openPgPool({ url: await postgres().createDatabase(), log: createLogger('silent') });
    return { repo: new PgSearchRepo(pool), close: () => pool.end() };
  });

  it('two processes indexing one session write the same rows: a block is never there twice, and the last write of it wins', async () => {
    const url = await postgres().createDatabase();
    const log = createLogger('silent');
    const [a, b] = await Promise.all([openPgPool({ url, log }), openPgPool({ url, log })]);
    try {
      const [ra, rb] = [new PgSearchRepo(a), new PgSearchRepo(b)];
      const block = (text: string) => ({ kind: 'insert' as const, blockId: 'b1', ord: 0, heading: '', actionItemId: null, text, norm: searchNormalize(text), authors: '{}' });
      // Neither knew the block: both insert it, at the same time.
      await Promise.all([
        ra.write([{ sessionId: 'sessionaaaaaaaaa', eventId: 'eventaaaaaaaaaaa', blocks: [block('first draft')] }], '2026-04-25T09:00:00.000Z'),
        rb.write([{ sessionId: 'sessionaaaaaaaaa', eventId: 'eventaaaaaaaaaaa', blocks: [block('first draft')] }], '2026-04-25T09:00:00.000Z'),
      ]);
      expect((await ra.matchBlocks('eventaaaaaaaaaaa', ['draft'], 10)).map((r) => r.text)).toEqual(['first draft']);
      // B edits with the row id A got for it (its own memory of the block): the block, not the row id, is what is written.
      await rb.write([{ sessionId: 'sessionaaaaaaaaa', eventId: 'eventaaaaaaaaaaa', blocks: [{ kind: 'text', blockId: 'b1', rowId: -1, text: 'second draft', norm: 'second draft', actionItemId: null, authors: '{}' }] }], '2026-04-25T09:00:01.000Z');
      expect((await ra.matchBlocks('eventaaaaaaaaaaa', ['draft'], 10)).map((r) => r.text)).toEqual(['second draft']);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });
});
