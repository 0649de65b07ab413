import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BroadcastBus, BusChannel, BusHandler, BusMessage } from '../../server/bus/broadcastBus.js';
import { LocalBusHub } from '../../server/bus/localBus.js';
import type { ServerOptions } from '../../server/serverOptions.js';
import { postgresAvailability, startPostgres, type PrivatePostgres } from '../helpers/postgres.js';
import { api, createEventWithSession, startTestServer, tempDataDir, type TestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

const available = postgresAvailability();
if (!available.ok) console.warn(`skipped: ${available.reason}`);

/** A bus that loses the messages `drop` picks, as a network or a Redis restart would. */
class LossyBus implements BroadcastBus {
  dropped = 0;
  constructor(
    private readonly inner: BroadcastBus,
    private readonly drop: (msg: BusMessage) => boolean,
  ) {}
  get processId() {
    return this.inner.processId;
  }
  publish(channel: BusChannel, msg: BusMessage) {
    this.inner.publish(channel, msg);
  }
  subscribe(channel: BusChannel, handler: BusHandler) {
    return this.inner.subscribe(channel, (msg, from) => {
      if (this.drop(msg)) {
        this.dropped++;
        return;
      }
      handler(msg, from);
    });
  }
  onResubscribed(listener: () => void) {
    this.inner.onResubscribed(listener);
  }
  health() {
    return this.inner.health();
  }
  close() {
    return this.inner.close();
  }
}

describe.skipIf(!available.ok)('one session on two servers (PostgreSQL documents, in-process bus)', () => {
  let pg: PrivatePostgres;
  const servers: TestServer[] = [];
  const clients: YClient[] = [];
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.close();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  /** Two servers sharing one PostgreSQL database and one bus hub, each with its own data directory. */
  async function twoServers(busOf: (hub: LocalBusHub, i: number) => BroadcastBus = (hub) => hub.join(), extra: Partial<ServerOptions> = {}) {
    const databaseUrl = await pg.createDatabase();
    const hub = new LocalBusHub();
    const a = await startTestServer({ dataDir: tempDataDir(), databaseUrl, bus: busOf(hub, 0), ...extra });
    servers.push(a);
    const b = await startTestServer({ dataDir: tempDataDir(), databaseUrl, bus: busOf(hub, 1), ...extra });
    servers.push(b);
    return { a, b };
  }

  function client(server: TestServer, sessionId: string, token: string): YClient {
    const c = connectClient(server.wsUrl, sessionId, token);
    clients.push(c);
    return c;
  }

  it('clients on different servers converge, see each other’s presence, and the notes are stored once', async () => {
    const { a, b } = await twoServers();
    const { event, session } = await createEventWithSession(a.url);
    const ana = client(a, session.id, event.tokens.edit);
    const ben = client(b, session.id, event.tokens.edit);
    await Promise.all([waitForSync(ana), waitForSync(ben)]);
    // Both got the session's template from the one store, seeded once with the session.
    expect(notesText(ana.doc).length).toBeGreaterThan(0);
    expect(notesText(ben.doc)).toBe(notesText(ana.doc));

    appendParagraph(ana.doc, 'typed on A');
    appendParagraph(ben.doc, 'typed on B');
    await waitFor(() => notesText(ana.doc).includes('typed on B') && notesText(ben.doc).includes('typed on A'), 10_000, 'convergence');
    expect(notesText(ana.doc)).toBe(notesText(ben.doc));

    // The schedule counts everyone, on both servers.
    for (const server of [a, b]) {
      await expect.poll(async () => (await api<{ live: { editors: number } }>(server.url, 'GET', `/api/sessions/${session.id}`, { token: event.tokens.view })).body.live.editors, { timeout: 10_000 }).toBe(2);
    }

    ana.provider.awareness.setLocalStateField('user', { name: 'Ana', color: '#d23f31' });
    await waitFor(() => (ben.provider.awareness.getStates().get(ana.doc.clientID) as { user?: { name?: string } } | undefined)?.user?.name === 'Ana', 10_000, 'presence across');

    // A third client, on A, loads from storage what both typed.
    const cleo = client(a, session.id, event.tokens.view);
    await waitForSync(cleo);
    expect(notesText(cleo.doc)).toContain('typed on B');

    // Search and history are in PostgreSQL too: B answers with what was typed on A, and who typed it.
    await expect
      .poll(async () => (await api<{ results: { snippet: string }[] }>(b.url, 'GET', `/api/events/${event.event.id}/search?q=typed`, { token: event.tokens.view })).body.results?.map((r) => r.snippet).sort(), { timeout: 10_000 })
      .toEqual(['typed on A', 'typed on B']);
    const history = await api<{ versions: { authors: string[] }[] }>(b.url, 'GET', `/api/sessions/${session.id}/history`, { token: event.tokens.view });
    expect(history.status).toBe(200);
    expect(history.body.versions.length).toBeGreaterThan(0);

    // Presence leaves with its client, on the other server too.
    ana.destroy();
    await waitFor(() => !ben.provider.awareness.getStates().has(ana.doc.clientID), 10_000, 'presence removed across');
    cleo.destroy();
    await expect.poll(async () => (await api<{ live: { editors: number; viewers: number } }>(b.url, 'GET', `/api/sessions/${session.id}`, { token: event.tokens.view })).body.live, { timeout: 10_000 }).toEqual({ editors: 1, viewers: 0 });
  });

  it('a note-taker who opens the session on B after Ana is there on A sees her at once, not at her next presence renewal', async () => {
    let hub!: LocalBusHub;
    const { a, b } = await twoServers((h) => ((hub = h), h.join()));
    const { event, session } = await createEventWithSession(a.url);
    // A third member of the bus sees what A publishes: the barrier for "Ana's presence went out before B listened".
    const heard: BusMessage[] = [];
    await hub.join().subscribe({ session: session.id }, (msg) => heard.push(msg));
    const ana = client(a, session.id, event.tokens.edit);
    await waitForSync(ana);
    ana.provider.awareness.setLocalStateField('user', { name: 'Ana', color: '#d23f31' });
    await waitFor(() => heard.some((m) => m.kind === 'awareness' && Buffer.from(m.update, 'base64').includes(Buffer.from('"Ana"'))), 5000, 'Ana’s presence published');
    // B has no room for the session yet: it opens it for Ben after Ana's presence went out on the bus.
    expect(b.registry.get(session.id)).toBeUndefined();
    const ben = client(b, session.id, event.tokens.edit);
    await waitForSync(ben);
    // Ana's client renews its presence only every 15 s; B asks the others for theirs when it opens the room.
    await waitFor(() => (ben.provider.awareness.getStates().get(ana.doc.clientID) as { user?: { name?: string } } | undefined)?.user?.name === 'Ana', 8000, 'Ben sees Ana');
    expect(heard.some((m) => m.kind === 'awarenessQuery')).toBe(true);
  });

  it('a server that missed a published batch catches up from storage when the next batch shows the gap', async () => {
    let dropOne = true;
    let lossy: LossyBus | null = null;
    const { a, b } = await twoServers((hub, i) => {
      const bus = hub.join();
      if (i === 0) return bus;
      lossy = new LossyBus(bus, (msg) => {
        if (msg.kind !== 'docUpdate' || !dropOne) return false;
        dropOne = false;
        return true;
      });
      return lossy;
    });
    const { event, session } = await createEventWithSession(a.url);
    const ana = client(a, session.id, event.tokens.edit);
    const ben = client(b, session.id, event.tokens.edit);
    await Promise.all([waitForSync(ana), waitForSync(ben)]);
    appendParagraph(ana.doc, 'lost on the way');
    await waitFor(() => lossy!.dropped === 1, 10_000, 'the drop');
    appendParagraph(ana.doc, 'arrives');
    await waitFor(() => notesText(ben.doc).includes('arrives'), 10_000, 'the next batch');
    expect(notesText(ben.doc)).toContain('lost on the way');
    expect(notesText(ben.doc)).toBe(notesText(ana.doc));
  });

  it('both servers tagging the same new line at once make one action item, not two', async () => {
    // Tagging only when asked (flush), so both taggers read the line before either one's tag reaches the other.
    const { a, b } = await twoServers(undefined, { taggerDebounceMs: 600_000 });
    const { event, session } = await createEventWithSession(a.url);
    const ana = client(a, session.id, event.tokens.edit);
    const ben = client(b, session.id, event.tokens.edit);
    await Promise.all([waitForSync(ana), waitForSync(ben)]);
    appendParagraph(ana.doc, 'ACTION: @ana one line, two taggers');
    await waitFor(() => notesText(ben.doc).includes('two taggers'), 10_000, 'the line on B');
    await Promise.all([a.actionItems.flushSession(session.id), b.actionItems.flushSession(session.id)]);
    // Barrier: each tagger has seen the other's tag once both clients show the same attributes.
    await waitFor(() => JSON.stringify(ana.doc.getXmlFragment('default').toJSON()) === JSON.stringify(ben.doc.getXmlFragment('default').toJSON()), 10_000, 'same tags');
    await Promise.all([a.actionItems.flushSession(session.id), b.actionItems.flushSession(session.id)]);
    const items = await api<{ items: { text: string }[] }>(b.url, 'GET', `/api/sessions/${session.id}/action-items`, { token: event.tokens.view });
    expect(items.body.items.filter((i) => i.text.includes('two taggers'))).toHaveLength(1);
  });

  it('[AI-O7] a note-taker who just joined on B and at once writes "TODO: <her name> to …" owns it when A tags it (before or after B records her)', async () => {
    // Tagging only when asked: A tags her line as soon as it arrives, whatever B has recorded of her by then.
    const { a, b } = await twoServers(undefined, { taggerDebounceMs: 600_000 });
    const { event, session } = await createEventWithSession(a.url);
    const ana = client(a, session.id, event.tokens.edit);
    await waitForSync(ana);
    // Ana's first sync can be answered from storage while A's room still loads.
    await waitFor(() => a.registry.get(session.id) !== undefined, 10_000, "A's room");
    for (const name of ['Hana', 'Ines Ortega', 'Jun', 'Kaito']) {
      const line = `TODO: ${name} to update the runbook`;
      const person = client(b, session.id, event.tokens.edit);
      person.provider.awareness.setLocalStateField('user', { name, color: '#0969da' });
      await waitForSync(person);
      // A tags the moment her batch arrives, as a run that was due anyway would.
      const onA = a.registry.get(session.id)!.doc;
      const tagged = new Promise<void>((resolve, reject) => {
        const arrived = () => {
          if (!notesText(onA).includes(line)) return;
          onA.off('update', arrived);
          a.actionItems.flushSession(session.id).then(resolve, reject);
        };
        onA.on('update', arrived);
      });
      appendParagraph(person.doc, line);
      await tagged;
      const stored = await a.storage.actionItems.listBySession(session.id);
      expect({ name, owners: stored.filter((r) => r.text === `${name} to update the runbook`).map((r) => JSON.parse(r.owners) as string[]) }).toEqual({ name, owners: [[name]] });
    }
  });

  it('an action item tagged on A is in B’s API; a lock set through A reaches B’s room', async () => {
    const { a, b } = await twoServers();
    const { event, session } = await createEventWithSession(a.url);
    const ben = client(b, session.id, event.tokens.edit);
    const ana = client(a, session.id, event.tokens.edit);
    await Promise.all([waitForSync(ana), waitForSync(ben)]);
    appendParagraph(ana.doc, 'ACTION: @ana send the slides');
    await expect
      .poll(async () => (await api<{ items: { text: string }[] }>(b.url, 'GET', `/api/sessions/${session.id}/action-items`, { token: event.tokens.view })).body.items.map((i) => i.text), { timeout: 10_000 })
      .toContainEqual(expect.stringContaining('send the slides'));

    const locked = await api(a.url, 'PATCH', `/api/sessions/${session.id}`, { token: event.tokens.moderate, body: { locked: true } });
    expect(locked.status).toBe(200);
    await expect.poll(() => b.registry.get(session.id)?.locked, { timeout: 10_000 }).toBe(true);
  });
});
