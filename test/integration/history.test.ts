import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { AuthorCharsDto, HistoryListDto, VersionDocDto } from '../../shared/history/history.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { api, apiClient, createEventWithSession, serverSuite, startTestServer, type TestServer } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

/** A note-taker with a display name, typing the way the editor does (a keystroke at a time). */
function noteTaker(suite: { clients: YClient[] }, server: { wsUrl: string }, sessionId: string, token: string, name: string, color = '#0969da') {
  const client = connectClient(server.wsUrl, sessionId, token);
  client.provider.awareness.setLocalStateField('user', { name, color });
  suite.clients.push(client);
  return {
    client,
    type(text: string): void {
      const t = new Y.XmlText();
      client.doc.transact(() => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [t]);
        client.doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
      });
      for (const ch of text) t.insert(t.length, ch);
    },
    /** Select all, delete. */
    deleteAll(): void {
      const f = client.doc.getXmlFragment(NOTES_FRAGMENT);
      f.delete(0, f.length);
    },
  };
}

/** Every text run of a version's JSON with its author, in document order. */
function runs(doc: unknown): { text: string; author: string | null; change: string | null }[] {
  const out: { text: string; author: string | null; change: string | null }[] = [];
  const walk = (n: { type?: string; text?: string; marks?: { type: string; attrs?: Record<string, unknown> }[]; content?: unknown[] }) => {
    if (n.type === 'text') {
      const author = n.marks?.find((m) => m.type === 'author');
      const change = n.marks?.find((m) => m.type === 'change');
      out.push({ text: n.text ?? '', author: author ? String(author.attrs?.name) : null, change: change ? String(change.attrs?.kind) : null });
    }
    for (const c of n.content ?? []) walk(c as typeof n);
  };
  walk(doc as Parameters<typeof walk>[0]);
  return out;
}

const textOf = (doc: unknown) =>
  runs(doc)
    .map((r) => r.text)
    .join('');

async function history(base: string, sessionId: string, token: string): Promise<HistoryListDto> {
  const res = await api<HistoryListDto>(base, 'GET', `/api/sessions/${sessionId}/history`, { token });
  expect(res.status).toBe(200);
  return res.body;
}

async function version(base: string, sessionId: string, token: string, rev: number, query = ''): Promise<VersionDocDto> {
  const res = await api<VersionDocDto>(base, 'GET', `/api/sessions/${sessionId}/history/${rev}${query}`, { token });
  expect(res.status).toBe(200);
  return res.body;
}

const P1 = 'Alice: the upgrade plan for Nova';
const P2 = 'Bob: Ceph needs a new pool';

/** Alice and Bob each write a paragraph, then Alice empties the notes (a careless select-all). */
async function twoAuthorsThenEmptied(suite: { clients: YClient[] }, server: { url: string; wsUrl: string }, sessionId: string, edit: string) {
  const alice = noteTaker(suite, server, sessionId, edit, 'Alice', '#cf222e');
  const bob = noteTaker(suite, server, sessionId, edit, 'Bob', '#1a7f37');
  await Promise.all([waitForSync(alice.client), waitForSync(bob.client)]);
  alice.type(P1);
  await waitFor(() => notesText(bob.client.doc).includes(P1), 5000, 'Bob sees Alice');
  bob.type(P2);
  await waitFor(() => notesText(alice.client.doc).includes(P2), 5000, 'Alice sees Bob');
  alice.deleteAll();
  await waitFor(() => !notesText(bob.client.doc).includes(P1), 5000, 'Bob sees the empty notes');
  return { alice, bob };
}

