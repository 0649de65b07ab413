import Database from 'better-sqlite3';
import type { JSONContent } from '@tiptap/core';
import mammoth from 'mammoth';
import path from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import type { CreateEventResponse, EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { hashToken, newToken } from '../../server/access/tokens.js';
import { migrate } from '../../server/storage/migrations.js';
import { api, apiClient, startTestServer, tempDataDir, serverSuite, type TestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitForSync } from '../helpers/yClient.js';
import { eventually } from '../helpers/eventually.js';

async function createEvent(s: TestServer, body: Record<string, unknown>): Promise<CreateEventResponse> {
  const res = await api<CreateEventResponse>(s.url, 'POST', '/api/events', { body });
  expect(res.status).toBe(201);
  return res.body;
}

async function addSession(s: TestServer, ev: CreateEventResponse, title: string): Promise<SessionDto> {
  const res = await api<SessionDto>(s.url, 'POST', `/api/events/${ev.event.id}/sessions`, {
    token: ev.tokens.moderate,
    body: { title, rooms: ['会議室A'], moderators: ['goro'], startsAt: '2026-07-06T01:00:00Z', endsAt: '2026-07-06T01:40:00Z' },
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** An export that must succeed (the typed client throws an ApiError otherwise). */
async function download(s: TestServer, pathname: string, token: string): Promise<Buffer> {
  return Buffer.from(await (await apiClient(s.url, token).send(pathname)).arrayBuffer());
}

describe('the event language', () => {
  const suite = serverSuite();

  async function notesOf(sessionId: string, token: string): Promise<string> {
    const c = connectClient(suite.server!.wsUrl, sessionId, token);
    suite.clients.push(c);
    await waitForSync(c, 10_000);
    return notesText(c.doc);
  }

  it('a Japanese event’s new session starts from the Japanese template, and its minutes have Japanese headings in every format', async () => {
    suite.server = await startTestServer({ taggerDebounceMs: 50 });
    const ev = await createEvent(suite.server, { title: '運用者ミートアップ 東京', timezone: 'Asia/Tokyo', language: 'ja' });
    expect(ev.event.language).toBe('ja');
    const session = await addSession(suite.server, ev, 'ストレージ運用');

    const text = await notesOf(session.id, ev.tokens.edit);
    expect(text.split('\n').filter((l) => l.trim())).toEqual(['参加者', '議題', 'メモ', '決定事項', 'アクションアイテム']);
    const template = await api<{ template: JSONContent }>(suite.server.url, 'GET', `/api/events/${ev.event.slug}/template`, { token: ev.tokens.view });
    expect(JSON.stringify(template.body.template)).toContain('決定事項');

    // Untouched, the template leaves nothing behind in the minutes.
    const empty = (await download(suite.server, `/api/sessions/${session.id}/minutes?format=md`, ev.tokens.view)).toString('utf8');
    expect(empty).toContain('_メモはありません。_');
    expect(empty).not.toContain('参加者');

    // A note-taker writes an action item under メモ.
    const writer = suite.clients[0]!;
    writer.provider.awareness.setLocalStateField('user', { name: 'はな', color: '#123456' });
    appendParagraph(writer.doc, 'アクション: @goro 議事録を共有する 期限：2026-07-10');
    const items = async () => (await api<{ items: unknown[] }>(suite.server!.url, 'GET', `/api/sessions/${session.id}/action-items`, { token: ev.tokens.view })).body.items.length;
    await eventually(async () => (await items()) >= 1, 20_000, 'the action item to be indexed');

    const md = (await download(suite.server, `/api/sessions/${session.id}/minutes?format=md`, ev.tokens.view)).toString('utf8');
    expect(md).toContain('- **日時:** 2026年7月6日(月) 10:00–10:40 (Asia/Tokyo)');
    expect(md).toContain('- **部屋:** 会議室A');
    expect(md).toContain('- **モデレーター:** goro');
    expect(md).toContain('- **書記:** はな');
    expect(md).toContain('## アクションアイテム一覧');
    expect(md).toContain('| 担当 | 内容 | 期限 | 状態 |');
    expect(md).toContain('| goro | @goro 議事録を共有する 期限：2026-07-10 | 2026-07-10 | 未完了 |');

    const html = (await download(suite.server, `/api/sessions/${session.id}/minutes?format=html`, ev.tokens.view)).toString('utf8');
    expect(html).toContain('<strong>書記:</strong>');
    expect(html).toContain('<th>担当</th><th>内容</th><th>期限</th><th>状態</th>');
    const txt = (await download(suite.server, `/api/sessions/${session.id}/minutes?format=txt`, ev.tokens.view)).toString('utf8');
    expect(txt).toContain('イベント: 運用者ミートアップ 東京');
    expect(txt).toContain('期限 2026-07-10');
    const docx = (await mammoth.extractRawText({ buffer: await download(suite.server, `/api/sessions/${session.id}/minutes?format=docx`, ev.tokens.view) })).value;
    for (const word of ['アクションアイテム一覧', '書記: ', '担当', '☐ 未完了']) expect(docx).toContain(word);
    const pdf = (await extractText(await getDocumentProxy(new Uint8Array(await download(suite.server, `/api/sessions/${session.id}/minutes?format=pdf`, ev.tokens.view))), { mergePages: true })).text;
    for (const word of ['アクションアイテム一覧', '書記', '未完了']) expect(pdf).toContain(word);
    for (const english of ['Action item summary', 'Note-takers', 'Owner']) {
      for (const [name, out] of Object.entries({ md, html, txt, docx, pdf })) expect(out, `${name} has "${english}"`).not.toContain(english);
    }

    // Carrying the open items into the next session writes its heading in the event's language too.
    const next = await addSession(suite.server, ev, '振り返り');
    const carried = await api<{ copied: number }>(suite.server.url, 'POST', `/api/sessions/${next.id}/carry-forward`, { token: ev.tokens.moderate, body: { fromSessionId: session.id } });
    expect(carried.body.copied).toBe(1);
    expect(await notesOf(next.id, ev.tokens.view)).toContain('「ストレージ運用」からの引き継ぎ');

    const eventMd = (await download(suite.server, `/api/events/${ev.event.slug}/minutes?format=md`, ev.tokens.view)).toString('utf8');
    expect(eventMd.split('\n')[0]).toBe('# 運用者ミートアップ 東京 議事録');
    expect(eventMd).toContain('## 担当者別アクションアイテム');
    const res = await fetch(`${suite.server.url}/api/events/${ev.event.slug}/minutes?format=md`, { headers: { authorization: `Bearer ${ev.tokens.view}` } });
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')![1]!)).toBe('運用者ミートアップ 東京 議事録.md');
  });

  it('defaults to English; changing it changes the template of sessions created afterwards, never existing notes', async () => {
    suite.server = await startTestServer();
    const ev = await createEvent(suite.server, { title: 'Ops' });
    expect(ev.event.language).toBe('en');
    const before = await addSession(suite.server, ev, 'Before');
    const patched = await api<{ language: string }>(suite.server.url, 'PATCH', `/api/events/${ev.event.id}`, { token: ev.tokens.moderate, body: { language: 'ja' } });
    expect(patched.body.language).toBe('ja');
    const after = await addSession(suite.server, ev, 'After');
    expect(await notesOf(after.id, ev.tokens.view)).toContain('決定事項');
    const old = await notesOf(before.id, ev.tokens.view);
    expect(old).toContain('Decisions');
    expect(old).not.toContain('決定事項');
    // An untouched English template in what is now a Japanese event is still scaffolding, not notes.
    const md = (await download(suite.server, `/api/sessions/${before.id}/minutes?format=md`, ev.tokens.view)).toString('utf8');
    expect(md).toContain('_メモはありません。_');
    expect(md).not.toContain('Attendees');

    const got = await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${ev.event.slug}`, { token: ev.tokens.view });
    expect(got.body.language).toBe('ja');
    const bad = await api<{ error: { code: string; params: Record<string, unknown> } }>(suite.server.url, 'PATCH', `/api/events/${ev.event.id}`, { token: ev.tokens.moderate, body: { language: 'fr' } });
    expect([bad.status, bad.body.error.code, bad.body.error.params]).toEqual([400, 'invalid_choice', { field: 'language', allowed: 'en, ja' }]);
  });

  // SQLite by nature: a SQLite file as its first three migrations left it (PostgreSQL's schema always had the column).
  it.skipIf(process.env.TEST_BACKEND === 'postgres')('events stored before events had a language are English after the migration', async () => {
    const dataDir = tempDataDir();
    // A database as the first three migrations left it, with an event and its view token in it.
    const db = new Database(path.join(dataDir, 'roundtable.sqlite'));
    migrate(db, 3);
    const ev = { event: { id: 'old', slug: 'old-event' }, tokens: { view: newToken(), moderate: newToken() } } as unknown as CreateEventResponse;
    db.prepare("INSERT INTO events (id, slug, title, timezone, created_at, updated_at) VALUES ('old', 'old-event', 'Old event', 'UTC', 'now', 'now')").run();
    const token = db.prepare("INSERT INTO tokens (hash, token, event_id, role, created_at) VALUES (?, ?, 'old', ?, 'now')");
    token.run(hashToken(ev.tokens.view), ev.tokens.view, 'view');
    token.run(hashToken(ev.tokens.moderate), ev.tokens.moderate, 'moderate');
    db.close();
    suite.server = await startTestServer({ dataDir });
    const got = await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${ev.event.slug}`, { token: ev.tokens.view });
    expect(got.status).toBe(200);
    expect(got.body.language).toBe('en');
    const session = await addSession(suite.server, ev, 'New');
    expect(await notesOf(session.id, ev.tokens.view)).toContain('Attendees');
  });
});
