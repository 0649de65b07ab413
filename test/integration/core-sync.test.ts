import { afterEach, describe, expect, it } from 'vitest';
import { createEventWithSession, startTestServer, type TestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

describe('core sync over the stock y-websocket client', () => {
  let server: TestServer | undefined;
  const clients: YClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
    server = undefined;
  });

  it('seeds the session template exactly once and serves it to the first client', async () => {
    server = await startTestServer();
    const { event, session } = await createEventWithSession(server.url);
    const a = connectClient(server.wsUrl, session.id, event.tokens.edit);
    const b = connectClient(server.wsUrl, session.id, event.tokens.edit);
    clients.push(a, b);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    const text = notesText(a.doc);
    for (const heading of ['Attendees', 'Agenda', 'Notes', 'Decisions', 'Action items']) {
      expect(text.split(heading).length - 1).toBe(1);
    }
    expect(notesText(b.doc)).toBe(text);
  });

  it('two clients converge and a late joiner gets the full state', async () => {
    server = await startTestServer();
    const { event, session } = await createEventWithSession(server.url);
    const a = connectClient(server.wsUrl, session.id, event.tokens.edit);
    const b = connectClient(server.wsUrl, session.id, event.tokens.edit);
    clients.push(a, b);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    appendParagraph(a.doc, 'from A');
    appendParagraph(b.doc, 'from B');
    await waitFor(() => notesText(a.doc).includes('from B') && notesText(b.doc).includes('from A'), 5000, 'convergence');
    expect(notesText(a.doc)).toBe(notesText(b.doc));

    const late = connectClient(server.wsUrl, session.id, event.tokens.view);
    clients.push(late);
    await waitForSync(late);
    await waitFor(() => notesText(late.doc) === notesText(a.doc), 5000, 'late joiner state');
    expect(notesText(late.doc)).toContain('from A');
    expect(notesText(late.doc)).toContain('from B');
  });

  it('a restart keeps the state', async () => {
    server = await startTestServer();
    const dataDir = server.dataDir;
    const { event, session } = await createEventWithSession(server.url);
    const a = connectClient(server.wsUrl, session.id, event.tokens.edit);
    clients.push(a);
    await waitForSync(a);
    appendParagraph(a.doc, 'survives restart');
    const b = connectClient(server.wsUrl, session.id, event.tokens.view);
    clients.push(b);
    await waitFor(() => notesText(b.doc).includes('survives restart'), 5000, 'b sees edit');
    for (const c of clients.splice(0)) c.destroy();
    await server.close();

    server = await startTestServer({ dataDir });
    const c = connectClient(server.wsUrl, session.id, event.tokens.view);
    clients.push(c);
    await waitForSync(c);
    await waitFor(() => notesText(c.doc).includes('survives restart'), 5000, 'state after restart');
    expect(notesText(c.doc).split('Attendees').length - 1).toBe(1);
  });
});
