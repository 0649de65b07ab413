import { describe, expect, it } from 'vitest';
import { createEventWithSession, startTestServer, serverSuite } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

describe('core sync over the stock y-websocket client', () => {
  const suite = serverSuite();

  it('seeds the session template exactly once and serves it to the first client', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const a = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const b = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(a, b);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    const text = notesText(a.doc);
    for (const heading of ['Attendees', 'Agenda', 'Notes', 'Decisions', 'Action items']) {
      expect(text.split(heading).length - 1).toBe(1);
    }
    expect(notesText(b.doc)).toBe(text);
  });

  it('two clients converge and a late joiner gets the full state', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const a = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const b = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(a, b);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    appendParagraph(a.doc, 'from A');
    appendParagraph(b.doc, 'from B');
    await waitFor(() => notesText(a.doc).includes('from B') && notesText(b.doc).includes('from A'), 5000, 'convergence');
    expect(notesText(a.doc)).toBe(notesText(b.doc));

    const late = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(late);
    await waitForSync(late);
    await waitFor(() => notesText(late.doc) === notesText(a.doc), 5000, 'late joiner state');
    expect(notesText(late.doc)).toContain('from A');
    expect(notesText(late.doc)).toContain('from B');
  });

  it('a restart keeps the state', async () => {
    suite.server = await startTestServer();
    const dataDir = suite.server.dataDir;
    const { event, session } = await createEventWithSession(suite.server.url);
    const a = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(a);
    await waitForSync(a);
    appendParagraph(a.doc, 'survives restart');
    const b = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(b);
    await waitFor(() => notesText(b.doc).includes('survives restart'), 5000, 'b sees edit');
    for (const c of suite.clients.splice(0)) c.destroy();
    await suite.server.close();

    suite.server = await startTestServer({ dataDir });
    const c = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(c);
    await waitForSync(c);
    await waitFor(() => notesText(c.doc).includes('survives restart'), 5000, 'state after restart');
    expect(notesText(c.doc).split('Attendees').length - 1).toBe(1);
  });
});
