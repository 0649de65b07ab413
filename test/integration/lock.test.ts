import { describe, expect, it, vi } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { apiClient, api, createEventWithSession, startTestServer, serverSuite } from '../helpers/testServer.js';
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

    const moderator = apiClient(suite.server.url, event.tokens.moderate);
    const locked = await moderator.patchSession(session.id, { locked: true });
    expect(locked.locked).toBe(true);

    appendParagraph(editor.doc, 'typed while locked');
    await waitFor(() => editor.closes.some((c) => c.code === CLOSE_CODES.forbiddenWrite), 5000, '4403');
    editor.provider.disconnect();
    appendParagraph(mod.doc, 'moderator while locked');

    const reader = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
    await waitFor(() => notesText(reader.doc).includes('moderator while locked'), 5000, 'moderator write');
    expect(notesText(reader.doc)).not.toContain('typed while locked');

    const unlocked = await moderator.patchSession(session.id, { locked: false });
    expect(unlocked.locked).toBe(false);
    // The note-taker's edit was kept on their device and arrives once the lock is lifted.
    editor.provider.connect();
    await waitFor(() => notesText(reader.doc).includes('typed while locked'), 5000, 'edit after unlock');
  });
  it('a document loaded after the lock was set is locked too (the flag lives in storage, not only in memory)', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    await apiClient(suite.server.url, event.tokens.moderate).patchSession(session.id, { locked: true });

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
    await apiClient(suite.server.url, event.tokens.moderate).patchSession(session.id, { locked: true });
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
    const ended = await apiClient(suite.server.url, event.tokens.moderate).patchSession(session.id, { state: 'ended' });
    expect(ended).toMatchObject({ state: 'ended', locked: false });
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
    await expect(apiClient(suite.server.url, event.tokens.edit).patchSession(session.id, { locked: true })).rejects.toMatchObject({ status: 403, code: 'insufficient_role' });
    const moderator = apiClient(suite.server.url, event.tokens.moderate);
    const ok = await moderator.patchSession(session.id, { locked: true, state: 'live', nowDiscussing: 'Quota across cells' });
    expect(ok).toMatchObject({ locked: true, state: 'live', nowDiscussing: 'Quota across cells' });
    const seen = await moderator.as(event.tokens.view).getSession(session.id);
    expect(seen).toMatchObject({ locked: true, state: 'live', nowDiscussing: 'Quota across cells' });
    // A value outside the enumeration: sent as it is, past the client's types.
    const bad = await api(suite.server.url, 'PATCH', `/api/sessions/${session.id}`, { token: event.tokens.moderate, body: { state: 'paused' } });
    expect(bad.status).toBe(400);
  });

  it('readonly=1 (the projector) makes any link a reader: counted as one, its writes refused and not stored', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const projector = connectClient(suite.server.wsUrl, session.id, event.tokens.moderate, { params: { readonly: '1' } });
    suite.clients.push(projector);
    await waitForSync(projector);
    const live = async () => (await apiClient(suite.server!.url, event.tokens.view).getEvent(event.event.id)).sessions[0]!.live;
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
