import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { HistoryListDto, VersionDocDto } from '../../shared/history/history.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { childServerSuite, startChildServer } from '../helpers/childServer.js';
import { api, createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

const P1 = 'Alice: the upgrade plan for Nova';
const P2 = 'Bob: Ceph needs a new pool';

function writeParagraph(doc: Y.Doc, text: string): void {
  const t = new Y.XmlText();
  doc.transact(() => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [t]);
    doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
  });
  for (const ch of text) t.insert(t.length, ch);
}

const textOf = (doc: unknown): string => {
  const parts: string[] = [];
  const walk = (n: { text?: string; content?: unknown[] }) => {
    if (typeof n.text === 'string') parts.push(n.text);
    for (const c of n.content ?? []) walk(c as typeof n);
  };
  walk(doc as { content?: unknown[] });
  return parts.join('');
};

describe('history survives kill -9', () => {
  const suite = childServerSuite();

  it('two authors, one empties the notes, a restore brings them back; after kill -9 the restored notes and the whole history are there', async () => {
    const dataDir = tempDataDir();
    // Compacting often: most of the history is folded before the crash, the rest is still in the update log.
    suite.child = await startChildServer(dataDir, { env: { COMPACT_EVERY_UPDATES: '10' } });
    const { event, session } = await createEventWithSession(suite.child.url);
    const alice = connectClient(suite.child.wsUrl, session.id, event.tokens.edit);
    const bob = connectClient(suite.child.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(alice, bob);
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice', color: '#cf222e' });
    bob.provider.awareness.setLocalStateField('user', { name: 'Bob', color: '#1a7f37' });
    await Promise.all([waitForSync(alice), waitForSync(bob)]);

    writeParagraph(alice.doc, P1);
    await waitFor(() => notesText(bob.doc).includes(P1), 5000, 'Bob sees Alice');
    writeParagraph(bob.doc, P2);
    await waitFor(() => notesText(alice.doc).includes(P2), 5000, 'Alice sees Bob');
    const f = alice.doc.getXmlFragment(NOTES_FRAGMENT);
    f.delete(0, f.length);
    await waitFor(() => !notesText(bob.doc).includes(P1), 5000, 'Bob sees the notes emptied');

    const before = await api<HistoryListDto>(suite.child.url, 'GET', `/api/sessions/${session.id}/history`, { token: event.tokens.view });
    expect(before.status).toBe(200);
    const bobs = before.body.versions.find((v) => v.authors.includes('Bob'))!;
    const restored = await api<{ rev: number }>(suite.child.url, 'POST', `/api/sessions/${session.id}/restore`, { token: event.tokens.edit, body: { rev: bobs.rev } });
    expect(restored.status).toBe(200);
    await waitFor(() => notesText(alice.doc).includes(P1) && notesText(alice.doc).includes(P2), 5000, 'Alice gets the restore live');
    const after = await api<HistoryListDto>(suite.child.url, 'GET', `/api/sessions/${session.id}/history`, { token: event.tokens.view });
    expect(after.body.versions[0]!.authors).toEqual(['restore']);

    await suite.restart(dataDir, { env: { COMPACT_EVERY_UPDATES: '10' } });
    const reader = connectClient(suite.child.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
    await waitFor(() => notesText(reader.doc).includes(P1) && notesText(reader.doc).includes(P2), 5000, 'the restored notes after the restart');
    const again = await api<HistoryListDto>(suite.child.url, 'GET', `/api/sessions/${session.id}/history`, { token: event.tokens.view });
    // Every version, with the same numbers and the same authors, and the restore as the newest.
    expect(again.body.versions.map((v) => [v.rev, v.authors])).toEqual(after.body.versions.map((v) => [v.rev, v.authors]));
    const old = await api<VersionDocDto>(suite.child.url, 'GET', `/api/sessions/${session.id}/history/${bobs.rev}`, { token: event.tokens.view });
    expect(textOf(old.body.doc)).toContain(P1);
    expect(textOf(old.body.doc)).toContain(P2);
  });
});
