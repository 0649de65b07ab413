import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import type { RoomExtension } from '../../server/collab/roomExtension.js';
import { apiClient, createEventWithSession, startTestServer, serverSuite } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

/**
 * An extension whose load step waits until released, the first time only: a
 * room that takes long to load (a slow store, a big document) while a
 * moderator acts on its session.
 */
function heldLoad(): { extension: RoomExtension; entered: Promise<void>; release(): void } {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const enteredP = new Promise<void>((r) => (entered = r));
  let first = true;
  const extension: RoomExtension = {
    name: 'held-load',
    loaded: () => {
      if (!first) return;
      first = false;
      entered();
      return held;
    },
  };
  return { extension, entered: enteredP, release };
}

describe('a moderator acting while a session’s room loads', () => {
  const suite = serverSuite();

  /** A server whose first room load waits, and a note-taker connected to a session while its room loads. */
  async function editorWhileLoading() {
    const hold = heldLoad();
    const server = (suite.server = await startTestServer({ extensions: [hold.extension] }));
    const { event, session } = await createEventWithSession(server.url);
    const editor = connectClient(server.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(editor);
    await hold.entered;
    return { hold, event, session, editor, server };
  }

  it('a lock set during the load holds once the room is loaded: the note-taker’s edit is refused (4403) and not stored', async () => {
    const { hold, event, session, editor, server } = await editorWhileLoading();
    // The load has read the lock flag from storage (unlocked) and is not done.
    expect((await apiClient(server.url, event.tokens.moderate).patchSession(session.id, { locked: true })).locked).toBe(true);
    hold.release();
    await waitForSync(editor);

    appendParagraph(editor.doc, 'typed into notes locked while they loaded');
    await waitFor(() => editor.closes.some((c) => c.code === CLOSE_CODES.forbiddenWrite), 5000, '4403');
    editor.provider.disconnect();
    const reader = connectClient(server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
    expect(notesText(reader.doc)).not.toContain('locked while they loaded');
  });

  it('deleting the session during the load closes the sockets waiting for it (4404)', async () => {
    const { hold, event, session, editor, server } = await editorWhileLoading();
    await apiClient(server.url, event.tokens.moderate).deleteSession(session.id);
    await waitFor(() => editor.closes.some((c) => c.code === CLOSE_CODES.unknownSession), 5000, '4404 while loading');
    hold.release();
  });
});
