import { describe, expect, it } from 'vitest';
import type { ActionItemDto } from '../../shared/schemas.js';
import { api, createEventWithSession, serverSuite, startTestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { eventuallyValue } from '../helpers/eventually.js';

describe('action-item owners from the session’s people', () => {
  const suite = serverSuite();

  it('[AI-O7] the tagger knows the session’s moderators and note-takers: "TODO: carla to …" is Carla’s item', async () => {
    suite.server = await startTestServer({ taggerDebounceMs: 100 });
    const fx = await createEventWithSession(suite.server.url);
    const patched = await api(suite.server.url, 'PATCH', `/api/sessions/${fx.session.id}`, { token: fx.event.tokens.moderate, body: { moderators: ['Bob Builder'] } });
    expect(patched.status).toBe(200);
    const carla = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    suite.clients.push(carla);
    await waitForSync(carla);
    carla.provider.awareness.setLocalStateField('user', { name: 'Carla', color: '#0969da', role: 'edit' });
    // Her presence must be at the server before her first line, which makes her a note-taker of the session.
    await waitFor(() => [...(suite.server!.registry.get(fx.session.id)?.awareness.getStates().values() ?? [])].some((s) => (s as { user?: { name?: string } }).user?.name === 'Carla'), 5000, 'presence');
    appendParagraph(carla.doc, 'TODO: carla to send the logs');
    appendParagraph(carla.doc, 'ACTION: bob builder: check the quotas');
    appendParagraph(carla.doc, 'TODO: someone to book the room');
    // Barrier: a second client sees the lines only once they are committed, and so once Carla is a note-taker.
    const reader = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
    await waitFor(() => notesText(reader.doc).includes('someone to book the room'), 5000, 'the lines committed');
    const items = async () =>
      (await api<{ items: ActionItemDto[] }>(suite.server!.url, 'GET', `/api/sessions/${fx.session.id}/action-items`, { token: fx.event.tokens.view })).body.items;
    const found = await eventuallyValue(items, (v) => v.length >= 3, 'three items', 10_000);
    const owners = Object.fromEntries(found.map((i) => [i.text, i.owners]));
    expect(owners).toEqual({
      'carla to send the logs': ['Carla'],
      'bob builder: check the quotas': ['Bob Builder'],
      'someone to book the room': [],
    });
  });
});
