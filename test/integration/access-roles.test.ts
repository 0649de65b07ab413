import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { api, createEventWithSession, startTestServer, serverSuite } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { openRaw } from '../helpers/rawSocket.js';
import * as encoding from 'lib0/encoding';

describe('capability links and roles', () => {
  const suite = serverSuite();

  it('a view connection that sends an update is closed with 4403 and nothing is stored or broadcast', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const editor = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    const viewer = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(editor, viewer);
    await Promise.all([waitForSync(editor), waitForSync(viewer)]);
    // The stock client keeps its view connection open: its SyncStep2 reply is a no-op.
    expect(viewer.closes).toEqual([]);

    appendParagraph(viewer.doc, 'vandalism from a view link');
    await waitFor(() => viewer.closes.some((c) => c.code === CLOSE_CODES.forbiddenWrite), 5000, 'view socket closed');
    viewer.provider.disconnect();
    await new Promise((r) => setTimeout(r, 200));
    expect(notesText(editor.doc)).not.toContain('vandalism');
    const fresh = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(fresh);
    await waitForSync(fresh);
    expect(notesText(fresh.doc)).not.toContain('vandalism');
  });

  it('a view connection gets its SyncStep1 answered and its own awareness echoed', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const viewer = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(viewer);
    await waitForSync(viewer);
    viewer.provider.awareness.setLocalStateField('user', { name: 'Projector', role: 'view' });
    const ws = viewer.provider.ws!;
    let echoed = false;
    ws.addEventListener('message', (ev: MessageEvent) => {
      const bytes = new Uint8Array(ev.data as ArrayBuffer);
      if (bytes[0] === 1) echoed = true;
    });
    viewer.provider.awareness.setLocalStateField('user', { name: 'Projector 2', role: 'view' });
    await waitFor(() => echoed, 3000, 'awareness echo');
    expect(viewer.closes).toEqual([]);
  });

  it('edit implies view and moderate implies edit', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const mod = connectClient(suite.server.wsUrl, session.id, event.tokens.moderate);
    const reader = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(mod, reader);
    await Promise.all([waitForSync(mod), waitForSync(reader)]);
    appendParagraph(mod.doc, 'moderator writes');
    await waitFor(() => notesText(reader.doc).includes('moderator writes'), 5000, 'reader sees moderator');
    const asEdit = await api(suite.server.url, 'GET', `/api/sessions/${session.id}`, { token: event.tokens.edit });
    expect(asEdit.status).toBe(200);
    const editCannotModerate = await api(suite.server.url, 'PATCH', `/api/sessions/${session.id}`, {
      token: event.tokens.edit,
      body: { title: 'hijack' },
    });
    expect(editCannotModerate.status).toBe(403);
  });

  it('a rotated token is refused and its live socket is closed with 4409', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const editor = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(editor);
    await waitForSync(editor);
    const rotated = await api<{ link: string; token: string }>(suite.server.url, 'POST', `/api/events/${event.event.id}/links/edit/rotate`, {
      token: event.tokens.moderate,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).not.toBe(event.tokens.edit);
    expect(rotated.body.link).toContain(`#k=${rotated.body.token}`);
    await waitFor(() => editor.closes.some((c) => c.code === CLOSE_CODES.tokenRevoked), 5000, '4409 close');
    editor.provider.disconnect();

    const old = await openRaw(`${suite.server.wsUrl}/${session.id}?token=${event.tokens.edit}`);
    expect((await old.closed).code).toBe(CLOSE_CODES.unauthorized);
    const oldRest = await api(suite.server.url, 'GET', `/api/sessions/${session.id}`, { token: event.tokens.edit });
    expect(oldRest.status).toBe(401);

    const fresh = connectClient(suite.server.wsUrl, session.id, rotated.body.token);
    suite.clients.push(fresh);
    await waitForSync(fresh);
    appendParagraph(fresh.doc, 'with the new link');
    const check = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(check);
    await waitFor(() => notesText(check.doc).includes('with the new link'), 5000, 'new link writes');
  });

  it('a missing or foreign token is closed with 4401; an unknown session with 4404', async () => {
    suite.server = await startTestServer();
    const a = await createEventWithSession(suite.server.url, 'Event A');
    const b = await createEventWithSession(suite.server.url, 'Event B');
    const none = await openRaw(`${suite.server.wsUrl}/${a.session.id}`);
    expect((await none.closed).code).toBe(CLOSE_CODES.unauthorized);
    const foreign = await openRaw(`${suite.server.wsUrl}/${a.session.id}?token=${b.event.tokens.moderate}`);
    expect((await foreign.closed).code).toBe(CLOSE_CODES.unauthorized);
    const unknown = await openRaw(`${suite.server.wsUrl}/aaaaaaaaaaaaaaaa?token=${a.event.tokens.edit}`);
    expect((await unknown.closed).code).toBe(CLOSE_CODES.unknownSession);
  });

  it('an editor client with an old schema version is told to reload (4426)', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const old = await openRaw(`${suite.server.wsUrl}/${session.id}?token=${event.tokens.edit}&schema=0`);
    expect((await old.closed).code).toBe(CLOSE_CODES.editorVersionMismatch);
  });

  it('the saved acknowledgement counts document messages once they are durable', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const raw = await openRaw(`${suite.server.wsUrl}/${session.id}?token=${event.tokens.edit}&ack=1`);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    appendParagraph(doc, 'first');
    appendParagraph(doc, 'second');
    for (const u of updates) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, u);
      raw.ws.send(encoding.toUint8Array(e));
    }
    await waitFor(() => raw.messages.some((m) => m[0] === 100 && m[1] === 2), 5000, 'ack of 2');
    // The seed and the two acknowledged updates.
    expect((await suite.server.storage.docs.load(session.id)).updates.length).toBeGreaterThanOrEqual(2);
    raw.ws.close();
  });
});
