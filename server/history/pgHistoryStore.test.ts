import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { describeWithPostgres } from '../../test/helpers/describeWithPostgres.js';
import { createLogger } from '../logger.js';
import { openPgPool } from '../storage/postgres/openPgPool.js';
import { createPgDocStore } from '../storage/postgres/pgDocStore.js';
import { describeHistoryStore } from './historyStore.contract.js';
import { PgHistoryStore } from './pgHistoryStore.js';
import { revisionParts } from './timeline.js';

describeWithPostgres('history on a private PostgreSQL 15', (postgres) => {

  describeHistoryStore('PostgreSQL', async ({ pauseMs, checkpointBytes, now }) => {
    const pool = await openPgPool({ url: await postgres().createDatabase(), log: createLogger('silent') });
    return {
      store: new PgHistoryStore(pool, { pauseMs, now, policy: { minBytes: checkpointBytes, growth: 0.5, maxRevisions: 1000 } }),
      docs: createPgDocStore(pool, { now }),
      close: () => pool.end(),
    };
  });

  it('loses no history when two processes append, fold and compact one document at the same time', async () => {
    const url = await postgres().createDatabase();
    const log = createLogger('silent');
    // Two pools: two processes' connections, each with its own document store and history.
    const [a, b] = await Promise.all([openPgPool({ url, log }), openPgPool({ url, log })]);
    try {
      const procs = [a, b].map((pool) => ({ docs: createPgDocStore(pool), history: new PgHistoryStore(pool, { pauseMs: 10_000, now: Date.now }) }));
      const docId = 'sessionaaaaaaaaa';
      const writers = [1, 2].map((id) => {
        const doc = new Y.Doc();
        doc.clientID = id;
        return doc;
      });
      const expected: string[] = [];
      for (let round = 0; round < 8; round++) {
        // Each process appends its own change and, at the same time, folds and compacts up to what it stored.
        await Promise.all(
          procs.map(async (p, i) => {
            const doc = writers[i]!;
            const before = Y.encodeStateVector(doc);
            doc.getMap('m').set(`${i}-${round}`, round);
            const seq = (await p.docs.append([{ docId, update: Y.encodeStateAsUpdate(doc, before) }])).get(docId)!;
            await p.history.batchAuthors(docId, seq, [`p:writer ${i}`]);
            await p.history.fold(docId, seq);
            await p.docs.compact(docId, Y.encodeStateAsUpdate(doc), seq);
          }),
        );
        expected.push(`0-${round}`, `1-${round}`);
      }
      for (const p of procs) {
        const timeline = await p.history.timeline(docId, new Map());
        // Every change is in a revision (folded, or still in the log), none twice: the newest version has them all.
        const rebuilt = new Y.Doc();
        for (const r of timeline.revisions) for (const part of await revisionParts(p.history, docId, timeline, r)) Y.applyUpdate(rebuilt, part);
        expect([...rebuilt.getMap('m').keys()].sort()).toEqual([...expected].sort());
        expect(timeline.revisions.every((r) => r.authors.length === 1)).toBe(true);
      }
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });
});
