import pg from 'pg';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailability, startPostgres, type PrivatePostgres } from '../../../test/helpers/postgres.js';
import { createLogger } from '../../logger.js';
import { docStoreContract, textOf, typed } from '../docStoreContract.js';
import { openPgPool } from './openPgPool.js';
import { createPgDocStore } from './pgDocStore.js';
import { PG_SCHEMA_VERSION } from './pgMigrations.js';

const available = postgresAvailability();
if (!available.ok) console.warn(`skipped: ${available.reason}`);

describe.skipIf(!available.ok)('PostgreSQL doc store (a private PostgreSQL 15)', () => {
  let server: PrivatePostgres;
  const log = createLogger('silent');
  const pools: pg.Pool[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
    await server?.stop();
  });

  async function freshPool(url?: string): Promise<{ pool: pg.Pool; url: string }> {
    const dbUrl = url ?? (await server.createDatabase());
    const pool = await openPgPool({ url: dbUrl, log });
    pools.push(pool);
    return { pool, url: dbUrl };
  }

  docStoreContract('PostgreSQL', async (opts) => {
    const { pool } = await freshPool();
    return { store: createPgDocStore(pool, opts), close: () => undefined };
  });

  it('migrates once, records the version, and a second process starting on it changes nothing', async () => {
    const { pool, url } = await freshPool();
    await freshPool(url);
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM rt_schema_versions ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it('a compaction by a process that has not yet received another process’s update keeps that update', async () => {
    const { pool } = await freshPool();
    const a = createPgDocStore(pool);
    const b = createPgDocStore(pool);
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    await a.append([{ docId: 'd', update: typed(docA, 'from A ') }]);
    const fromB = await b.append([{ docId: 'd', update: typed(docB, 'from B') }]);
    // A compacts up to B's sequence number with a state that lacks B's edit.
    await a.compact('d', Y.encodeStateAsUpdate(docA), fromB.get('d')!);
    const loaded = await a.load('d');
    expect(loaded.updates).toHaveLength(0);
    expect(textOf(loaded)).toContain('from A');
    expect(textOf(loaded)).toContain('from B');
  });

  it('a late compaction with an older sequence number than the latest snapshot loses nothing', async () => {
    const { pool } = await freshPool();
    const store = createPgDocStore(pool);
    const doc = new Y.Doc();
    const stale = Y.encodeStateAsUpdate(doc);
    const s1 = await store.append([{ docId: 'd', update: typed(doc, 'one ') }]);
    const s2 = await store.append([{ docId: 'd', update: typed(doc, 'two') }]);
    await store.compact('d', Y.encodeStateAsUpdate(doc), s2.get('d')!);
    await store.compact('d', stale, s1.get('d')!);
    expect(textOf(await store.load('d'))).toBe('one two');
  });

  it('appends and compactions racing from two processes on one document lose nothing', async () => {
    const { pool: poolA, url } = await freshPool();
    const { pool: poolB } = await freshPool(url);
    const a = createPgDocStore(poolA);
    const b = createPgDocStore(poolB);
    const writers = [new Y.Doc(), new Y.Doc()];
    const stores = [a, b];
    const expected: string[] = [];
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      const w = i % 2;
      const word = `w${i} `;
      expected.push(word);
      const update = typed(writers[w]!, word);
      work.push(
        stores[w]!.append([{ docId: 'race', update }]).then((seqs) =>
          i % 5 === 4 ? stores[1 - w]!.compact('race', Y.encodeStateAsUpdate(writers[1 - w]!), seqs.get('race')!) : undefined,
        ),
      );
    }
    await Promise.all(work);
    const text = textOf(await a.load('race'));
    for (const word of expected) expect(text).toContain(word);
  });

  it('what was appended is there for a new pool (another process) after the first one is gone', async () => {
    const { pool, url } = await freshPool();
    const doc = new Y.Doc();
    await createPgDocStore(pool).append([{ docId: 'd', update: typed(doc, 'durable') }]);
    await pool.end();
    pools.splice(pools.indexOf(pool), 1);
    const { pool: again } = await freshPool(url);
    expect(textOf(await createPgDocStore(again).load('d'))).toBe('durable');
  });

  it('an unreachable database is refused at start with the reason and no password', async () => {
    await expect(openPgPool({ url: `postgres://rt:secret@127.0.0.1:1/nowhere`, log, connectTimeoutMs: 2000 })).rejects.toThrow(/PostgreSQL at postgres:\/\/rt:\*\*\*@127\.0\.0\.1:1\/nowhere is unusable/);
  });
});
