import { describe, expect, it } from 'vitest';
import type { ActionItemDto } from '../../shared/schemas.js';
import { api, createEventWithSession, serverSuite, startTestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { eventually, eventuallyValue } from '../helpers/eventually.js';
import { namedPeople, serverHas } from '../helpers/namedPeople.js';

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

describe('action-item owners: a note-taker’s first line', () => {
  const suite = serverSuite();
  const people = namedPeople(suite);
  const ROUNDS = 6;

  it('[AI-O7] a note-taker who just joined and at once writes "TODO: <her name> to …" owns it, on the board and once stored (whatever storage has recorded of her yet)', async () => {
    // Tagging right behind each commit: the run that tags her line comes as soon as it is durable, while her name may still be on its way to storage.
    const server = (suite.server = await startTestServer({ taggerDebounceMs: 0 }));
    const names = ['Hana', 'Ines Ortega', 'Jun', 'Kaito', 'Lea', 'Mira'].slice(0, ROUNDS);
    for (const name of names) {
      const fx = await createEventWithSession(server.url);
      const line = `TODO: ${name} to update the runbook`;
      const text = `${name} to update the runbook`;
      const items = async () =>
        (await api<{ items: ActionItemDto[] }>(server.url, 'GET', `/api/sessions/${fx.session.id}/action-items`, { token: fx.event.tokens.view })).body.items;
      // The board asks all along (each answer what the index holds, or what pending tagging will index).
      const seen: string[][] = [];
      let stop = false;
      const board = (async () => {
        while (!stop) for (const item of await items()) if (item.text === text) seen.push(item.owners);
      })();
      const person = people.person(server, fx.session.id, fx.event.tokens.edit, name);
      await waitForSync(person);
      appendParagraph(person.doc, line);
      await eventually(() => seen.length > 0, 10_000, `${name}'s item on the board`);
      await serverHas(server, fx.session.id, line);
      await server.actionItems.settleSession(fx.session.id);
      await server.commitQueue.whenIdle();
      stop = true;
      await board;
      const stored = (await server.storage.actionItems.listBySession(fx.session.id)).map((r) => ({ text: r.text, owners: JSON.parse(r.owners) as string[] }));
      expect({ name, stored, seen: [...new Set(seen.map((o) => JSON.stringify(o)))] }).toEqual({ name, stored: [{ text, owners: [name] }], seen: [JSON.stringify([name])] });
      person.destroy();
    }
  });

  it('[AI-O7] an item naming someone before she ever wrote becomes hers once she writes (items tagged before her name was known are tagged again)', async () => {
    const server = (suite.server = await startTestServer({ taggerDebounceMs: 20 }));
    const fx = await createEventWithSession(server.url);
    const items = async () =>
      (await api<{ items: ActionItemDto[] }>(server.url, 'GET', `/api/sessions/${fx.session.id}/action-items`, { token: fx.event.tokens.view })).body.items;
    const ana = people.person(server, fx.session.id, fx.event.tokens.edit, 'Ana');
    await waitForSync(ana);
    appendParagraph(ana.doc, 'TODO: hana to update the runbook');
    // Indexed (not only shown by a read's preview) before Hana ever came.
    const before = await eventuallyValue(() => server.storage.actionItems.listBySession(fx.session.id), (v) => v.length === 1, 'the item stored', 10_000);
    expect(before[0]!.owners).toBe('[]');
    const hana = people.person(server, fx.session.id, fx.event.tokens.edit, 'Hana');
    await waitForSync(hana);
    appendParagraph(hana.doc, 'Hello from Hana');
    await eventuallyValue(() => server.storage.contributors.list(fx.session.id), (v) => v.includes('Hana'), 'Hana recorded as a note-taker', 10_000);
    // Nothing edits Ana's line again: what is stored must change because Hana's name became known (a read's preview would show it either way).
    const stored = await eventuallyValue(() => server.storage.actionItems.listBySession(fx.session.id), (v) => v.length === 1 && v[0]!.owners !== '[]', 'the stored item to be Hana’s', 10_000);
    expect(stored.map((r) => [r.text, JSON.parse(r.owners)])).toEqual([['hana to update the runbook', ['Hana']]]);
    expect((await items()).map((i) => [i.text, i.owners])).toEqual([['hana to update the runbook', ['Hana']]]);
  });
});