describe('history (real server, real y-websocket clients)', () => {
  const suite = serverSuite();

  it('lists revisions with both authors, shows the old version, and a restore brings it back to every open client', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const { alice, bob } = await twoAuthorsThenEmptied(suite, server, session.id, event.tokens.edit);
    const reader = connectClient(server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);

    const list = await history(server.url, session.id, event.tokens.view);
    // Newest first: Alice emptying it, Bob's paragraph, Alice's paragraph, the template.
    expect(list.versions.map((v) => v.authors)).toEqual([['Alice'], ['Bob'], ['Alice'], ['template']]);
    expect(list.latest).toBe(4);
    expect(list.people.map((p) => p.name).sort()).toEqual(['Alice', 'Bob', 'template']);
    expect(list.people.find((p) => p.name === 'Alice')?.color).toBe('#cf222e');

    const both = await version(server.url, session.id, event.tokens.view, 3);
    const byAuthor = runs(both.doc).filter((r) => r.text === P1 || r.text === P2);
    expect(byAuthor).toEqual([
      { text: P1, author: 'Alice', change: null },
      { text: P2, author: 'Bob', change: null },
    ]);
    expect(textOf((await version(server.url, session.id, event.tokens.view, 4)).doc)).not.toContain(P1);
    const md = await api<string>(server.url, 'GET', `/api/sessions/${session.id}/history/3?format=md`, { token: event.tokens.view });
    expect(md.headers.get('content-type')).toMatch(/text\/markdown/);
    expect(md.body).toContain(P1);
    expect(md.body).toContain(P2);
    const txt = await api<string>(server.url, 'GET', `/api/sessions/${session.id}/history/3?format=txt`, { token: event.tokens.view });
    expect(txt.body).toContain(P2);
    // The diff from version 3 to 4 shows both paragraphs deleted, where they were.
    const diff = await version(server.url, session.id, event.tokens.view, 4, '?diff=3');
    expect(diff.diffFrom).toBe(3);
    expect(runs(diff.doc).filter((r) => r.change === 'deleted').map((r) => r.text)).toEqual(expect.arrayContaining([P1, P2]));

    const restored = await api<{ rev: number }>(server.url, 'POST', `/api/sessions/${session.id}/restore`, { token: event.tokens.edit, body: { rev: 3 } });
    expect(restored.status).toBe(200);
    expect(restored.body.rev).toBe(5);
    for (const c of [alice.client, bob.client, reader]) await waitFor(() => notesText(c.doc).includes(P1) && notesText(c.doc).includes(P2), 5000, 'restored everywhere');
    const after = await history(server.url, session.id, event.tokens.view);
    expect(after.versions[0]).toMatchObject({ rev: 5, authors: ['restore'] });
    // The restore is itself a version: restoring 4 empties the notes again, and 5 brings them back.
    expect((await api(server.url, 'POST', `/api/sessions/${session.id}/restore`, { token: event.tokens.edit, body: { rev: 4 } })).status).toBe(200);
    await waitFor(() => !notesText(reader.doc).includes(P1), 5000, 'undone by restoring again');
    expect((await api(server.url, 'POST', `/api/sessions/${session.id}/restore`, { token: event.tokens.moderate, body: { rev: 5 } })).status).toBe(200);
    await waitFor(() => notesText(reader.doc).includes(P2), 5000, 'and back');
    expect(notesText(reader.doc).split(P1).length - 1).toBe(1);
  });

  it('a restore names who restored it next to `restore` (the typed client sends the name); the restored text stays the restore’s', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const since = new Date().toISOString();
    const { alice } = await twoAuthorsThenEmptied(suite, server, session.id, event.tokens.edit);

    // Ann (a display name, trimmed as every name history records) restores version 3 through the client's API method.
    const byAnn = await apiClient(server.url, event.tokens.edit).restore(session.id, 3, undefined, '  Ann ');
    expect(byAnn.rev).toBe(5);
    await waitFor(() => notesText(alice.client.doc).includes(P1), 5000, 'restored');
    const list = await history(server.url, session.id, event.tokens.view);
    expect(list.versions.map((v) => v.authors)).toEqual([['restore', 'Ann'], ['Alice'], ['Bob'], ['Alice'], ['template']]);
    expect(list.people).toContainEqual(expect.objectContaining({ name: 'Ann', kind: 'person' }));
    // Only the version is hers: the restored text is still written by the restore, and Ann wrote no characters.
    const v5 = await version(server.url, session.id, event.tokens.view, 5);
    expect(runs(v5.doc).filter((r) => r.text === P1 || r.text === P2).map((r) => r.author)).toEqual(['restore', 'restore']);
    expect(v5.authors.map((a) => a.name)).not.toContain('Ann');
    expect((await api<AuthorCharsDto[]>(server.url, 'GET', `/api/sessions/${session.id}/authors`, { token: event.tokens.view })).body.map((a) => a.name)).not.toContain('Ann');

    // A name longer than any display name is refused, nothing applied.
    expect((await api(server.url, 'POST', `/api/sessions/${session.id}/restore`, { token: event.tokens.edit, body: { rev: 4, by: 'A'.repeat(61) } })).status).toBe(400);
    // Reverting Ann finds her, but a restore she asked for is not text she wrote: nothing is undone.
    const notes = notesText(alice.client.doc);
    const reverted = await api<{ reverted: number }>(server.url, 'POST', `/api/sessions/${session.id}/revert-author`, { token: event.tokens.moderate, body: { name: 'Ann', since } });
    expect(reverted.status).toBe(200);
    expect(reverted.body.reverted).toBe(0);
    expect((await history(server.url, session.id, event.tokens.view)).latest).toBe(5);
    expect(notesText(alice.client.doc)).toBe(notes);
  });

  it('a restore without a name (or with a blank one) is credited to `restore` alone, as before', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const { alice } = await twoAuthorsThenEmptied(suite, server, session.id, event.tokens.edit);
    const restoreUrl = `/api/sessions/${session.id}/restore`;

    expect((await api(server.url, 'POST', restoreUrl, { token: event.tokens.edit, body: { rev: 3 } })).status).toBe(200);
    await waitFor(() => notesText(alice.client.doc).includes(P1), 5000, 'restored');
    expect((await apiClient(server.url, event.tokens.edit).restore(session.id, 4, undefined, '   ')).rev).toBe(6);
    await waitFor(() => !notesText(alice.client.doc).includes(P1), 5000, 'emptied again');
    const list = await history(server.url, session.id, event.tokens.view);
    expect(list.versions.map((v) => v.authors)).toEqual([['restore'], ['restore'], ['Alice'], ['Bob'], ['Alice'], ['template']]);
    expect(list.people.map((p) => p.name).sort()).toEqual(['Alice', 'Bob', 'restore', 'template']);
  });

  it('/authors attributes each paragraph to its writer, and the template to the template', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const alice = noteTaker(suite, server, session.id, event.tokens.edit, 'Alice', '#cf222e');
    const bob = noteTaker(suite, server, session.id, event.tokens.edit, 'Bob');
    await Promise.all([waitForSync(alice.client), waitForSync(bob.client)]);
    alice.type(P1);
    await waitFor(() => notesText(bob.client.doc).includes(P1), 5000, 'Bob has it');
    bob.type(P2);
    await waitFor(() => notesText(alice.client.doc).includes(P2), 5000, 'both paragraphs everywhere');
    await server.commitQueue.whenIdle();
    const res = await api<AuthorCharsDto[]>(server.url, 'GET', `/api/sessions/${session.id}/authors`, { token: event.tokens.view });
    expect(res.status).toBe(200);
    const chars = Object.fromEntries(res.body.map((a) => [`${a.kind}:${a.name}`, a.chars]));
    expect(chars['person:Alice']).toBe([...P1].length);
    expect(chars['person:Bob']).toBe([...P2].length);
    expect(chars['template:template']).toBeGreaterThan(0);
    expect(res.body.find((a) => a.name === 'Alice')).toMatchObject({ color: '#cf222e', clients: [alice.client.doc.clientID] });
    // The runs of the newest version say the same.
    const latest = (await history(server.url, session.id, event.tokens.view)).latest;
    const doc = (await version(server.url, session.id, event.tokens.view, latest)).doc;
    expect(runs(doc).filter((r) => r.text === P1 || r.text === P2).map((r) => r.author)).toEqual(['Alice', 'Bob']);
    // The minutes list the note-takers by how much of the notes each wrote.
    const minutes = await api<string>(server.url, 'GET', `/api/sessions/${session.id}/minutes?format=md`, { token: event.tokens.view });
    expect(minutes.body).toMatch(P1.length > P2.length ? /Note-takers:\*\* Alice, Bob/ : /Note-takers:\*\* Bob, Alice/);
  });

  it("revert-author removes only that author's changes since a time, and puts back what they deleted", async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const alice = noteTaker(suite, server, session.id, event.tokens.edit, 'Alice');
    const vandal = noteTaker(suite, server, session.id, event.tokens.edit, 'Vandal');
    await Promise.all([waitForSync(alice.client), waitForSync(vandal.client)]);
    alice.type(P1);
    await waitFor(() => notesText(vandal.client.doc).includes(P1), 5000, 'the vandal sees it');
    const since = new Date().toISOString();
    vandal.type('BUY CHEAP WATCHES');
    vandal.client.doc.transact(() => {
      // Deletes Alice's paragraph.
      const f = vandal.client.doc.getXmlFragment(NOTES_FRAGMENT);
      const i = f.toArray().findIndex((p) => p instanceof Y.XmlElement && p.toString().includes('upgrade plan'));
      f.delete(i, 1);
    });
    await waitFor(() => !notesText(alice.client.doc).includes(P1), 5000, 'Alice sees the vandalism');
    alice.type('Alice keeps writing');
    await waitFor(() => notesText(vandal.client.doc).includes('Alice keeps writing'), 5000, 'the vandal sees that');

    const notModerator = await api(server.url, 'POST', `/api/sessions/${session.id}/revert-author`, { token: event.tokens.edit, body: { name: 'Vandal', since } });
    expect(notModerator.status).toBe(403);
    // `by` is the restore's rule: a name longer than any display name is refused, with a message, and nothing is applied.
    const latestBefore = (await history(server.url, session.id, event.tokens.view)).latest;
    const tooLong = await api<{ error: { code: string; message: string } }>(server.url, 'POST', `/api/sessions/${session.id}/revert-author`, {
      token: event.tokens.moderate,
      body: { name: 'Vandal', since, by: 'M'.repeat(61) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ code: 'field_too_long', message: 'by is too long (at most 60 characters)', params: { field: 'by', max: 60 } });
    expect(notesText(alice.client.doc)).toContain('WATCHES');
    expect((await history(server.url, session.id, event.tokens.view)).latest).toBe(latestBefore);
    // The moderator who reverts (a display name, trimmed) is credited on the version next to `restore`.
    const res = await api<{ rev: number; reverted: number }>(server.url, 'POST', `/api/sessions/${session.id}/revert-author`, {
      token: event.tokens.moderate,
      body: { name: 'Vandal', since, by: '  Mona ' },
    });
    expect(res.status).toBe(200);
    expect(res.body.reverted).toBeGreaterThanOrEqual(1);
    await waitFor(() => notesText(alice.client.doc).includes(P1) && !notesText(alice.client.doc).includes('WATCHES'), 5000, 'vandalism undone');
    const reverts = (await history(server.url, session.id, event.tokens.view)).versions.filter((v) => v.authors.includes('restore'));
    expect(reverts.map((v) => v.authors)).toEqual([['restore', 'Mona']]);
    expect(reverts[0]!.rev).toBe(res.body.rev);
    expect(notesText(alice.client.doc)).toContain('Alice keeps writing');
    await waitFor(() => notesText(vandal.client.doc) === notesText(alice.client.doc), 5000, 'everyone converges');
    const unknown = await api<{ error: { code: string } }>(server.url, 'POST', `/api/sessions/${session.id}/revert-author`, { token: event.tokens.moderate, body: { name: 'Nobody', since } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('author_not_found');
  });

  it("refuses an update that writes with someone else's client id (4400, nothing stored)", async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const alice = noteTaker(suite, server, session.id, event.tokens.edit, 'Alice');
    await waitForSync(alice.client);
    alice.type(P1);
    // Alice's id is bound to her once the server has her typing (whenIdle alone may run before it arrives,
    // and an id nobody has written with yet is bound to whoever writes with it first).
    await waitFor(() => notesText(server.registry.get(session.id)!.doc).includes(P1), 5000, 'the server has Alice’s paragraph');
    await server.commitQueue.whenIdle();

    // Mallory copies Alice's state, then writes with Alice's Yjs client id: her text would show as Alice's.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(alice.client.doc));
    forged.clientID = alice.client.doc.clientID;
    const mallory = noteTaker(suite, server, session.id, event.tokens.edit, 'Mallory');
    await waitForSync(mallory.client);
    let update: Uint8Array | null = null;
    forged.on('update', (u: Uint8Array) => (update = u));
    forged.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('Alice agrees to pay for everything')]);
      forged.getXmlFragment(NOTES_FRAGMENT).push([p]);
    });
    Y.applyUpdate(mallory.client.doc, update!);
    await waitFor(() => mallory.client.closes.some((c) => c.code === 4400), 5000, 'Mallory closed with 4400');
    expect(mallory.client.closes.find((c) => c.code === 4400)?.reason).toMatch(/client id bound to another author/);
    mallory.client.provider.disconnect();

    // Nothing of it was stored: a fresh reader (a round trip through the server) does not get it.
    const reader = connectClient(server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
    expect(notesText(reader.doc)).toContain(P1);
    expect(notesText(reader.doc)).not.toContain('pay for everything');
    // Alice herself goes on writing with her own id.
    alice.type('Alice again');
    await waitFor(() => notesText(reader.doc).includes('Alice again'), 5000, 'Alice still writes');
  });

  it('answers bad input with a registered error: unknown revision 404, view link 403, locked 423, nothing applied', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const alice = noteTaker(suite, server, session.id, event.tokens.edit, 'Alice');
    await waitForSync(alice.client);
    alice.type(P1);
    await expect.poll(async () => (await history(server.url, session.id, event.tokens.view)).latest, { timeout: 5000 }).toBe(2);
    const base = `/api/sessions/${session.id}`;

    const missing = await api<{ error: { code: string; message: string; params: Record<string, number> } }>(server.url, 'GET', `${base}/history/99`, { token: event.tokens.view });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'revision_not_found', params: { rev: 99, latest: 2 } });
    expect(missing.body.error.message).toMatch(/no version 99/);
    expect((await api(server.url, 'POST', `${base}/restore`, { token: event.tokens.edit, body: { rev: 99 } })).status).toBe(404);

    const view = await api<{ error: { code: string } }>(server.url, 'POST', `${base}/restore`, { token: event.tokens.view, body: { rev: 1 } });
    expect(view.status).toBe(403);
    expect(view.body.error.code).toBe('insufficient_role');

    expect((await api(server.url, 'PATCH', base, { token: event.tokens.moderate, body: { locked: true } })).status).toBe(200);
    const locked = await api<{ error: { code: string } }>(server.url, 'POST', `${base}/restore`, { token: event.tokens.edit, body: { rev: 1 } });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('notes_locked');

    for (const body of [{}, { rev: 0 }, { rev: 'x' }, { rev: 1, extra: true }, { rev: 1, blockId: 'not a block' }]) {
      const bad = await api<{ error: { code: string } }>(server.url, 'POST', `${base}/restore`, { token: event.tokens.moderate, body });
      expect(bad.status).toBe(400);
    }
    const noBlock = await api<{ error: { code: string } }>(server.url, 'POST', `${base}/restore`, { token: event.tokens.moderate, body: { rev: 1, blockId: '123-456' } });
    expect(noBlock.status).toBe(404);
    expect(noBlock.body.error.code).toBe('block_not_found');
    expect((await api(server.url, 'GET', `${base}/history/abc`, { token: event.tokens.view })).status).toBe(400);
    expect((await api(server.url, 'GET', `${base}/history?limit=0`, { token: event.tokens.view })).status).toBe(400);
    expect((await api(server.url, 'POST', `${base}/versions`, { token: event.tokens.edit, body: { rev: 1, name: 'x' } })).status).toBe(403);

    // None of the refusals changed the notes: the history is what Alice and the template wrote.
    expect((await history(server.url, session.id, event.tokens.view)).versions.map((v) => v.authors)).toEqual([['Alice'], ['template']]);
    expect(notesText(alice.client.doc)).toContain(P1);
  });

  it('restores one block, also one deleted since, and names versions for the minutes', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const alice = noteTaker(suite, server, session.id, event.tokens.edit, 'Alice');
    const bob = noteTaker(suite, server, session.id, event.tokens.edit, 'Bob');
    await Promise.all([waitForSync(alice.client), waitForSync(bob.client)]);
    alice.type(P1);
    alice.type('second paragraph');
    await waitFor(() => notesText(bob.client.doc).includes('second paragraph'), 5000, 'Bob has both');
    const good = (await history(server.url, session.id, event.tokens.view)).latest;
    const named = await api(server.url, 'POST', `/api/sessions/${session.id}/versions`, { token: event.tokens.moderate, body: { rev: good, name: 'before the break' } });
    expect(named.status).toBe(201);
    const blocks = runs((await version(server.url, session.id, event.tokens.view, good)).doc);
    expect(blocks.map((r) => r.text)).toContain(P1);
    const blockOf = (doc: unknown, text: string): string => {
      let found = '';
      const walk = (n: { attrs?: { blockId?: string }; content?: unknown[]; text?: string }) => {
        if (n.attrs?.blockId && (n.content ?? []).some((c) => (c as { text?: string }).text === text)) found = n.attrs.blockId;
        for (const c of n.content ?? []) walk(c as typeof n);
      };
      walk(doc as Parameters<typeof walk>[0]);
      return found;
    };
    const goodDoc = (await version(server.url, session.id, event.tokens.view, good)).doc;

    // Bob rewrites the first paragraph and deletes the second.
    bob.client.doc.transact(() => {
      const f = bob.client.doc.getXmlFragment(NOTES_FRAGMENT);
      const paragraphs = f.toArray() as Y.XmlElement[];
      const first = paragraphs.find((p) => p.toString().includes('upgrade plan'))!;
      const t = first.get(0) as Y.XmlText;
      t.delete(0, t.length);
      t.insert(0, 'Bob rewrote this');
      f.delete(paragraphs.findIndex((p) => p.toString().includes('second paragraph')), 1);
    });
    alice.type('Alice after that');
    await waitFor(() => notesText(alice.client.doc).includes('Bob rewrote this') && notesText(bob.client.doc).includes('Alice after that'), 5000, 'both see it');

    const first = await api(server.url, 'POST', `/api/sessions/${session.id}/restore`, { token: event.tokens.edit, body: { rev: good, blockId: blockOf(goodDoc, P1) } });
    expect(first.status).toBe(200);
    const second = await api(server.url, 'POST', `/api/sessions/${session.id}/restore`, { token: event.tokens.edit, body: { rev: good, blockId: blockOf(goodDoc, 'second paragraph') } });
    expect(second.status).toBe(200);
    await waitFor(() => notesText(bob.client.doc).includes(P1) && notesText(bob.client.doc).includes('second paragraph'), 5000, 'both blocks back');
    const text = notesText(alice.client.doc);
    expect(text).not.toContain('Bob rewrote this');
    // Everything else stays as it is now.
    expect(text).toContain('Alice after that');
    expect(text.indexOf(P1)).toBeLessThan(text.indexOf('second paragraph'));
    expect(text.indexOf('second paragraph')).toBeLessThan(text.indexOf('Alice after that'));

    const list = await history(server.url, session.id, event.tokens.view);
    expect(list.versions.find((v) => v.rev === good)?.named).toBe('before the break');
    const versions = await api<{ versions: { rev: number; name: string }[] }>(server.url, 'GET', `/api/sessions/${session.id}/versions`, { token: event.tokens.view });
    expect(versions.body.versions).toEqual([expect.objectContaining({ rev: good, name: 'before the break' })]);
    // The minutes of that version hold the notes as they were then.
    alice.type('much later');
    await waitFor(() => notesText(bob.client.doc).includes('much later'), 5000, 'later text');
    const minutes = await api<string>(server.url, 'GET', `/api/sessions/${session.id}/minutes?format=md&version=${good}`, { token: event.tokens.view });
    expect(minutes.status).toBe(200);
    expect(minutes.body).toContain('second paragraph');
    expect(minutes.body).not.toContain('much later');
    expect(minutes.headers.get('content-disposition')).toContain(`(v${good})`);
    expect((await api(server.url, 'GET', `/api/sessions/${session.id}/minutes?format=md&version=999`, { token: event.tokens.view })).status).toBe(404);
  });

  it('keeps history across compactions: the folded revisions are the ones listed before', async () => {
    const server = (suite.server = await startTestServer({ compactEveryUpdates: 5 }));
    const { event, session } = await createEventWithSession(server.url);
    const { alice, bob } = await twoAuthorsThenEmptied(suite, server, session.id, event.tokens.edit);
    await server.commitQueue.whenIdle();
    const list = await history(server.url, session.id, event.tokens.view);
    expect(list.versions.map((v) => v.authors)).toEqual([['Alice'], ['Bob'], ['Alice'], ['template']]);
    // Under load, typing arrives in fewer, bigger commits: compact once more, so everything is folded whatever the batching.
    const room = server.registry.get(session.id)!;
    await server.commitQueue.exclusive(() => server.commitQueue.compact(room, { force: true }));
    // Everything was folded: the update log is empty (on either backend), so the revisions hold it all.
    expect((await server.storage.docs.load(session.id)).updates).toHaveLength(0);
    expect(textOf((await version(server.url, session.id, event.tokens.view, 3)).doc)).toContain(P2);
    bob.type('after the folds');
    await waitFor(() => notesText(alice.client.doc).includes('after the folds'), 5000, 'Alice has it');
    await server.commitQueue.whenIdle();
    const again = await history(server.url, session.id, event.tokens.view);
    expect(again.versions.slice(1).map((v) => [v.rev, v.authors])).toEqual(list.versions.map((v) => [v.rev, v.authors]));
    expect(again.versions[0]).toMatchObject({ rev: 5, authors: ['Bob'] });
  });
});

export type { TestServer };
