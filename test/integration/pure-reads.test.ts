import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { ActionItemDto } from '../../shared/schemas.js';
import { api, createEventWithSession, serverSuite, startTestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitForSync } from '../helpers/yClient.js';

/** The client ids that have written into a document, as its state vector says. */
function writers(doc: Y.Doc): number[] {
  return [...Y.decodeStateVector(Y.encodeStateVector(doc)).keys()].sort((a, b) => a - b);
}

function taggedIds(doc: Y.Doc): unknown[] {
  return doc
    .getXmlFragment(NOTES_FRAGMENT)
    .toArray()
    .map((el) => (el instanceof Y.XmlElement ? el.getAttribute('actionItemId') : undefined))
    .filter((id) => id !== undefined);
}

describe('reads are pure', () => {
  const suite = serverSuite();

  it('listing action items and exporting minutes while tagging is pending return the fresh item and leave the notes untouched', async () => {
    // Tagging stays pending for the whole test unless something runs it.
    suite.server = await startTestServer({ taggerDebounceMs: 600_000, taggerMaxWaitMs: 600_000 });
    const fx = await createEventWithSession(suite.server.url);
    const writer = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    const watcher = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    suite.clients.push(writer, watcher);
    await Promise.all([waitForSync(writer), waitForSync(watcher)]);

    appendParagraph(writer.doc, 'ACTION: @dana send the pure-read summary by 2016-05-17');
    await expect.poll(() => notesText(watcher.doc), { timeout: 10_000 }).toContain('pure-read summary');
    const before = writers(watcher.doc);
    expect(taggedIds(watcher.doc)).toEqual([]);

    const token = { token: fx.event.tokens.view };
    const session = await api<{ items: ActionItemDto[] }>(suite.server.url, 'GET', `/api/sessions/${fx.session.id}/action-items`, token);
    expect(session.status).toBe(200);
    expect(session.body.items).toEqual([
      expect.objectContaining({ sessionId: fx.session.id, text: '@dana send the pure-read summary by 2016-05-17', owners: ['dana'], due: '2016-05-17', status: 'open' }),
    ]);
    const event = await api<{ items: ActionItemDto[] }>(suite.server.url, 'GET', `/api/events/${fx.event.event.id}/action-items?owner=dana`, token);
    expect(event.body.items.map((i) => i.text)).toEqual(['@dana send the pure-read summary by 2016-05-17']);
    const minutes = await fetch(`${suite.server.url}/api/sessions/${fx.session.id}/minutes?format=md`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } });
    expect(minutes.status).toBe(200);
    expect(await minutes.text()).toContain('send the pure-read summary');
    const eventMinutes = await fetch(`${suite.server.url}/api/events/${fx.event.event.id}/minutes?format=md`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } });
    expect(await eventMinutes.text()).toContain('send the pure-read summary');

    // Barrier: a later edit of the writer reaches the watcher, so anything the reads had written would have too.
    appendParagraph(writer.doc, 'barrier after the reads');
    await expect.poll(() => notesText(watcher.doc), { timeout: 10_000 }).toContain('barrier after the reads');
    expect(writers(watcher.doc)).toEqual(before);
    expect(taggedIds(watcher.doc)).toEqual([]);

    // What the reads showed is what gets indexed: a write to the previewed item runs the pending tagging, with the same id.
    const shown = session.body.items[0]!.id;
    expect(event.body.items[0]!.id).toBe(shown);
    const patched = await api<ActionItemDto>(suite.server.url, 'PATCH', `/api/action-items/${shown}`, { token: fx.event.tokens.edit, body: { status: 'done' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: shown, status: 'done' });
    await expect.poll(() => taggedIds(watcher.doc), { timeout: 10_000 }).toEqual([shown]);
  });
});
