import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { UpdateCounter } from '../../server/extensions/updateCounter.js';
import { createLogger } from '../../server/logger.js';
import { createEventWithSession, serverSuite, startTestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

describe('a room extension composed through the server options (the README example)', () => {
  const suite = serverSuite();

  it('counts the updates a room took from real y-websocket clients, not the ones it refused', async () => {
    const counter = new UpdateCounter();
    suite.server = await startTestServer({ extensions: [counter] });
    const { event, session } = await createEventWithSession(suite.server.url);
    const other = await suite.server.events.createSession(event.event.id, { title: 'Session two' });
    const writer = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const reader = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(writer, reader);
    await Promise.all([waitForSync(writer), waitForSync(reader)]);
    expect(counter.of(session.id)).toBe(0);

    for (const text of ['one', 'two', 'three']) appendParagraph(writer.doc, text);
    await waitFor(() => notesText(reader.doc).includes('three'), 5000, 'the three updates at the reader');
    expect(counter.of(session.id)).toBe(3);

    // A view link's update is refused (4403) before any extension sees it.
    appendParagraph(reader.doc, 'not allowed');
    await waitFor(() => reader.closes.some((c) => c.code === CLOSE_CODES.forbiddenWrite), 5000, '4403');
    // Barrier: one more accepted update, seen by a fresh client, is ordered after the refused one.
    appendParagraph(writer.doc, 'four');
    const late = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(late);
    await waitForSync(late);
    await waitFor(() => notesText(late.doc).includes('four'), 5000, 'the fourth update');
    expect(notesText(late.doc)).not.toContain('not allowed');
    expect(counter.of(session.id)).toBe(4);
    expect(counter.of(other.id)).toBe(0);
  });
});

describe('omitExtensions (the bench prices features with it)', () => {
  const suite = serverSuite();

  it('leaves out exactly the extensions it names: the other one still sees every update', async () => {
    const kept = new UpdateCounter();
    const omitted = Object.assign(new UpdateCounter(), { name: 'other counter' });
    suite.server = await startTestServer({ extensions: [kept, omitted], omitExtensions: ['other counter'] });
    const { event, session } = await createEventWithSession(suite.server.url);
    const writer = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const reader = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(writer, reader);
    await Promise.all([waitForSync(writer), waitForSync(reader)]);

    for (const text of ['one', 'two', 'three']) appendParagraph(writer.doc, text);
    // Extensions see an update before it is applied, so before any reader can.
    await waitFor(() => notesText(reader.doc).includes('three'), 5000, 'the three updates at the reader');
    expect(kept.of(session.id)).toBe(3);
    expect(omitted.of(session.id)).toBe(0);
  });

  it('logs a name that matches no extension as an error, so a renamed one cannot silently stay in', async () => {
    const lines: string[] = [];
    suite.server = await startTestServer({ log: createLogger('error', (line) => lines.push(line)), omitExtensions: ['history', 'no such feature'] });
    const errors = lines.filter((l) => l.includes('omitExtensions'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('no such feature');
    expect(errors[0]).not.toContain('"history"');
  });
});
