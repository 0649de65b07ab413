import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailability, startPostgres, type PrivatePostgres } from '../../../test/helpers/postgres.js';
import { createLogger } from '../../logger.js';
import { openDatabase } from '../database.js';
import { textOf, typed } from '../docStoreContract.js';
import { createSqliteDocStore } from '../docStore.js';
import { openSqlitePorts } from '../openStorage.js';
import type { SessionFields, StoragePorts } from '../ports.js';
import { openPgPool } from './openPgPool.js';
import { openPgPorts } from './openPgPorts.js';

const available = postgresAvailability();
if (!available.ok) console.warn(`skipped: ${available.reason}`);

const fields = (title: string, startsAt: string | null, rooms: string[] = []): SessionFields => ({
  uid: null,
  title,
  startsAt,
  endsAt: startsAt,
  rooms,
  track: null,
  moderators: ['Ana'],
  tags: ['ops'],
  description: null,
});

/**
 * The same story told to the SQLite ports and to the PostgreSQL ports: every
 * answer must be the same, so the server behaves the same on both.
 */
async function story(p: StoragePorts): Promise<unknown[]> {
  const out: unknown[] = [];
  const at = (min: number) => new Date(Date.UTC(2016, 3, 25, 16, min)).toISOString();
  await p.events.create({ id: 'ev1', slug: 'austin', title: 'Ops Meetup', timezone: 'America/Chicago', language: 'en' }, [
    { role: 'view', token: 'tv', hash: 'hv' },
    { role: 'edit', token: 'te', hash: 'he' },
    { role: 'moderate', token: 'tm', hash: 'hm' },
  ], at(0));
  out.push(await p.events.find('austin'), await p.events.find('ev1'), await p.events.hasAny(), await p.events.isSlugTaken('austin'), await p.events.isSlugTaken('paris'));
  const seedDoc = new Y.Doc();
  const seed = typed(seedDoc, 'template');
  await p.sessions.createWithNotes('ev1', [
    { id: 's1', fields: fields('Zed talk', '2016-04-25T17:00:00.000Z', ['Salon B']), seed },
    { id: 's2', fields: fields('Alpha talk', '2016-04-25T16:00:00.000Z', ['Salon A']), seed },
    { id: 's3', fields: fields('Unscheduled', null), seed },
  ], [], at(1));
  out.push((await p.sessions.listByEvent('ev1')).map((s) => s.id), await p.sessions.find('s1'));
  out.push(textOf(await p.docs.load('s2')));
  out.push((await p.sessions.find('s2'))?.notes_updated_at);
  await p.docs.append([{ docId: 's2', update: typed(seedDoc, ' and notes') }]);
  out.push(textOf(await p.docs.load('s2')), (await p.sessions.find('s2'))?.notes_updated_at !== null);
  await p.sessions.update('s1', fields('Zed talk (moved)', '2016-04-25T15:00:00.000Z'), { locked: true, state: 'live', nowDiscussing: 'Q&A' }, at(2));
  out.push(await p.sessions.find('s1'), (await p.sessions.listByEvent('ev1')).map((s) => s.id));
  await p.events.update('ev1', { title: 'Ops Meetup Austin', timezone: 'America/New_York', language: 'ja' }, [{ id: 's2', fields: fields('Alpha talk', '2016-04-25T15:00:00.000Z', ['Salon A']) }], at(3));
  await p.events.setTemplate('ev1', '{"type":"doc"}', at(4));
  out.push(await p.events.find('ev1'), await p.sessions.find('s2'));
  await p.sessions.delete('s3', at(5));
  out.push(await p.sessions.find('s3'), await p.sessions.findDeleted('s3'), await p.sessions.undelete('s3', at(6)), await p.sessions.undelete('s3', at(6)));

  await p.contributors.add('s1', ['Ben', 'Ana'], at(7));
  await p.contributors.add('s1', ['Ana', 'Cleo'], at(8));
  out.push(await p.contributors.list('s1'), await p.contributors.list('nobody'));

  out.push(await p.tokens.resolve('he'), await p.tokens.activeTokens('ev1'));
  out.push(await p.tokens.rotate('ev1', 'edit', { token: 'te2', hash: 'he2' }, at(9)), await p.tokens.resolve('he'), await p.tokens.resolve('he2'), await p.tokens.activeTokens('ev1'));

  const item = (id: string, sessionId: string, position: string, extra: Partial<{ owners: string[]; tags: string[]; due: string | null }> = {}) => ({
    id, eventId: 'ev1', sessionId, text: `item ${id}`, owners: extra.owners ?? [], due: extra.due ?? null, tags: extra.tags ?? [], status: 'open' as const, source: 'prefix', position,
  });
  await p.actionItems.apply([item('a1', 's1', '0002', { owners: ['@Ana'], due: '2016-04-20' }), item('a2', 's1', '0001', { tags: ['nfv'] }), item('a3', 's2', '0001')], [], at(10));
  await p.actionItems.apply([], ['a3'], at(11), [{ id: 'a2', position: '0003' }]);
  out.push(await p.actionItems.find('a1'), await p.actionItems.find('a3'), await p.actionItems.sessionsOf(['a1', 'a3', 'zz']));
  out.push((await p.actionItems.listBySession('s1')).map((r) => r.id));
  out.push((await p.actionItems.listByEvent('ev1')).map((r) => r.id), (await p.actionItems.listByEvent('ev1', { owner: 'ana' })).map((r) => r.id));
  out.push((await p.actionItems.listByEvent('ev1', { tag: '##NFV' })).map((r) => r.id), (await p.actionItems.listByEvent('ev1', { overdueOn: '2016-04-25' })).map((r) => r.id));
  await p.actionItems.setStatus('a1', 'done', at(12));
  await p.actionItems.apply([item('c1', 's2', '0005')], [], at(13));
  await p.actionItems.link('c1', 'a1');
  out.push((await p.actionItems.linkedTo((await p.actionItems.find('c1'))!)).map((r) => r.id), await p.actionItems.find('a1'));

  await p.joinCodes.insert({ code: 'ABC123', eventId: 'ev1', sessionId: 's1', role: 'edit', tokenHash: 'he2', now: at(14), expiresAt: at(44) });
  await p.joinCodes.insert({ code: 'OLD999', eventId: 'ev1', sessionId: 's1', role: 'view', tokenHash: 'hv', now: at(0), expiresAt: at(10) });
  out.push(await p.joinCodes.reusable('s1', 'edit', 'he2', at(20)), await p.joinCodes.reusable('s1', 'edit', 'he2', at(50)));
  out.push(await p.joinCodes.resolve('ABC123', at(15)), await p.joinCodes.resolve('OLD999', at(15)));
  await p.joinCodes.purgeExpired(at(15));
  out.push(await p.joinCodes.resolve('OLD999', at(5)));
  await p.tokens.rotate('ev1', 'edit', { token: 'te3', hash: 'he3' }, at(16));
  out.push(await p.joinCodes.resolve('ABC123', at(17)));
  return out;
}

