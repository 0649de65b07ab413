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

  it('[AI-O7] a moderator added while the notes are open owns the items written after (the tagger’s cached session is read again)', async () => {
    suite.server = await startTestServer({ taggerDebounceMs: 50 });
    const fx = await createEventWithSession(suite.server.url);
    const writer = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    suite.clients.push(writer);
    await waitForSync(writer);
    const items = async () =>
      (await api<{ items: ActionItemDto[] }>(suite.server!.url, 'GET', `/api/sessions/${fx.session.id}/action-items`, { token: fx.event.tokens.view })).body.items;
    appendParagraph(writer.doc, 'TODO: eli to send the logs');
    const before = await eventuallyValue(items, (v) => v.length === 1, 'the first item', 10_000);
    expect(before[0]!.owners).toEqual([]);
    const patched = await api(suite.server.url, 'PATCH', `/api/sessions/${fx.session.id}`, { token: fx.event.tokens.moderate, body: { moderators: ['Eli Moss'] } });
    expect(patched.status).toBe(200);
    appendParagraph(writer.doc, 'TODO: eli moss to book the room');
    const after = await eventuallyValue(items, (v) => v.length === 2, 'the second item', 10_000);
    expect(Object.fromEntries(after.map((i) => [i.text, i.owners]))).toEqual({ 'eli to send the logs': [], 'eli moss to book the room': ['Eli Moss'] });
  });

  it('[AI-O7] a note-taker whose first line comes after the tagger read the session owns her items (the cached names are read again)', async () => {
    suite.server = await startTestServer({ taggerDebounceMs: 50 });
    const fx = await createEventWithSession(suite.server.url);
    const items = async () =>
      (await api<{ items: ActionItemDto[] }>(suite.server!.url, 'GET', `/api/sessions/${fx.session.id}/action-items`, { token: fx.event.tokens.view })).body.items;
    const first = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    suite.clients.push(first);
    await waitForSync(first);
    appendParagraph(first.doc, 'TODO: carla to read the slides');
    // The tagger has read the session (and its note-takers, Carla not among them) once this is indexed.
    const before = await eventuallyValue(items, (v) => v.length === 1, 'the first item', 10_000);
    expect(before[0]!.owners).toEqual([]);
    const carla = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    suite.clients.push(carla);
    await waitForSync(carla);
    carla.provider.awareness.setLocalStateField('user', { name: 'Carla', color: '#0969da', role: 'edit' });
    await waitFor(() => [...(suite.server!.registry.get(fx.session.id)?.awareness.getStates().values() ?? [])].some((s) => (s as { user?: { name?: string } }).user?.name === 'Carla'), 5000, 'presence');
    // Her joining announced the event as changed: another run reads the session again before her first line.
    appendParagraph(first.doc, 'TODO: someone to fetch chairs');
    await eventuallyValue(items, (v) => v.length === 2, 'the second item', 10_000);
    // Her first line makes her a note-taker; the item comes once that is recorded (PostgreSQL records it after the commit).
    appendParagraph(carla.doc, 'Hello from Carla');
    await eventuallyValue(() => suite.server!.storage.contributors.list(fx.session.id), (names) => names.includes('Carla'), 'Carla recorded', 10_000);
    appendParagraph(carla.doc, 'TODO: carla to send the logs');
    const after = await eventuallyValue(items, (v) => v.length === 3, 'her item', 10_000);
    expect(after.find((i) => i.text === 'carla to send the logs')?.owners).toEqual(['Carla']);
  });
});
