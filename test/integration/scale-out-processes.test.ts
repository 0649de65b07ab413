import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AckingWriter } from '../helpers/ackingWriter.js';
import { runChildServerToExit, startChildServer, type ChildServer } from '../helpers/childServer.js';
import { postgresAvailability, startPostgres, type PrivatePostgres } from '../helpers/postgres.js';
import { redisAvailability, startRedis, type PrivateRedis } from '../helpers/redis.js';
import { api, createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

const pgOk = postgresAvailability();
const redisOk = redisAvailability();
for (const a of [pgOk, redisOk]) if (!a.ok) console.warn(`skipped: ${a.reason}`);

type Presence = { user?: { name?: string } } | undefined;

describe.skipIf(!pgOk.ok || !redisOk.ok)('two server processes on one PostgreSQL and one Redis', () => {
  let pg: PrivatePostgres;
  let redis: PrivateRedis;
  const children: ChildServer[] = [];
  const clients: YClient[] = [];
  const writers: AckingWriter[] = [];
  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  }, 60_000);
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const w of writers.splice(0)) w.close();
    await Promise.all(children.splice(0).map((c) => c.kill9()));
  });
  afterAll(async () => {
    await Promise.all([pg?.stop(), redis?.stop()]);
  });

  async function twoProcesses(): Promise<[ChildServer, ChildServer]> {
    const env = { DATABASE_URL: await pg.createDatabase(), REDIS_URL: redis.url };
    // Each its own data directory: everything shared is in PostgreSQL.
    const a = await startChildServer(tempDataDir(), { env });
    children.push(a);
    const b = await startChildServer(tempDataDir(), { env });
    children.push(b);
    return [a, b];
  }

  function client(server: ChildServer, sessionId: string, token: string): YClient {
    const c = connectClient(server.wsUrl, sessionId, token);
    clients.push(c);
    return c;
  }

  it('clients on A and B converge and see each other; an action item tagged on A is in B’s API; /readyz checks both services', async () => {
    const [a, b] = await twoProcesses();
    const { event, session } = await createEventWithSession(a.url);
    const ana = client(a, session.id, event.tokens.edit);
    const ben = client(b, session.id, event.tokens.edit);
    await Promise.all([waitForSync(ana), waitForSync(ben)]);
    ana.provider.awareness.setLocalStateField('user', { name: 'Ana', color: '#d23f31' });
    ben.provider.awareness.setLocalStateField('user', { name: 'Ben', color: '#3366cc' });
    for (let i = 0; i < 10; i++) {
      appendParagraph(ana.doc, `A line ${i}`);
      appendParagraph(ben.doc, `B line ${i}`);
    }
    await waitFor(() => notesText(ana.doc).includes('B line 9') && notesText(ben.doc).includes('A line 9'), 15_000, 'convergence');
    await waitFor(() => notesText(ana.doc) === notesText(ben.doc), 15_000, 'identical notes');
    await waitFor(() => (ben.provider.awareness.getStates().get(ana.doc.clientID) as Presence)?.user?.name === 'Ana', 15_000, 'Ana on B');
    await waitFor(() => (ana.provider.awareness.getStates().get(ben.doc.clientID) as Presence)?.user?.name === 'Ben', 15_000, 'Ben on A');

    appendParagraph(ana.doc, 'ACTION: @ben book the room');
    await expect
      .poll(async () => (await api<{ items: { text: string }[] }>(b.url, 'GET', `/api/sessions/${session.id}/action-items`, { token: event.tokens.view })).body.items.map((i) => i.text), { timeout: 15_000 })
      .toContainEqual(expect.stringContaining('book the room'));

    const ready = await api<{ ready: boolean; checks: Record<string, { ok: boolean }> }>(b.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.postgres?.ok).toBe(true);
    expect(ready.body.checks.redis?.ok).toBe(true);
  });

  it('kill -9 of A loses nothing A acknowledged, and B keeps serving the session', async () => {
    const [a, b] = await twoProcesses();
    const { event, session } = await createEventWithSession(a.url);
    const ben = client(b, session.id, event.tokens.edit);
    await waitForSync(ben);
    const writer = await AckingWriter.open(a.wsUrl, session.id, event.tokens.edit);
    writers.push(writer);
    const stop = writer.typeContinuously('acked on A', 5);
    await waitFor(() => writer.acked >= 30, 15_000, 'acknowledgements from A');
    await a.kill9();
    stop();
    const acked = writer.ackedTexts();
    expect(acked.length).toBeGreaterThanOrEqual(30);

    // B still serves: its client goes on typing, and a newcomer on B finds every acknowledged line.
    appendParagraph(ben.doc, 'B after the crash');
    const late = client(b, session.id, event.tokens.view);
    await waitForSync(late);
    await waitFor(() => notesText(late.doc).includes('B after the crash'), 15_000, 'B serving');
    const text = notesText(late.doc);
    for (const line of acked) expect(text).toContain(line);
  });

  it('a Redis restart mid-session: both catch up from PostgreSQL and converge', async () => {
    const [a, b] = await twoProcesses();
    const { event, session } = await createEventWithSession(a.url);
    const ana = client(a, session.id, event.tokens.edit);
    const ben = client(b, session.id, event.tokens.edit);
    await Promise.all([waitForSync(ana), waitForSync(ben)]);
    appendParagraph(ana.doc, 'before the restart');
    await waitFor(() => notesText(ben.doc).includes('before the restart'), 15_000, 'first line across');
    await redis.restart();
    // Typed while Redis is down or just back: nothing of it may depend on pub/sub having carried it.
    appendParagraph(ana.doc, 'during the restart from A');
    appendParagraph(ben.doc, 'during the restart from B');
    await waitFor(
      () => notesText(ben.doc).includes('during the restart from A') && notesText(ana.doc).includes('during the restart from B'),
      20_000,
      'convergence after the restart',
    );
    await expect.poll(async () => (await api<{ checks: Record<string, { ok: boolean }> }>(a.url, 'GET', '/readyz')).body.checks.redis?.ok, { timeout: 15_000 }).toBe(true);
  });

  it('an unreachable PostgreSQL or Redis stops start-up with the reason', async () => {
    const noDb = await runChildServerToExit(tempDataDir(), { env: { DATABASE_URL: 'postgres://rt:secret@127.0.0.1:1/rt' } });
    expect(noDb.code).not.toBe(0);
    expect(noDb.stderr).toMatch(/PostgreSQL at postgres:\/\/rt:\*\*\*@127\.0\.0\.1:1\/rt is unusable/);
    expect(noDb.stderr).not.toContain('secret');
    const noRedis = await runChildServerToExit(tempDataDir(), { env: { DATABASE_URL: await pg.createDatabase(), REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(noRedis.code).not.toBe(0);
    expect(noRedis.stderr).toMatch(/Redis at redis:\/\/127\.0\.0\.1:1 is unreachable/);
  });
});

describe.skipIf(!pgOk.ok)('PostgreSQL going away while clients type', () => {
  let pg: PrivatePostgres;
  let child: ChildServer | undefined;
  const writers: AckingWriter[] = [];
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const w of writers) w.close();
    await child?.kill9();
    await pg?.stop();
  });

  it('no false "saved" while the database is down; /readyz says so; the process serves again once it is back', async () => {
    const databaseUrl = await pg.createDatabase();
    child = await startChildServer(tempDataDir(), { env: { DATABASE_URL: databaseUrl } });
    const { event, session } = await createEventWithSession(child.url);
    const before = await AckingWriter.open(child.wsUrl, session.id, event.tokens.edit);
    writers.push(before);
    before.write('stored before the outage');
    await waitFor(() => before.acked >= 1, 10_000, 'first ack');

    await pg.halt();
    const ackedAtOutage = before.acked;
    before.write('typed during the outage');
    // The commit fails (after its retries): the writer is told to reconnect, never that the line was saved.
    const closed = await before.closed;
    expect(closed.code).toBe(4500);
    expect(before.acked).toBe(ackedAtOutage);
    await expect.poll(async () => (await api<{ checks: Record<string, { ok: boolean }> }>(child!.url, 'GET', '/readyz')).status, { timeout: 15_000 }).toBe(503);

    await pg.start();
    await expect.poll(async () => (await api(child!.url, 'GET', '/readyz')).status, { timeout: 20_000 }).toBe(200);
    // Back: new writes are acknowledged again, and what was stored before is served.
    const again = await AckingWriter.open(child.wsUrl, session.id, event.tokens.edit);
    writers.push(again);
    again.write('typed after the outage');
    await waitFor(() => again.acked >= 1, 15_000, 'ack after the outage');
    const reader = connectClient(child.wsUrl, session.id, event.tokens.view);
    try {
      await waitForSync(reader, 10_000);
      await waitFor(() => notesText(reader.doc).includes('typed after the outage'), 10_000, 'served after the outage');
      expect(notesText(reader.doc)).toContain('stored before the outage');
    } finally {
      reader.destroy();
    }
  });
});
