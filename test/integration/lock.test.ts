import { describe, expect, it, vi } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import type { EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { api, createEventWithSession, startTestServer, serverSuite } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

describe('locking notes', () => {
  const suite = serverSuite();

  it('while locked an edit connection’s update is refused (4403) and not stored; moderators still write', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const editor = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const mod = connectClient(suite.server.wsUrl, session.id, event.tokens.moderate);
    suite.clients.push(editor, mod);
    await Promise.all([waitForSync(editor), waitForSync(mod)]);

    const locked = await api<SessionDto>(suite.server.url, 'PATCH', `/api/sessions/${session.id}`, { token: event.tokens.moderate, body: { locked: true } });
    expect(locked.status).toBe(200);
    expect(locked.body.locked).toBe(true);

    appendParagraph(editor.doc, 'typed while locked');
    await waitFor(() => editor.closes.some((c) => c.code === CLOSE_CODES.forbiddenWrite), 5000, '4403');
    editor.provider.disconnect();
    appendParagraph(mod.doc, 'moderator while locked');

    const reader = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
    await waitFor(() => notesText(reader.doc).includes('moderator while locked'), 5000, 'moderator write');
    expect(notesText(reader.doc)).not.toContain('typed while locked');

    const unlocked = await api<SessionDto>(suite.server.url, 'PATCH', `/api/sessions/${session.id}`, { token: event.tokens.moderate, body: { locked: false } });
    expect(unlocked.body.locked).toBe(false);
    // The note-taker's edit was kept on their device and arrives once the lock is lifted.
    editor.provider.connect();
    await waitFor(() => notesText(reader.doc).includes('typed while locked'), 5000, 'edit after unlock');
  });
  it('a document loaded after the lock was set is locked too (the flag lives in storage, not only in memory)', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    await api(suite.server.url, 'PATCH', `/api/sessions/${session.id}`, { token: event.tokens.moderate, body: { locked: true } });

    const editor = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(editor);
    await waitForSync(editor);
    appendParagraph(editor.doc, 'typed into a freshly loaded locked room');
    await waitFor(() => editor.closes.some((c) => c.code === CLOSE_CODES.forbiddenWrite), 5000, '4403');
    editor.provider.disconnect();

    const reader = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
    expect(notesText(reader.doc)).not.toContain('freshly loaded locked room');
  });

  it('a locked session still serves reads live to every link', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    await api(suite.server.url, 'PATCH', `/api/sessions/${session.id}`, { token: event.tokens.moderate, body: { locked: true } });
    const mod = connectClient(suite.server.wsUrl, session.id, event.tokens.moderate);
    const editLink = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const viewLink = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(mod, editLink, viewLink);
    await Promise.all([waitForSync(mod), waitForSync(editLink), waitForSync(viewLink)]);
    appendParagraph(mod.doc, 'the moderator sums up');
    await waitFor(() => notesText(editLink.doc).includes('the moderator sums up') && notesText(viewLink.doc).includes('the moderator sums up'), 5000, 'live reads while locked');
    expect(editLink.closes).toEqual([]);
    expect(viewLink.closes).toEqual([]);
  });

  it('ending a session does not lock it', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const ended = await api<SessionDto>(suite.server.url, 'PATCH', `/api/sessions/${session.id}`, { token: event.tokens.moderate, body: { state: 'ended' } });
    expect(ended.body).toMatchObject({ state: 'ended', locked: false });
    const editor = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const reader = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(editor, reader);
    await Promise.all([waitForSync(editor), waitForSync(reader)]);
    appendParagraph(editor.doc, 'added after the session ended');
    await waitFor(() => notesText(reader.doc).includes('added after the session ended'), 5000, 'write after ending');
    expect(editor.closes).toEqual([]);
  });

  it('only the moderate link may lock, and the session JSON carries locked, state and nowDiscussing', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const byEditor = await api(suite.server.url, 'PATCH', `/api/sessions/${session.id}`, { token: event.tokens.edit, body: { locked: true } });
    expect(byEditor.status).toBe(403);
    const ok = await api<SessionDto>(suite.server.url, 'PATCH', `/api/sessions/${session.id}`, { token: event.tokens.moderate, body: { locked: true, state: 'live', nowDiscussing: 'Quota across cells' } });
    expect(ok.body).toMatchObject({ locked: true, state: 'live', nowDiscussing: 'Quota across cells' });
    const seen = await api<SessionDto>(suite.server.url, 'GET', `/api/sessions/${session.id}`, { token: event.tokens.view });
    expect(seen.body).toMatchObject({ locked: true, state: 'live', nowDiscussing: 'Quota across cells' });
    const bad = await api(suite.server.url, 'PATCH', `/api/sessions/${session.id}`, { token: event.tokens.moderate, body: { state: 'paused' } });
    expect(bad.status).toBe(400);
  });

  it('readonly=1 (the projector) makes any link a reader: counted as one, its writes refused and not stored', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const projector = connectClient(suite.server.wsUrl, session.id, event.tokens.moderate, { params: { readonly: '1' } });
    suite.clients.push(projector);
    await waitForSync(projector);
    const live = async () => (await api<EventWithSessionsDto>(suite.server!.url, 'GET', `/api/events/${event.event.id}`, { token: event.tokens.view })).body.sessions[0]!.live;
    await vi.waitFor(async () => expect(await live()).toEqual({ editors: 0, viewers: 1 }), { timeout: 5000 });

    appendParagraph(projector.doc, 'the projector must not write');
    await waitFor(() => projector.closes.some((c) => c.code === CLOSE_CODES.forbiddenWrite), 5000, '4403 for the projector');
    projector.provider.disconnect();
    const reader = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
    expect(notesText(reader.doc)).not.toContain('the projector must not write');
  });
});
