import { afterEach, describe, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import type { CreateEventResponse, SessionDto } from '../../shared/schemas.js';
import { api, startTestServer, type TestServer } from '../helpers/testServer.js';
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
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function notesOf(s: TestServer, sessionId: string, token: string): Promise<string> {
    const client = connectClient(s.wsUrl, sessionId, token);
    await waitForSync(client, 10_000);
    const text = notesText(client.doc);
    client.destroy();
    return text;
  }

  it('moderators replace it; sessions created afterwards (by hand or by import) start from it, existing notes never change', async () => {
    server = await startTestServer();
    const ev = (await api<CreateEventResponse>(server.url, 'POST', '/api/events', { body: { title: 'Template', timezone: 'America/Chicago' } })).body;
    const path = `/api/events/${ev.event.slug}/template`;
    const before = await api<SessionDto>(server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title: 'Before' } });

    const initial = await api<{ template: JSONContent }>(server.url, 'GET', path, { token: ev.tokens.view });
    expect(JSON.stringify(initial.body.template)).toContain('Attendees');

    expect((await api(server.url, 'PUT', path, { token: ev.tokens.edit, body: { template: custom } })).status).toBe(403);
    const invalid = await api<{ error: { code: string } }>(server.url, 'PUT', path, { token: ev.tokens.moderate, body: { template: { type: 'doc', content: [{ type: 'noSuchNode' }] } } });
    expect([invalid.status, invalid.body.error.code]).toEqual([400, 'invalid_template']);
    const saved = await api<{ template: JSONContent }>(server.url, 'PUT', path, { token: ev.tokens.moderate, body: { template: custom } });
    expect(saved.status).toBe(200);
    expect((await api<{ template: JSONContent }>(server.url, 'GET', path, { token: ev.tokens.view })).body.template).toEqual(saved.body.template);

    const byHand = await api<SessionDto>(server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title: 'After' } });
    const imported = await api<{ created: SessionDto[] }>(server.url, 'POST', `/api/events/${ev.event.id}/schedule`, {
      token: ev.tokens.moderate,
      rawBody: 'title,date,start,end\nImported,2016-04-25,11:15,11:55\n',
      contentType: 'text/csv',
    });
    for (const id of [byHand.body.id, imported.body.created[0]!.id]) {
      const text = await notesOf(server, id, ev.tokens.view);
      expect(text).toContain('Put your IRC nick next to what you write.');
      expect(text).not.toContain('Attendees');
    }
    const old = await notesOf(server, before.body.id, ev.tokens.view);
    expect(old).toContain('Attendees');
    expect(old).not.toContain('Pad etiquette');

    const reset = await api<{ template: JSONContent }>(server.url, 'PUT', path, { token: ev.tokens.moderate, body: { template: null } });
    expect(reset.body.template).toEqual(initial.body.template);
  });

  it('refuses a hostile template (deep nesting) with 400 and keeps the old one', async () => {
    server = await startTestServer();
    const ev = (await api<CreateEventResponse>(server.url, 'POST', '/api/events', { body: { title: 'Hostile template' } })).body;
    // Written as text: JSON.stringify itself cannot nest this deep.
    const depth = 20_000;
    const deep = `{"template":{"type":"doc","content":[${'{"type":"blockquote","content":['.repeat(depth)}{"type":"paragraph"}${']}'.repeat(depth)}]}}`;
    const res = await api<{ error: { code: string } }>(server.url, 'PUT', `/api/events/${ev.event.id}/template`, { token: ev.tokens.moderate, rawBody: deep });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const now = await api<{ template: JSONContent }>(server.url, 'GET', `/api/events/${ev.event.id}/template`, { token: ev.tokens.view });
    expect(JSON.stringify(now.body.template)).toContain('Attendees');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
