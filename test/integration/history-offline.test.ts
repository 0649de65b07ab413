import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { HistoryListDto } from '../../shared/history/history.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { api, createEventWithSession, serverSuite, startTestServer } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

function writeParagraph(doc: Y.Doc, text: string): void {
  const t = new Y.XmlText();
  doc.transact(() => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [t]);
    doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
  });
  t.insert(0, text);
}

describe('a restore and an offline client', () => {
  const suite = serverSuite();

  it('edits made offline while someone restores an old version are merged on top when the client comes back', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const carla = connectClient(server.wsUrl, session.id, event.tokens.edit);
    const dan = connectClient(server.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(carla, dan);
    carla.provider.awareness.setLocalStateField('user', { name: 'Carla', color: '#8250df' });
    dan.provider.awareness.setLocalStateField('user', { name: 'Dan', color: '#bc4c00' });
    await Promise.all([waitForSync(carla), waitForSync(dan)]);

    writeParagraph(dan.doc, 'Dan: first draft');
    await waitFor(() => notesText(carla.doc).includes('Dan: first draft'), 5000, 'Carla sees Dan');
    writeParagraph(carla.doc, 'Carla: a line the restore removes');
    await waitFor(() => notesText(dan.doc).includes('Carla: a line the restore removes'), 5000, 'Dan sees Carla');
    await server.commitQueue.whenIdle();
    const list = await api<HistoryListDto>(server.url, 'GET', `/api/sessions/${session.id}/history`, { token: event.tokens.view });
    const dans = list.body.versions.find((v) => v.authors.includes('Dan'))!;

    // Carla loses the network and keeps typing.
    carla.provider.disconnect();
    writeParagraph(carla.doc, 'Carla: typed offline');

    const restored = await api<{ rev: number }>(server.url, 'POST', `/api/sessions/${session.id}/restore`, { token: event.tokens.edit, body: { rev: dans.rev } });
    expect(restored.status).toBe(200);
    await waitFor(() => !notesText(dan.doc).includes('a line the restore removes'), 5000, 'Dan gets the restore');

    // Back online: her offline line lands on top of the restored notes, for everyone.
    carla.provider.connect();
    await waitFor(() => notesText(dan.doc).includes('Carla: typed offline'), 5000, 'Dan gets the offline edit');
    await waitFor(() => !notesText(carla.doc).includes('a line the restore removes') && notesText(carla.doc).includes('Dan: first draft'), 5000, 'Carla gets the restore');
    expect(notesText(carla.doc)).toBe(notesText(dan.doc));
    expect(notesText(dan.doc)).toContain('Carla: typed offline');
    expect(notesText(dan.doc)).toContain('Dan: first draft');
    // Her reconnect was never refused as a forgery.
    expect(carla.closes.some((c) => c.code === 4400)).toBe(false);
  });
});
