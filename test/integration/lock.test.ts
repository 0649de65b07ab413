import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import type { SessionDto } from '../../shared/schemas.js';
import { api, createEventWithSession, startTestServer, type TestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

describe('locking notes', () => {
  let server: TestServer | undefined;
  const clients: YClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
    server = undefined;
  });

  it('while locked an edit connection’s update is refused (4403) and not stored; moderators still write', async () => {
    server = await startTestServer();
    const { event, session } = await createEventWithSession(server.url);
    const editor = connectClient(server.wsUrl, session.id, event.tokens.edit);
    const mod = connectClient(server.wsUrl, session.id, event.tokens.moderate);
    clients.push(editor, mod);
    await Promise.all([waitForSync(editor), waitForSync(mod)]);

    const locked = await api<SessionDto>(server.url, 'PATCH', `/api/sessions/${session.id}`, { token: event.tokens.moderate, body: { locked: true } });
    expect(locked.status).toBe(200);
    expect(locked.body.locked).toBe(true);

    appendParagraph(editor.doc, 'typed while locked');
    await waitFor(() => editor.closes.some((c) => c.code === CLOSE_CODES.forbiddenWrite), 5000, '4403');
    editor.provider.disconnect();
    appendParagraph(mod.doc, 'moderator while locked');

    const reader = connectClient(server.wsUrl, session.id, event.tokens.view);
    clients.push(reader);
    await waitForSync(reader);
    await waitFor(() => notesText(reader.doc).includes('moderator while locked'), 5000, 'moderator write');
    expect(notesText(reader.doc)).not.toContain('typed while locked');

    const unlocked = await api<SessionDto>(server.url, 'PATCH', `/api/sessions/${session.id}`, { token: event.tokens.moderate, body: { locked: false } });
    expect(unlocked.body.locked).toBe(false);
    // The note-taker's edit was kept on their device and arrives once the lock is lifted.
    editor.provider.connect();
    await waitFor(() => notesText(reader.doc).includes('typed while locked'), 5000, 'edit after unlock');
  });
});
