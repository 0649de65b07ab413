import { afterEach, expect, it } from 'vitest';
import { describeScaleOut } from '../helpers/describeScaleOut.js';
import { connectNoteTaker, namesSeenBy, type NoteTaker } from '../helpers/noteTaker.js';
import { createEventWithSession } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

describeScaleOut('three server processes, one session', ({ servers: startServers }) => {
  const clients: YClient[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });

  it('a note-taker on each process: each sees the other two, each one’s typing is "Saved" by its own process, all converge, and a reader on any process sees every line', async () => {
    // Each its own data directory: everything shared is in PostgreSQL.
    const servers = await startServers(3);
    const { event, session } = await createEventWithSession(servers[0]!.url, 'Three processes');
    const takers = ['Ana', 'Ben', 'Chiaki'].map((name, i) => connectNoteTaker(servers[i]!.wsUrl, session.id, event.tokens.edit, name));
    clients.push(...takers.map((t) => t.client));
    await Promise.all(takers.map((t) => waitForSync(t.client, 15_000)));

    for (const t of takers) {
      const others = takers.filter((o) => o !== t).map((o) => o.name).sort();
      await waitFor(() => others.every((n) => namesSeenBy(t.client).includes(n)), 15_000, `${t.name} to see ${others.join(' and ')}`);
    }

    const lines = (t: NoteTaker) => Array.from({ length: 5 }, (_, i) => `${t.name} line ${i}`);
    for (let i = 0; i < 5; i++) for (const t of takers) appendParagraph(t.client.doc, lines(t)[i]!);
    for (const t of takers) {
      // Every document message this socket sent (its sync reply and the five edits) is acknowledged by its own process.
      await waitFor(() => t.status() === 'saved', 15_000, `"Saved" for ${t.name}`);
      expect(t.counts().sent).toBeGreaterThanOrEqual(6);
      expect(t.counts().acked).toBe(t.counts().sent);
    }

    const everyLine = takers.flatMap(lines);
    await waitFor(() => takers.every((t) => everyLine.every((l) => notesText(t.client.doc).includes(l))), 15_000, 'every line on every note-taker');
    await waitFor(() => new Set(takers.map((t) => notesText(t.client.doc))).size === 1, 15_000, 'identical notes on all three');
    const text = notesText(takers[0]!.client.doc);

    for (const server of servers) {
      const reader = connectClient(server.wsUrl, session.id, event.tokens.view);
      clients.push(reader);
      await waitForSync(reader, 15_000);
      await waitFor(() => notesText(reader.doc) === text, 15_000, `the reader on ${server.url} to see the same notes`);
      for (const line of everyLine) expect(notesText(reader.doc)).toContain(line);
      await waitFor(() => takers.every((t) => namesSeenBy(reader).includes(t.name)), 15_000, `the reader on ${server.url} to see all three note-takers`);
    }
  });
});