describe.skipIf(!available.ok)('PostgreSQL storage ports answer as SQLite’s do (a private PostgreSQL 15)', () => {
  let server: PrivatePostgres;
  const pools: pg.Pool[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await server?.stop();
  });

  it('tells the same story: events, sessions with seeded notes, contributors, tokens, action items, join codes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-ports-'));
    const db = openDatabase(dir);
    const clock = { now: () => Date.UTC(2016, 3, 25, 18) };
    const sqlite: StoragePorts = { docs: createSqliteDocStore(db, clock), ...openSqlitePorts(db) };
    const pool = await openPgPool({ url: await server.createDatabase(), log: createLogger('silent') });
    pools.push(pool);
    const expected = await story(sqlite);
    const actual = await story(openPgPorts(pool, clock));
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    for (let i = 0; i < expected.length; i++) expect({ step: i, answer: actual[i] }).toEqual({ step: i, answer: expected[i] });
  });

  it('a new session and its template commit together: a failing seed leaves no session', async () => {
    const pool = await openPgPool({ url: await server.createDatabase(), log: createLogger('silent') });
    pools.push(pool);
    const p = openPgPorts(pool);
    await p.events.create({ id: 'ev1', slug: 'x', title: 'X', timezone: 'UTC', language: 'en' }, [], new Date().toISOString());
    // A second create with the same id fails inside the unit: the first session of that call must not remain either.
    const seed = typed(new Y.Doc(), 't');
    await p.sessions.createWithNotes('ev1', [{ id: 'dup', fields: fields('one', null), seed }], [], new Date().toISOString());
    await expect(p.sessions.createWithNotes('ev1', [{ id: 'fresh', fields: fields('two', null), seed }, { id: 'dup', fields: fields('again', null), seed }], [], new Date().toISOString())).rejects.toThrow();
    expect(await p.sessions.find('fresh')).toBeUndefined();
    expect((await p.docs.load('fresh')).updates).toHaveLength(0);
  });
});
