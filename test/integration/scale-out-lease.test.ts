import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { AckingWriter } from '../helpers/ackingWriter.js';
import { startChildServer, type ChildServer } from '../helpers/childServer.js';
import { postgresAvailability, startPostgres, type PrivatePostgres } from '../helpers/postgres.js';
import { redisAvailability, startRedis, type PrivateRedis } from '../helpers/redis.js';
import { api, createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { eventuallyValue } from '../helpers/eventually.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

const pgOk = postgresAvailability();
const redisOk = redisAvailability();
for (const a of [pgOk, redisOk]) if (!a.ok) console.warn(`skipped: ${a.reason}`);

const LEASE_TTL_MS = 2000;

/** The action-item id the tagger wrote on the paragraph holding `text`, if any. */
function taggedId(doc: Y.Doc, text: string): string | undefined {
  for (const node of doc.getXmlFragment(NOTES_FRAGMENT).toArray()) {
    if (node instanceof Y.XmlElement && node.toString().includes(text)) return node.getAttribute('actionItemId') as string | undefined;
  }
  return undefined;
}

describe.skipIf(!pgOk.ok || !redisOk.ok)('three server processes: the tagger’s lease', () => {
  let pg: PrivatePostgres;
  let redis: PrivateRedis;
  let inspect: Redis;
  const children: ChildServer[] = [];
  const clients: YClient[] = [];
  const writers: AckingWriter[] = [];
  const stops: (() => void)[] = [];
  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    inspect = new Redis(redis.url);
  }, 60_000);
  afterEach(async () => {
    for (const s of stops.splice(0)) s();
    for (const c of clients.splice(0)) c.destroy();
    for (const w of writers.splice(0)) w.close();
    await Promise.all(children.splice(0).map((c) => c.kill9()));
  });
  afterAll(async () => {
    inspect?.disconnect();
    await Promise.all([pg?.stop(), redis?.stop()]);
  });

  function client(server: ChildServer, sessionId: string, token: string, doc?: Y.Doc): YClient {
    const c = connectClient(server.wsUrl, sessionId, token, { doc });
    clients.push(c);
    return c;
  }

  /** Types `prefix N` into the client's notes every `everyMs`, as a person would, until stopped. */
  function keepTyping(c: YClient, prefix: string, everyMs: number): () => void {
    let n = 0;
    const timer = setInterval(() => appendParagraph(c.doc, `${prefix} ${n++}`), everyMs);
    stops.push(() => clearInterval(timer));
    return () => clearInterval(timer);
  }

  /** The process holding the session's lease, by the process id in the lease's value. */
  async function holderOf(sessionId: string, among: ChildServer[]): Promise<ChildServer | undefined> {
    const owner = await inspect.get(`rt:lease:${sessionId}`);
    const pid = owner?.split(':')[1];
    return among.find((c) => String(c.child.pid) === pid);
  }

  it('kill -9 of the lease holder while clients on all three type: they move on, nothing acknowledged is lost, and tagging moves within the lease time', async () => {
    const env = { DATABASE_URL: await pg.createDatabase(), REDIS_URL: redis.url, LEASE_TTL_MS: String(LEASE_TTL_MS) };
    for (let i = 0; i < 3; i++) children.push(await startChildServer(tempDataDir(), { env }));
    const servers = [...children];
    const { event, session } = await createEventWithSession(servers[0]!.url);
    const token = event.tokens.edit;
    const typists = servers.map((s) => client(s, session.id, token));
    await Promise.all(typists.map((c) => waitForSync(c, 10_000)));

    // Exactly one holder, one of the three. A client may be synced from storage before its room has loaded and
    // taken the lease (cold answer), so the first holder is waited for.
    const holder = await eventuallyValue(() => holderOf(session.id, servers), (h) => h !== undefined, 'a lease holder', 10_000);
    expect(holder).toBeDefined();
    const survivors = servers.filter((s) => s !== holder);
    // An action item typed on a process that does not hold the lease is tagged all the same (by the holder, which sees the edit through Redis).
    const onSurvivor = typists[servers.indexOf(survivors[0]!)]!;
    appendParagraph(onSurvivor.doc, 'ACTION: @ana typed where the lease is not');
    await waitFor(() => typists.every((c) => taggedId(c.doc, 'typed where the lease is not') !== undefined), 15_000, 'tagged before the crash');

    // Everyone types; one writer on the holder counts what the holder acknowledged.
    typists.forEach((c, i) => keepTyping(c, `typist ${i}`, 40));
    const writer = await AckingWriter.open(holder!.wsUrl, session.id, token);
    writers.push(writer);
    stops.push(writer.typeContinuously('acked by the holder', 10));
    await waitFor(() => writer.acked >= 30, 15_000, 'acknowledgements from the holder');

    await holder!.kill9();
    const killedAt = Date.now();
    const acked = writer.ackedTexts();
    // The holder's typist reconnects elsewhere with its document, as a browser behind a load balancer would.
    const orphan = typists[servers.indexOf(holder!)]!;
    orphan.provider.destroy();
    const moved = client(survivors[1]!, session.id, token, orphan.doc);
    await waitForSync(moved, 10_000);

    // A new action item, typed on a survivor after the crash, is tagged once a survivor took the lease over.
    appendParagraph(typists[servers.indexOf(survivors[1]!)]!.doc, 'ACTION: @ben typed after the crash');
    await waitFor(() => taggedId(moved.doc, 'typed after the crash') !== undefined, 20_000, 'tagged after the crash');
    const taggedAfterMs = Date.now() - killedAt;
    const newHolder = await holderOf(session.id, survivors);
    expect(newHolder).toBeDefined();
    console.info(`tagging moved to a survivor ${taggedAfterMs} ms after kill -9 (lease ${LEASE_TTL_MS} ms)`);
    await expect
      .poll(async () => (await api<{ items: { text: string }[] }>(survivors[0]!.url, 'GET', `/api/sessions/${session.id}/action-items`, { token })).body.items.map((i) => i.text), { timeout: 15_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining('typed where the lease is not'), expect.stringContaining('typed after the crash')]));

    // Stop typing, then everything converges and holds every acknowledged line.
    for (const s of stops.splice(0)) s();
    const live = [typists[servers.indexOf(survivors[0]!)]!, typists[servers.indexOf(survivors[1]!)]!, moved];
    await waitFor(() => live.every((c) => notesText(c.doc) === notesText(moved.doc)), 20_000, 'convergence');
    const reader = client(survivors[0]!, session.id, event.tokens.view);
    await waitForSync(reader, 10_000);
    await waitFor(() => notesText(reader.doc) === notesText(moved.doc), 15_000, 'a newcomer sees it all');
    const text = notesText(reader.doc);
    expect(acked.length).toBeGreaterThanOrEqual(30);
    for (const line of acked) expect(text).toContain(line);
    // What the orphaned typist typed while its process was gone arrived too (its document resent it).
    expect(text).toContain(notesText(orphan.doc).split('\n').filter((l) => l.startsWith('typist')).at(-1)!);
  });

  it('a status ticked through the process that does not hold the lease lands in the notes and the index of both', async () => {
    const env = { DATABASE_URL: await pg.createDatabase(), REDIS_URL: redis.url, LEASE_TTL_MS: String(LEASE_TTL_MS) };
    for (let i = 0; i < 2; i++) children.push(await startChildServer(tempDataDir(), { env }));
    const [a, b] = children as [ChildServer, ChildServer];
    const { event, session } = await createEventWithSession(a.url);
    const token = event.tokens.edit;
    const onA = client(a, session.id, token);
    await waitForSync(onA, 10_000);
    const onB = client(b, session.id, token);
    await waitForSync(onB, 10_000);
    const holder = await holderOf(session.id, [a, b]);
    const other = holder === a ? b : a;
    const otherClient = other === a ? onA : onB;
    appendParagraph(otherClient.doc, 'ACTION: @chen send the slides');
    await waitFor(() => taggedId(onA.doc, 'send the slides') !== undefined && taggedId(onB.doc, 'send the slides') !== undefined, 15_000, 'tagged');
    const id = taggedId(otherClient.doc, 'send the slides')!;
    const patched = await api<{ status: string }>(other.url, 'PATCH', `/api/action-items/${id}`, { token, body: { status: 'done' } });
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe('done');
    const statusIn = (doc: Y.Doc) => doc.getXmlFragment(NOTES_FRAGMENT).toArray().find((n) => n instanceof Y.XmlElement && n.getAttribute('actionItemId') === id) as Y.XmlElement | undefined;
    await waitFor(() => [onA, onB].every((c) => statusIn(c.doc)?.getAttribute('actionStatus') === 'done'), 15_000, 'done in both notes');
    for (const s of [a, b]) {
      const items = (await api<{ items: { id: string; status: string }[] }>(s.url, 'GET', `/api/sessions/${session.id}/action-items`, { token })).body.items;
      expect(items.filter((i) => i.id === id).map((i) => i.status)).toEqual(['done']);
    }
  });
});
