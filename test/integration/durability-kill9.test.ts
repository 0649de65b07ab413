import { describe, expect, it } from 'vitest';
import { childServerSuite, startChildServer } from '../helpers/childServer.js';
import { createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

describe('durability', () => {
  const suite = childServerSuite();

  it('kill -9 right after a second client saw an edit keeps that edit', async () => {
    const dataDir = tempDataDir();
    suite.child = await startChildServer(dataDir);
    const { event, session } = await createEventWithSession(suite.child.url);
    const writer = connectClient(suite.child.wsUrl, session.id, event.tokens.edit);
    const watcher = connectClient(suite.child.wsUrl, session.id, event.tokens.view);
    suite.clients.push(writer, watcher);
    await Promise.all([waitForSync(writer), waitForSync(watcher)]);

    for (let i = 0; i < 20; i++) appendParagraph(writer.doc, `line ${i} before the crash`);
    await waitFor(() => notesText(watcher.doc).includes('line 19 before the crash'), 5000, 'watcher sees the edits');
    await suite.restart(dataDir);
    const reader = connectClient(suite.child.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
    await waitFor(() => notesText(reader.doc).includes('line 19 before the crash'), 5000, 'edits after restart');
    for (let i = 0; i < 20; i++) expect(notesText(reader.doc)).toContain(`line ${i} before the crash`);
  });
});
