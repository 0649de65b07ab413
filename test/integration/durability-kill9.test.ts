import { afterEach, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../helpers/childServer.js';
import { createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

describe('durability', () => {
  let child: ChildServer | undefined;
  const clients: YClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await child?.kill9();
    child = undefined;
  });

  it('kill -9 right after a second client saw an edit keeps that edit', async () => {
    const dataDir = tempDataDir();
    child = await startChildServer(dataDir);
    const { event, session } = await createEventWithSession(child.url);
    const writer = connectClient(child.wsUrl, session.id, event.tokens.edit);
    const watcher = connectClient(child.wsUrl, session.id, event.tokens.view);
    clients.push(writer, watcher);
    await Promise.all([waitForSync(writer), waitForSync(watcher)]);

    for (let i = 0; i < 20; i++) appendParagraph(writer.doc, `line ${i} before the crash`);
    await waitFor(() => notesText(watcher.doc).includes('line 19 before the crash'), 5000, 'watcher sees the edits');
    await child.kill9();
    child = undefined;
    for (const c of clients.splice(0)) c.destroy();

    child = await startChildServer(dataDir);
    const reader = connectClient(child.wsUrl, session.id, event.tokens.view);
    clients.push(reader);
    await waitForSync(reader);
    await waitFor(() => notesText(reader.doc).includes('line 19 before the crash'), 5000, 'edits after restart');
    for (let i = 0; i < 20; i++) expect(notesText(reader.doc)).toContain(`line ${i} before the crash`);
  });
});
