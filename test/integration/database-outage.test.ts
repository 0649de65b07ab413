import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AckingWriter } from '../helpers/ackingWriter.js';
import { startChildServer, type ChildServer } from '../helpers/childServer.js';
import { postgresAvailability, startPostgres, type PrivatePostgres } from '../helpers/postgres.js';
import { api, createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

const pgOk = postgresAvailability();
if (!pgOk.ok) console.warn(`skipped: ${pgOk.reason}`);

const readyStatus = async (url: string) => (await api(url, 'GET', '/readyz')).status;

describe.skipIf(!pgOk.ok)('PostgreSQL lost while a y-websocket client types', () => {
  let pg: PrivatePostgres;
  const children: ChildServer[] = [];
  const clients: YClient[] = [];
  const writers: AckingWriter[] = [];
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const w of writers.splice(0)) w.close();
    await Promise.all(children.splice(0).map((c) => c.kill9()));
  });
  afterAll(async () => {
    await pg?.stop();
  });

  async function server(databaseUrl: string): Promise<ChildServer> {
    const child = await startChildServer(tempDataDir(), { env: { DATABASE_URL: databaseUrl } });
    children.push(child);
    return child;
  }

  function client(s: ChildServer, sessionId: string, token: string): YClient {
    const c = connectClient(s.wsUrl, sessionId, token);
    clients.push(c);
    return c;
  }

  it.each(['fast', 'immediate'] as const)('pg_ctl stop -m %s: no acknowledgement while the database is down, /readyz says so, and what was typed meanwhile is stored once it is back', async (mode) => {
    const databaseUrl = await pg.createDatabase();
    const first = await server(databaseUrl);
    const { event, session } = await createEventWithSession(first.url);
    const typist = client(first, session.id, event.tokens.edit);
    await waitForSync(typist, 10_000);
    const writer = await AckingWriter.open(first.wsUrl, session.id, event.tokens.edit);
    writers.push(writer);
    appendParagraph(typist.doc, 'typed before the outage');
    writer.write('acked before the outage');
    await waitFor(() => writer.acked === 1, 10_000, 'first ack');

    await pg.halt(mode);
    // The y-websocket client keeps typing into its document while the server cannot store anything.
    for (let i = 0; i < 5; i++) appendParagraph(typist.doc, `typed during the outage ${i}`);
    writer.write('sent during the outage');
    // The commit fails after its retries: the writer is told to reconnect (4500), never that the line was saved.
    expect((await writer.closed).code).toBe(4500);
    expect(writer.acked).toBe(1);
    await waitFor(() => typist.closes.some((c) => c.code === 4500), 15_000, 'the typist told to reconnect');
    await expect.poll(() => readyStatus(first.url), { timeout: 15_000 }).toBe(503);
    const ready = await api<{ checks: Record<string, { ok: boolean; detail?: string }> }>(first.url, 'GET', '/readyz');
    expect(ready.body.checks.postgres?.ok).toBe(false);
    // Reconnecting while the database is down: refused before anything could be sent, so nothing can be acknowledged.
    await expect(AckingWriter.open(first.wsUrl, session.id, event.tokens.edit)).rejects.toThrow(/HTTP 5\d\d/);

    await pg.start();
    await expect.poll(() => readyStatus(first.url), { timeout: 20_000 }).toBe(200);
    // The typist reconnects on its own and resends what the server never stored.
    const reader = client(first, session.id, event.tokens.view);
    await waitForSync(reader, 15_000);
    await waitFor(() => notesText(reader.doc).includes('typed during the outage 4'), 20_000, 'outage lines stored after recovery');
    appendParagraph(typist.doc, 'typed after the outage');
    await waitFor(() => notesText(reader.doc).includes('typed after the outage'), 15_000, 'typing works again');

    // Stored in PostgreSQL, not only held in memory: a new process on the same database serves all of it.
    await first.kill9();
    const second = await server(databaseUrl);
    const late = client(second, session.id, event.tokens.view);
    await waitForSync(late, 15_000);
    const text = notesText(late.doc);
    for (const line of ['typed before the outage', 'acked before the outage', 'typed after the outage']) expect(text).toContain(line);
    for (let i = 0; i < 5; i++) expect(text).toContain(`typed during the outage ${i}`);
  });
});
