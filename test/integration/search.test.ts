import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { SessionDto } from '../../shared/schemas.js';
import type { SearchResponseDto } from '../../shared/search/types.js';
import { api, createEventWithSession, serverSuite, startTestServer, type TestServer } from '../helpers/testServer.js';
import { connectClient, waitForSync, type YClient } from '../helpers/yClient.js';
import { testDatabaseUrl } from '../helpers/postgresBackend.js';
import type { SearchIndexStore } from '../../server/storage/searchRepo.js';

/** Works on a stopped server's search index, on whichever backend the tests run (SQLite in its data directory, or its PostgreSQL database). */
async function onStoredIndex(dataDir: string, fn: (repo: SearchIndexStore) => unknown): Promise<void> {
  const url = await testDatabaseUrl(dataDir);
  if (url) {
    const pg = (await import('pg')).default;
    const { PgSearchRepo } = await import('../../server/storage/postgres/pgSearchRepo.js');
    const pool = new pg.Pool({ connectionString: url });
    try {
      await fn(new PgSearchRepo(pool));
    } finally {
      await pool.end();
    }
    return;
  }
  const { openDatabase } = await import('../../server/storage/database.js');
  const { SearchRepo } = await import('../../server/storage/searchRepo.js');
  const db = openDatabase(dataDir);
  try {
    await fn(new SearchRepo(db));
  } finally {
    db.close();
  }
}

/** The live indexer's promise (~2 s after a commit), with a margin for a loaded machine: polled, never slept. */
const FRESH = { timeout: 3000, interval: 50 };

/**
 * A server whose index found `text`, stopped, with its stored index then emptied and marked with a
 * version no code writes: what the next start must rebuild.
 */
async function indexedThenLost(title: string, text: string, word: string) {
  const first = await startTestServer();
  const fx = await createEventWithSession(first.url, title);
  const c = connectClient(first.wsUrl, fx.session.id, fx.event.tokens.edit);
  await waitForSync(c);
  paragraph(c.doc, text);
  await expect.poll(() => found(first, fx.event.event.id, fx.event.tokens.view, word), FRESH).toHaveLength(1);
  c.destroy();
  await first.close();
  await onStoredIndex(first.dataDir, (repo) => repo.reset('lost'));
  return { first, fx };
}

function writer(suite: { clients: YClient[] }, server: TestServer, sessionId: string, token: string, name: string): YClient {
  const c = connectClient(server.wsUrl, sessionId, token);
  c.provider.awareness.setLocalStateField('user', { name, color: '#333' });
  suite.clients.push(c);
  return c;
}

function paragraph(doc: Y.Doc, text: string, heading?: string): Y.XmlText {
  const t = new Y.XmlText(text);
  doc.transact(() => {
    const blocks: Y.XmlElement[] = [];
    if (heading) {
      const h = new Y.XmlElement('heading');
      h.setAttribute('level', '2');
      h.insert(0, [new Y.XmlText(heading)]);
      blocks.push(h);
    }
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [t]);
    blocks.push(p);
    doc.getXmlFragment(NOTES_FRAGMENT).push(blocks);
  });
  return t;
}

async function search(server: TestServer, eventId: string, token: string | undefined, q: string) {
  return api<SearchResponseDto>(server.url, 'GET', `/api/events/${eventId}/search?q=${encodeURIComponent(q)}`, { token });
}

