import { afterEach, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import type { HistoryListDto } from '../../shared/history/history.js';
import { startChildServer, type ChildServer } from '../helpers/childServer.js';
import { describeScaleOut } from '../helpers/describeScaleOut.js';
import { presenceFrame } from '../helpers/namedPeople.js';
import { connectNoteTaker, namesSeenBy } from '../helpers/noteTaker.js';
import { openRaw } from '../helpers/rawSocket.js';
import { api, createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

type Presence = { user?: { name?: string; typing?: boolean } } | undefined;

/** What `client` shows of the presence of Yjs client id `id`. */
const presenceSeenBy = (client: YClient, id: number) => (client.provider.awareness.getStates().get(id) as Presence)?.user;

/**
 * A browser behind a load balancer whose process is killed reconnects to
 * another process (same PostgreSQL and Redis) with the same Yjs client id and
 * the edits it made while it had no server. The dead process never sends the
 * removal of her presence, so the others keep its last state until it times
 * out (30 s).
 */
describeScaleOut('a note-taker whose process dies reconnects to another', ({ env: servicesEnv, children, servers }) => {
  const clients: YClient[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });

  it('Ana on A, A killed -9, her client back on B with the same client id and her offline edits: accepted (no 4400), "Saved" by B, Ben on B sees her name, her live presence and her text, History names her, and every line A acknowledged survives', { timeout: 120_000 }, async () => {
    const env = await servicesEnv();
    const start = async () => {
      const s = await startChildServer(tempDataDir(), { env });
      children.push(s);
      return s;
    };
    const a = await start();
    const b = await start();
    const { event, session } = await createEventWithSession(a.url, 'Reconnect elsewhere');
    const token = event.tokens.edit;
    // The load balancer in front of both: Ana's sockets go to A until A is gone.
    let route: ChildServer = a;
    const ana = connectNoteTaker(a.wsUrl, session.id, token, 'Ana', { route: () => route.wsUrl });
    const ben = connectNoteTaker(b.wsUrl, session.id, token, 'Ben');
    clients.push(ana.client, ben.client);
    await Promise.all([waitForSync(ana.client, 15_000), waitForSync(ben.client, 15_000)]);
    await waitFor(() => namesSeenBy(ben.client).includes('Ana') && namesSeenBy(ana.client).includes('Ben'), 15_000, 'Ana and Ben to see each other');

    const before = Array.from({ length: 5 }, (_, i) => `Ana before the crash ${i}`);
    for (const line of before) appendParagraph(ana.client.doc, line);
    await waitFor(() => ana.status() === 'saved', 15_000, '"Saved" by A');
    expect(ana.counts().acked).toBe(ana.counts().sent);
    await waitFor(() => before.every((l) => notesText(ben.client.doc).includes(l)), 15_000, 'Ben to see Ana’s lines');
    const clientId = ana.client.doc.clientID;

    await a.kill9();
    // Ben's view of Ana from here on: her presence must never go away (a timeout of A's last state would).
    const removals: number[] = [];
    ben.client.provider.awareness.on('change', ({ removed }: { removed: number[] }) => removals.push(...removed.filter((id) => id === clientId)));
    await waitFor(() => !ana.client.provider.wsconnected, 10_000, 'Ana to notice that A is gone');
    // Typed while she has no server: her document keeps it, and her presence says she is typing.
    const offline = Array.from({ length: 3 }, (_, i) => `Ana while disconnected ${i}`);
    for (const line of offline) appendParagraph(ana.client.doc, line);
    const user = ana.client.provider.awareness.getLocalState()!.user as object;
    ana.client.provider.awareness.setLocalStateField('user', { ...user, typing: true });

    route = b;
    await waitFor(() => ana.client.provider.wsconnected && ana.client.provider.synced, 15_000, 'Ana connected to B');
    await waitFor(() => ana.status() === 'saved', 20_000, '"Saved" by B');
    // Her offline edits went in her sync reply on the new socket, and B acknowledged it.
    expect(ana.counts().sent).toBeGreaterThanOrEqual(1);
    expect(ana.counts().acked).toBe(ana.counts().sent);
    expect(ana.client.doc.clientID).toBe(clientId);
    expect(ana.client.closes.filter((c) => c.code === CLOSE_CODES.badMessage)).toEqual([]);

    await waitFor(() => offline.every((l) => notesText(ben.client.doc).includes(l)), 15_000, 'Ben to see what Ana typed while disconnected');
    // The presence her client sent to B (typing), not the last state A relayed before it died. Without the claim of
    // an id shown from another process, B ignored it until A's state timed out (about 32 s here), and Ben saw her go.
    await waitFor(() => presenceSeenBy(ben.client, clientId)?.typing === true, 45_000, 'Ben to see Ana’s presence from her connection to B');
    expect(removals).toEqual([]);
    expect(presenceSeenBy(ben.client, clientId)?.name).toBe('Ana');
    expect(namesSeenBy(ben.client)).toEqual(['Ana']);

    // History credits her offline edits to her, not to "anonymous" (Ben never typed).
    const authors = (await api<HistoryListDto>(b.url, 'GET', `/api/sessions/${session.id}/history`, { token: event.tokens.view })).body.versions.flatMap((v) => v.authors);
    expect(authors).toContain('Ana');
    expect(authors.filter((n) => n !== 'Ana' && n !== 'template')).toEqual([]);

    // Durable: a new process reads every line from storage alone, each once.
    const c = await start();
    const reader = connectClient(c.wsUrl, session.id, event.tokens.view);
    clients.push(reader);
    await waitForSync(reader, 15_000);
    await waitFor(() => [...before, ...offline].every((l) => notesText(reader.doc).includes(l)), 15_000, 'a reader on a new process to see every line');
    for (const line of [...before, ...offline]) expect(notesText(reader.doc).split(line).length - 1).toBe(1);
    expect(ana.client.closes.filter((x) => x.code === CLOSE_CODES.badMessage)).toEqual([]);
  });

  it('while Ana is live on A, a first presence on B under her client id and another name is ignored: Ben keeps seeing Ana', async () => {
    const [a, b] = (await servers(2)) as [ChildServer, ChildServer];
    const { event, session } = await createEventWithSession(a.url, 'Not her id');
    const token = event.tokens.edit;
    const ana = connectNoteTaker(a.wsUrl, session.id, token, 'Ana');
    const ben = connectNoteTaker(b.wsUrl, session.id, token, 'Ben');
    clients.push(ana.client, ben.client);
    await Promise.all([waitForSync(ana.client, 15_000), waitForSync(ben.client, 15_000)]);
    const anaId = ana.client.doc.clientID;
    await waitFor(() => presenceSeenBy(ben.client, anaId)?.name === 'Ana', 15_000, 'Ben to see Ana');

    const mallory = await openRaw(`${b.wsUrl}/${session.id}?token=${token}`);
    try {
      const own = 4_000_000_000 - Math.floor(Math.random() * 1000);
      mallory.ws.send(presenceFrame(anaId, 'Mallory'));
      // Her own id, shown after: once Ben sees it, B has handled the claim before it.
      mallory.ws.send(presenceFrame(own, 'Mallory'));
      await waitFor(() => presenceSeenBy(ben.client, own)?.name === 'Mallory', 15_000, 'Mallory’s own presence relayed');
      expect(presenceSeenBy(ben.client, anaId)?.name).toBe('Ana');
    } finally {
      mallory.ws.close();
    }
  });
});
