import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailability, startPostgres, type PrivatePostgres } from '../../test/helpers/postgres.js';
import { targetColumns, upsertRows } from './copyRows.js';

const available = postgresAvailability();
if (!available.ok) console.warn(`skipped: ${available.reason}`);

describe.skipIf(!available.ok)('upsertRows (the migration’s writes)', () => {
  let server: PrivatePostgres;
  let db: pg.Client;
  beforeAll(async () => {
    server = await startPostgres();
    db = new pg.Client({ connectionString: await server.createDatabase() });
    await db.connect();
    await db.query('CREATE TABLE t (a TEXT, b INTEGER, c TEXT, extra TEXT DEFAULT \'kept\', PRIMARY KEY (a, b))');
    await db.query('CREATE TABLE log (seq BIGINT PRIMARY KEY, data BYTEA NOT NULL)');
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    await server?.stop();
  });

  it('counts rows inserted or changed, never rows already there as they are; columns the target lacks are left out', async () => {
    const columns = (await targetColumns(db, 't'))!;
    expect(await targetColumns(db, 'no_such_table')).toBeNull();
    const rows = Array.from({ length: 1200 }, (_, i) => ({ a: `k${i % 7}`, b: i, c: i % 3 === 0 ? null : `v${i}`, onlyInSource: 'x' }));
    const copy = { table: 't', key: ['a', 'b'] };
    expect(await upsertRows(db, copy, rows, columns)).toBe(1200);
    expect(await upsertRows(db, copy, rows, columns)).toBe(0);
    const changed = rows.map((r) => (r.b === 5 ? { ...r, c: null } : r.b === 6 ? { ...r, c: 'new' } : r));
    expect(await upsertRows(db, copy, changed, columns)).toBe(2);
    const { rows: back } = await db.query<{ b: number; c: string | null; extra: string }>('SELECT b, c, extra FROM t WHERE b IN (5, 6, 9) ORDER BY b');
    expect(back).toEqual([{ b: 5, c: null, extra: 'kept' }, { b: 6, c: 'new', extra: 'kept' }, { b: 9, c: null, extra: 'kept' }]);
  });

  it('leaves an immutable row as it is (the update log): a different row under the same key is not overwritten', async () => {
    const columns = (await targetColumns(db, 'log'))!;
    const copy = { table: 'log', key: ['seq'], immutable: true };
    expect(await upsertRows(db, copy, [{ seq: 1, data: Buffer.from([1, 2, 3]) }], columns)).toBe(1);
    expect(await upsertRows(db, copy, [{ seq: 1, data: Buffer.from([9]) }, { seq: 2, data: Buffer.from([4]) }], columns)).toBe(1);
    const { rows } = await db.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM log ORDER BY seq');
    expect(rows.map((r) => [Number(r.seq), [...r.data]])).toEqual([[1, [1, 2, 3]], [2, [4]]]);
  });
});