async function found(server: TestServer, eventId: string, token: string, q: string): Promise<string[]> {
  const r = await search(server, eventId, token, q);
  if (r.status !== 200) throw new Error(`search ${q}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.results.map((x) => x.snippet);
}

describe('search across an event’s notes (real server, real y-websocket clients)', () => {
  const suite = serverSuite();

  it('a Japanese word typed in one session is found within 3 s, with its session, heading and block; deleting it stops it being found', async () => {
    const server = (suite.server = await startTestServer());
    const fx = await createEventWithSession(server.url, 'Search event');
    const other = await api<SessionDto>(server.url, 'POST', `/api/events/${fx.event.event.id}/sessions`, { token: fx.event.tokens.moderate, body: { title: 'Japan Ops Workshop', rooms: ['Salon B'] } });
    const c = writer(suite, server, other.body.id, fx.event.tokens.edit, '佐藤');
    await waitForSync(c);
    const text = paragraph(c.doc, '運用者向けドキュメントの翻訳を進める', '報告');

    await expect.poll(() => found(server, fx.event.event.id, fx.event.tokens.edit, 'ドキュメント'), FRESH).toEqual(['運用者向けドキュメントの翻訳を進める']);
    const hit = (await search(server, fx.event.event.id, fx.event.tokens.edit, 'ドキュメント')).body.results[0]!;
    expect(hit).toMatchObject({ sessionId: other.body.id, sessionTitle: 'Japan Ops Workshop', rooms: ['Salon B'], kind: 'notes', heading: '報告', isActionItem: false });
    expect(hit.snippet.slice(...hit.highlights[0]!)).toBe('ドキュメント');
    // The block id is the block's Yjs id: a client finds the very element with it.
    const [client, clock] = hit.blockId!.split('-').map(Number);
    expect(c.doc.getXmlFragment(NOTES_FRAGMENT).toArray().find((el) => el._item?.id.client === client && el._item?.id.clock === clock)).toBeDefined();
    // Two characters (shorter than a trigram), and full-width input for half-width text.
    expect(await found(server, fx.event.event.id, fx.event.tokens.edit, '翻訳')).toHaveLength(1);

    // Typing more into the same block: the index follows the edit.
    c.doc.transact(() => text.insert(text.length, '（ｸﾗｳﾄﾞ版）'));
    await expect.poll(() => found(server, fx.event.event.id, fx.event.tokens.edit, 'クラウド'), FRESH).toHaveLength(1);

    // Deleting the word: it stops being found, while the rest of the block still is.
    const at = text.toString().indexOf('ドキュメント');
    c.doc.transact(() => text.delete(at, 'ドキュメント'.length));
    await expect.poll(() => found(server, fx.event.event.id, fx.event.tokens.edit, 'ドキュメント'), FRESH).toEqual([]);
    expect(await found(server, fx.event.event.id, fx.event.tokens.edit, '運用者向け')).toEqual(['運用者向けの翻訳を進める（ｸﾗｳﾄﾞ版）']);
  });

  it('the view link searches; another event’s token, no token and bad queries are refused with registered codes', async () => {
    const server = (suite.server = await startTestServer());
    const fx = await createEventWithSession(server.url, 'Visible event');
    const elsewhere = await createEventWithSession(server.url, 'Other event');
    const c = writer(suite, server, fx.session.id, fx.event.tokens.edit, 'Ana');
    await waitForSync(c);
    paragraph(c.doc, 'Keystone federation notes');
    const theirs = writer(suite, server, elsewhere.session.id, elsewhere.event.tokens.edit, 'Zed');
    await waitForSync(theirs);
    paragraph(theirs.doc, 'Keystone secrets of another event');

    await expect.poll(() => found(server, fx.event.event.id, fx.event.tokens.view, 'keystone'), FRESH).toEqual(['Keystone federation notes']);
    await expect.poll(() => found(server, elsewhere.event.event.id, elsewhere.event.tokens.view, 'keystone'), FRESH).toEqual(['Keystone secrets of another event']);

    expect((await search(server, fx.event.event.id, elsewhere.event.tokens.view, 'keystone')).body).toMatchObject({ error: { code: 'link_invalid' } });
    expect((await search(server, fx.event.event.id, elsewhere.event.tokens.moderate, 'keystone')).status).toBe(401);
    expect((await search(server, fx.event.event.id, undefined, 'keystone')).body).toMatchObject({ error: { code: 'token_required' } });

    const bad = async (q: string) => {
      const r = await search(server, fx.event.event.id, fx.event.tokens.view, q);
      return [r.status, (r.body as unknown as { error: { code: string; params?: unknown } }).error];
    };
    expect(await bad('is:urgent')).toEqual([400, expect.objectContaining({ code: 'search_unknown_filter', params: { filter: 'is:urgent' } })]);
    expect(await bad('   ')).toEqual([400, expect.objectContaining({ code: 'search_query_empty' })]);
    expect(await bad('x'.repeat(201))).toEqual([400, expect.objectContaining({ code: 'field_too_long', params: { field: 'q', max: 200 } })]);
    const noQ = await api(server.url, 'GET', `/api/events/${fx.event.event.id}/search`, { token: fx.event.tokens.view });
    expect(noQ.body).toMatchObject({ error: { code: 'field_required', params: { field: 'q' } } });
    const badLimit = await api(server.url, 'GET', `/api/events/${fx.event.event.id}/search?q=a&limit=1000`, { token: fx.event.tokens.view });
    expect(badLimit.status).toBe(400);
    // FTS5 syntax typed by a user is plain text, never an error.
    expect((await search(server, fx.event.event.id, fx.event.tokens.view, 'NEAR("keystone" OR *')).status).toBe(200);
  });

  it('syntax filters work on live action items: owner:, is:open / is:done, tag:, in:, phrases', async () => {
    const server = (suite.server = await startTestServer({ taggerDebounceMs: 50 }));
    const fx = await createEventWithSession(server.url, 'Filters event');
    const upgrades = await api<SessionDto>(server.url, 'POST', `/api/events/${fx.event.event.id}/sessions`, { token: fx.event.tokens.moderate, body: { title: 'Upgrades', tags: ['upgrades'] } });
    const a = writer(suite, server, fx.session.id, fx.event.tokens.edit, 'Ana');
    const b = writer(suite, server, upgrades.body.id, fx.event.tokens.edit, 'Ben');
    await Promise.all([waitForSync(a), waitForSync(b)]);
    paragraph(a.doc, 'ACTION: @alice write the rolling upgrade guide ##docs');
    paragraph(a.doc, 'We talked about the upgrade guide at length');
    paragraph(b.doc, 'ACTION: @bob test the rolling upgrade');
    const ev = fx.event.event.id;
    const tok = fx.event.tokens.view;

    await expect.poll(() => found(server, ev, tok, 'upgrade owner:@Alice'), FRESH).toEqual(['ACTION: @alice write the rolling upgrade guide ##docs']);
    await expect.poll(() => found(server, ev, tok, 'rolling is:open'), FRESH).toHaveLength(2);
    expect(await found(server, ev, tok, 'tag:##docs')).toEqual(['ACTION: @alice write the rolling upgrade guide ##docs']);
    expect(await found(server, ev, tok, 'upgrade in:"session one"')).toHaveLength(2);
    expect(await found(server, ev, tok, '"upgrade guide" is:action')).toEqual(['ACTION: @alice write the rolling upgrade guide ##docs']);
    // tag: also matches everything in a session tagged so: Ben's item, and the session itself.
    expect((await search(server, ev, tok, 'tag:upgrades')).body.results.map((r) => r.kind)).toEqual(['title', 'notes']);

    // Ticking the item on the board: is:done finds it, is:open no longer does.
    const items = await api<{ items: { id: string; owners: string[] }[] }>(server.url, 'GET', `/api/events/${ev}/action-items?owner=bob`, { token: tok });
    expect(items.body.items).toHaveLength(1);
    expect((await api(server.url, 'PATCH', `/api/action-items/${items.body.items[0]!.id}`, { token: fx.event.tokens.edit, body: { status: 'done' } })).status).toBe(200);
    await expect.poll(() => found(server, ev, tok, 'is:done'), FRESH).toEqual(['ACTION: @bob test the rolling upgrade']);
    expect(await found(server, ev, tok, 'rolling is:open')).toEqual(['ACTION: @alice write the rolling upgrade guide ##docs']);
    const hit = (await search(server, ev, tok, 'is:done')).body.results[0]!;
    expect(hit).toMatchObject({ isActionItem: true, status: 'done', actionItemId: items.body.items[0]!.id, sessionTitle: 'Upgrades' });
  });

  it('titles and moderators are searched; a deleted session is not', async () => {
    const server = (suite.server = await startTestServer());
    const fx = await createEventWithSession(server.url, 'Titles event');
    const s = await api<SessionDto>(server.url, 'POST', `/api/events/${fx.event.event.id}/sessions`, { token: fx.event.tokens.moderate, body: { title: 'Ceph at scale', moderators: ['Dana Smith'] } });
    const kinds = async (q: string) => (await search(server, fx.event.event.id, fx.event.tokens.view, q)).body.results.map((r) => [r.kind, r.snippet]);
    expect(await kinds('ceph')).toEqual([['title', 'Ceph at scale']]);
    expect(await kinds('dana')).toEqual([['moderators', 'Dana Smith']]);
    expect((await api(server.url, 'DELETE', `/api/sessions/${s.body.id}`, { token: fx.event.tokens.moderate })).status).toBe(204);
    expect(await kinds('ceph')).toEqual([]);
  });

  it('notes written while no room watched them (a new session seeded from the template) are caught up when the event is searched', async () => {
    const server = (suite.server = await startTestServer());
    const fx = await createEventWithSession(server.url, 'Template event');
    const template = { type: 'doc', content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Zanzibar checklist' }] }, { type: 'paragraph' }] };
    expect((await api(server.url, 'PUT', `/api/events/${fx.event.event.id}/template`, { token: fx.event.tokens.moderate, body: { template } })).status).toBe(200);
    const s = await api<SessionDto>(server.url, 'POST', `/api/events/${fx.event.event.id}/sessions`, { token: fx.event.tokens.moderate, body: { title: 'Seeded later' } });
    expect(server.registry.get(s.body.id)).toBeUndefined();
    await expect.poll(() => found(server, fx.event.event.id, fx.event.tokens.view, 'zanzibar'), { timeout: 8000, interval: 200 }).toEqual(['Zanzibar checklist']);
  });

  it('after a start, the catch-up waits (reconnecting clients come first); a server stopped before then runs none', async () => {
    const { first, fx } = await indexedThenLost('Deferred catch-up event', 'Cinder backup quotas', 'cinder');
    // The default wait: stopped before it is over, so the lost index stays lost for the next start to rebuild.
    const waiting = await startTestServer({ dataDir: first.dataDir, searchCatchUpDelayMs: 60_000 });
    await waiting.close();
    expect(await waiting.search.ready).toBe(0);
    const next = (suite.server = await startTestServer({ dataDir: first.dataDir }));
    expect(await next.search.ready).toBeGreaterThanOrEqual(1);
    expect(await found(next, fx.event.event.id, fx.event.tokens.view, 'cinder')).toEqual(['Cinder backup quotas']);
  });

  it('a server stopped while its catch-up runs stops the catch-up first: nothing reads a closed store, no error is logged', async () => {
    const { first, fx } = await indexedThenLost('Busy catch-up event', 'Octavia amphora images', 'octavia');
    // Sessions whose index lags (a new session's template is indexed by the catch-up): the next start has work when the stop comes.
    const again = await startTestServer({ dataDir: first.dataDir, searchCatchUpDelayMs: 60_000 });
    for (let i = 0; i < 30; i++) {
      await api(again.url, 'POST', `/api/events/${fx.event.event.id}/sessions`, { token: fx.event.tokens.moderate, body: { title: `Session ${i}` } });
    }
    await again.close();
    const errors: string[] = [];
    const noop = () => {};
    const stopped = await startTestServer({ dataDir: first.dataDir, log: { debug: noop, info: noop, warn: noop, error: (msg, fields) => errors.push(`${msg} ${JSON.stringify(fields ?? {})}`) } });
    await stopped.close();
    await stopped.search.ready;
    expect(errors).toEqual([]);
  });

  it('the index is rebuilt on start when it is missing, and caught up when it is behind the stored notes', async () => {
    // Everything the index held is gone (and its version with it): the next start rebuilds it.
    const { first, fx } = await indexedThenLost('Restart event', 'Swift erasure coding', 'erasure');
    const second = (suite.server = await startTestServer({ dataDir: first.dataDir }));
    expect(await second.search.ready).toBeGreaterThanOrEqual(1);
    expect(await found(second, fx.event.event.id, fx.event.tokens.view, 'erasure')).toEqual(['Swift erasure coding']);

    // Notes written while the index did not follow (a crash between a commit and its indexing pass).
    const d = connectClient(second.wsUrl, fx.session.id, fx.event.tokens.edit);
    suite.clients.push(d);
    await waitForSync(d);
    paragraph(d.doc, 'Manila share replication');
    await expect.poll(() => found(second, fx.event.event.id, fx.event.tokens.view, 'manila'), FRESH).toHaveLength(1);
    d.destroy();
    await second.close();
    await onStoredIndex(first.dataDir, async (repo) => {
      const blocks = await repo.blocksOf(fx.session.id);
      const manila = [...blocks].find(([, b]) => b.text.startsWith('Manila'))!;
      await repo.write([{ sessionId: fx.session.id, eventId: fx.event.event.id, blocks: [{ kind: 'delete', blockId: manila[0], rowId: manila[1].rowId }], docSeq: 0 }], new Date().toISOString());
    });
    const third = (suite.server = await startTestServer({ dataDir: first.dataDir }));
    expect(await third.search.ready).toBeGreaterThanOrEqual(1);
    expect(await found(third, fx.event.event.id, fx.event.tokens.view, 'manila')).toEqual(['Manila share replication']);
  });
});
