import { describe, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import type * as Y from 'yjs';
import type { SessionDto } from '../../shared/schemas.js';
import { apiClient, api, startTestServer, type TestServer, serverSuite } from '../helpers/testServer.js';
import { connectClient, notesText, waitForSync } from '../helpers/yClient.js';

const custom: JSONContent = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Pad etiquette' }] },
    { type: 'paragraph', content: [{ type: 'text', text: 'Put your IRC nick next to what you write.' }] },
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Action items' }] },
    { type: 'taskList', content: [{ type: 'taskItem', attrs: { checked: false }, content: [{ type: 'paragraph' }] }] },
  ],
};

describe('per-event session template', () => {
  const suite = serverSuite();

  async function notesOf(s: TestServer, sessionId: string, token: string): Promise<string> {
    const client = connectClient(s.wsUrl, sessionId, token);
    await waitForSync(client, 10_000);
    const text = notesText(client.doc);
    client.destroy();
    return text;
  }

  it('moderators replace it; sessions created afterwards (by hand or by import) start from it, existing notes never change', async () => {
    suite.server = await startTestServer();
    const ev = (await apiClient(suite.server.url).createEvent({ title: 'Template', timezone: 'America/Chicago' }));
    const path = `/api/events/${ev.event.slug}/template`;
    const before = await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title: 'Before' } });

    const initial = await api<{ template: JSONContent }>(suite.server.url, 'GET', path, { token: ev.tokens.view });
    expect(JSON.stringify(initial.body.template)).toContain('Attendees');

    expect((await api(suite.server.url, 'PUT', path, { token: ev.tokens.edit, body: { template: custom } })).status).toBe(403);
    const invalid = await api<{ error: { code: string } }>(suite.server.url, 'PUT', path, { token: ev.tokens.moderate, body: { template: { type: 'doc', content: [{ type: 'noSuchNode' }] } } });
    expect([invalid.status, invalid.body.error.code]).toEqual([400, 'invalid_template']);
    const saved = await api<{ template: JSONContent }>(suite.server.url, 'PUT', path, { token: ev.tokens.moderate, body: { template: custom } });
    expect(saved.status).toBe(200);
    expect((await api<{ template: JSONContent }>(suite.server.url, 'GET', path, { token: ev.tokens.view })).body.template).toEqual(saved.body.template);

    const byHand = await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title: 'After' } });
    const imported = await api<{ created: SessionDto[] }>(suite.server.url, 'POST', `/api/events/${ev.event.id}/schedule`, {
      token: ev.tokens.moderate,
      rawBody: 'title,date,start,end\nImported,2016-04-25,11:15,11:55\n',
      contentType: 'text/csv',
    });
    for (const id of [byHand.body.id, imported.body.created[0]!.id]) {
      const text = await notesOf(suite.server, id, ev.tokens.view);
      expect(text).toContain('Put your IRC nick next to what you write.');
      expect(text).not.toContain('Attendees');
    }
    const old = await notesOf(suite.server, before.body.id, ev.tokens.view);
    expect(old).toContain('Attendees');
    expect(old).not.toContain('Pad etiquette');

    const reset = await api<{ template: JSONContent }>(suite.server.url, 'PUT', path, { token: ev.tokens.moderate, body: { template: null } });
    expect(reset.body.template).toEqual(initial.body.template);
  });

  it('is stored as the editor schema completes it, and new sessions start from exactly what the editor would have written', async () => {
    suite.server = await startTestServer();
    const ev = await apiClient(suite.server.url).createEvent({ title: 'Complete template' });
    // Written the way a person or a script would: the ordered list's `start` and the task item's `checked` left out.
    const partial: JSONContent = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: '決定事項' }] },
        { type: 'orderedList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'first', marks: [{ type: 'bold' }] }] }] }] },
        { type: 'taskList', content: [{ type: 'taskItem', content: [{ type: 'paragraph' }] }] },
      ],
    };
    const path = `/api/events/${ev.event.id}/template`;
    const saved = await api<{ template: JSONContent }>(suite.server.url, 'PUT', path, { token: ev.tokens.moderate, body: { template: partial } });
    expect(saved.status).toBe(200);
    expect(saved.body.template.content![2]!.content![0]!.attrs).toMatchObject({ checked: false });
    expect((await api<{ template: JSONContent }>(suite.server.url, 'GET', path, { token: ev.tokens.view })).body.template).toEqual(saved.body.template);

    // Seeded without the editor schema (server/notesSeed.ts), from the stored, complete template.
    const session = await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title: 'After' } });
    const client = connectClient(suite.server.wsUrl, session.body.id, ev.tokens.view);
    suite.clients.push(client);
    await waitForSync(client, 10_000);
    const [heading, list, tasks] = client.doc.getXmlFragment('default').toArray() as Y.XmlElement[];
    expect([heading!.nodeName, heading!.getAttribute('level'), heading!.toString()]).toEqual(['heading', 2, '<heading level="2">決定事項</heading>']);
    expect(list!.toString()).toContain('<bold>first</bold>');
    expect(list!.getAttribute('start')).toBe(1);
    expect((tasks!.get(0) as Y.XmlElement).getAttribute('checked')).toBe(false);
  });

  it('refuses heading levels outside 1–6 (the editor would show H1, the minutes H6) with 400 and keeps the old one', async () => {
    suite.server = await startTestServer();
    const ev = await apiClient(suite.server.url).createEvent({ title: 'Heading levels' });
    const path = `/api/events/${ev.event.id}/template`;
    const withLevel = (level: unknown): JSONContent => ({
      type: 'doc',
      content: [{ type: 'blockquote', content: [{ type: 'heading', attrs: { level }, content: [{ type: 'text', text: 'Deep' }] }] }],
    });
    for (const level of [9, 0, -1, 7, 2.5, '2']) {
      const res = await api<{ error: { code: string; message: string } }>(suite.server.url, 'PUT', path, { token: ev.tokens.moderate, body: { template: withLevel(level) } });
      expect([level, res.status, res.body.error.code]).toEqual([level, 400, 'invalid_template']);
      expect(res.body.error.message).toContain('heading level must be an integer from 1 to 6');
    }
    const now = await api<{ template: JSONContent }>(suite.server.url, 'GET', path, { token: ev.tokens.view });
    expect(JSON.stringify(now.body.template)).toContain('Attendees');
    // The bounds themselves are fine.
    for (const level of [1, 6]) {
      const ok = await api<{ template: JSONContent }>(suite.server.url, 'PUT', path, { token: ev.tokens.moderate, body: { template: withLevel(level) } });
      expect(ok.status).toBe(200);
      expect(ok.body.template.content![0]!.content![0]!.attrs).toMatchObject({ level });
    }
  });

  it('refuses a hostile template (deep nesting) with 400 and keeps the old one', async () => {
    suite.server = await startTestServer();
    const ev = (await apiClient(suite.server.url).createEvent({ title: 'Hostile template' }));
    // Written as text: JSON.stringify itself cannot nest this deep.
    const depth = 20_000;
    const deep = `{"template":{"type":"doc","content":[${'{"type":"blockquote","content":['.repeat(depth)}{"type":"paragraph"}${']}'.repeat(depth)}]}}`;
    const res = await api<{ error: { code: string } }>(suite.server.url, 'PUT', `/api/events/${ev.event.id}/template`, { token: ev.tokens.moderate, rawBody: deep });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const now = await api<{ template: JSONContent }>(suite.server.url, 'GET', `/api/events/${ev.event.id}/template`, { token: ev.tokens.view });
    expect(JSON.stringify(now.body.template)).toContain('Attendees');
    expect((await fetch(`${suite.server.url}/healthz`)).status).toBe(200);
  });
});
