import { describe, expect, it } from 'vitest';
import type { CreateEventResponse, EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { apiClient, api, serverSuite, startTestServer, type TestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitForSync } from '../helpers/yClient.js';
import { readSse } from '../helpers/sse.js';

async function newEvent(s: TestServer): Promise<CreateEventResponse> {
  return (await apiClient(s.url).createEvent({ title: 'Edits', timezone: 'Europe/Berlin' }));
}
const sessionsOf = async (s: TestServer, ev: CreateEventResponse) => (await api<EventWithSessionsDto>(s.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body.sessions;

describe('editing sessions through the API', () => {
  const suite = serverSuite();

  it('normalises CR/LF and other control characters in titles, rooms, names and tags instead of storing them', async () => {
    suite.server = await startTestServer();
    const ev = await newEvent(suite.server);
    const created = await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, {
      token: ev.tokens.moderate,
      body: { title: 'Ops\r\nMeetup\u0000', rooms: ['Room\nA', ' Room A ', 'Room B\t'], moderators: ['akiko\r'], tags: ['nfv\u2028telco'], description: 'line 1\r\nline 2\u0007' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Ops Meetup', rooms: ['Room A', 'Room B'], moderators: ['akiko'], tags: ['nfv telco'], description: 'line 1\nline 2' });
    const patched = await api<SessionDto>(suite.server.url, 'PATCH', `/api/sessions/${created.body.id}`, { token: ev.tokens.moderate, body: { title: 'Fixed\ttitle\n', nowDiscussing: 'a\r\nb' } });
    expect(patched.body).toMatchObject({ title: 'Fixed title', nowDiscussing: 'a b' });
    const blank = await api<{ error: { code: string } }>(suite.server.url, 'PATCH', `/api/sessions/${created.body.id}`, { token: ev.tokens.moderate, body: { title: '\r\n\t' } });
    expect(blank.status).toBe(400);
    expect((await sessionsOf(suite.server, ev))[0]!.title).toBe('Fixed title');
  });

  it('a carried-forward heading is one line too', async () => {
    suite.server = await startTestServer();
    const ev = await newEvent(suite.server);
    const add = async (title: string) => (await api<SessionDto>(suite.server!.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title } })).body;
    const [from, to] = [await add('WG'), await add('WG follow-up')];
    const writer = connectClient(suite.server.wsUrl, from.id, ev.tokens.edit);
    await waitForSync(writer);
    appendParagraph(writer.doc, 'ACTION: @dana send the summary');
    await expect.poll(async () => (await api<{ items: unknown[] }>(suite.server!.url, 'GET', `/api/sessions/${from.id}/action-items`, { token: ev.tokens.view })).body.items.length, { timeout: 10_000 }).toBe(1);
    writer.destroy();
    const carried = await api(suite.server.url, 'POST', `/api/sessions/${to.id}/carry-forward`, { token: ev.tokens.moderate, body: { fromSessionId: from.id, heading: 'From\r\nlast\u0000 time' } });
    expect(carried.status).toBe(200);
    const reader = connectClient(suite.server.wsUrl, to.id, ev.tokens.view);
    await waitForSync(reader, 10_000);
    await expect.poll(() => notesText(reader.doc), { timeout: 10_000 }).toContain('From last time');
    expect(notesText(reader.doc)).not.toMatch(/From\r?\n/);
    reader.destroy();
  });

  it('moves a session to other rooms and times, and a plenary ("All rooms") has none', async () => {
    suite.server = await startTestServer();
    const ev = await newEvent(suite.server);
    const s = (await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title: 'Ceph', rooms: ['Room A'] } })).body;
    const moved = await api<SessionDto>(suite.server.url, 'PATCH', `/api/sessions/${s.id}`, { token: ev.tokens.moderate, body: { rooms: ['Room B', 'Room C'], startsAt: '2025-11-22T09:00:00Z', endsAt: '2025-11-22T10:00:00Z' } });
    expect(moved.body).toMatchObject({ rooms: ['Room B', 'Room C'], startsAt: '2025-11-22T09:00:00.000Z' });
    const plenary = await api<SessionDto>(suite.server.url, 'PATCH', `/api/sessions/${s.id}`, { token: ev.tokens.moderate, body: { rooms: ['All rooms'] } });
    expect(plenary.body.rooms).toEqual([]);
    const tooMany = await api(suite.server.url, 'PATCH', `/api/sessions/${s.id}`, { token: ev.tokens.moderate, body: { rooms: Array.from({ length: 21 }, (_, i) => `R${i}`) } });
    expect(tooMany.status).toBe(400);
    const legacy = await api(suite.server.url, 'PATCH', `/api/sessions/${s.id}`, { token: ev.tokens.moderate, body: { room: 'Room A' } });
    expect(legacy.status).toBe(400);
  });

  it('deletes a session and undeletes it with its notes; everyone on the event stream sees both', async () => {
    suite.server = await startTestServer();
    const ev = await newEvent(suite.server);
    const s = (await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title: 'Keep my notes' } })).body;
    const writer = connectClient(suite.server.wsUrl, s.id, ev.tokens.edit);
    await waitForSync(writer);
    appendParagraph(writer.doc, 'ACTION: @akiko bring the slides');
    await expect.poll(async () => (await sessionsOf(suite.server!, ev))[0]?.notesUpdatedAt, { timeout: 10_000 }).not.toBeNull();
    writer.destroy();

    const stream = await readSse(`${suite.server.url}/api/events/${ev.event.id}/stream`, ev.tokens.view);
    const lastCount = () => stream.view()?.sessions.length;
    await expect.poll(lastCount).toBe(1);
    expect((await api(suite.server.url, 'POST', `/api/sessions/${s.id}/undelete`, { token: ev.tokens.edit })).status).toBe(403);
    expect((await api(suite.server.url, 'DELETE', `/api/sessions/${s.id}`, { token: ev.tokens.moderate })).status).toBe(204);
    await expect.poll(lastCount).toBe(0);
    expect(await sessionsOf(suite.server, ev)).toEqual([]);
    expect((await api(suite.server.url, 'GET', `/api/sessions/${s.id}`, { token: ev.tokens.view })).status).toBe(404);
    expect((await api(suite.server.url, 'POST', `/api/sessions/${s.id}/undelete`, { token: ev.tokens.edit })).status).toBe(403);

    const back = await api<SessionDto>(suite.server.url, 'POST', `/api/sessions/${s.id}/undelete`, { token: ev.tokens.moderate });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ id: s.id, title: 'Keep my notes' });
    await expect.poll(lastCount).toBe(1);
    // Twice is harmless (a double click on Undo).
    expect((await api(suite.server.url, 'POST', `/api/sessions/${s.id}/undelete`, { token: ev.tokens.moderate })).status).toBe(200);
    stream.close();

    const reader = connectClient(suite.server.wsUrl, s.id, ev.tokens.view);
    await waitForSync(reader, 10_000);
    expect(notesText(reader.doc)).toContain('ACTION: @akiko bring the slides');
    reader.destroy();

    // Another event's moderator cannot undelete it, and an unknown id is a 404.
    const other = await newEvent(suite.server);
    await apiClient(suite.server.url, ev.tokens.moderate).deleteSession(s.id);
    expect((await api(suite.server.url, 'POST', `/api/sessions/${s.id}/undelete`, { token: other.tokens.moderate })).status).toBe(401);
    expect((await api(suite.server.url, 'POST', '/api/sessions/aaaaaaaaaaaaaaaa/undelete', { token: ev.tokens.moderate })).status).toBe(404);
  });

  it('imports rows without a start time as unscheduled sessions, or leaves them out, as the moderator chooses', async () => {
    suite.server = await startTestServer();
    const ev = await newEvent(suite.server);
    const csv = 'title,date,start,end\nOpening,2025-11-22,09:00,09:30\nLightning talks,2025-11-22,,\nBoF (time tba),,,\n';
    const post = (query: string) => api<{ created: { title: string }[]; warnings: { code: string; row: number }[]; unscheduled: { count: number; action: string } }>(
      suite.server!.url, 'POST', `/api/events/${ev.event.slug}/schedule${query}`, { token: ev.tokens.moderate, rawBody: csv, contentType: 'text/csv' });
    const preview = await post('?dryRun=true');
    expect(preview.body.warnings.map((w) => [w.code, w.row])).toEqual([['no_start_time', 3], ['no_start_time', 4]]);
    expect(preview.body.unscheduled).toEqual({ count: 2, action: 'import' });
    const skipPreview = await post('?dryRun=true&unscheduled=skip');
    expect(skipPreview.body.created.map((c) => c.title)).toEqual(['Opening']);
    expect(await sessionsOf(suite.server, ev)).toEqual([]);

    const skipped = await post('?unscheduled=skip');
    expect(skipped.body.unscheduled).toEqual({ count: 2, action: 'skip' });
    expect((await sessionsOf(suite.server, ev)).map((s) => s.title)).toEqual(['Opening']);
    const imported = await post('?unscheduled=import');
    expect(imported.body.created.map((c) => c.title)).toEqual(['Lightning talks', 'BoF (time tba)']);
    expect((await sessionsOf(suite.server, ev)).map((s) => [s.title, s.startsAt])).toEqual([['Opening', '2025-11-22T08:00:00.000Z'], ['BoF (time tba)', null], ['Lightning talks', null]]);
    expect((await post('?unscheduled=maybe')).status).toBe(400);
  });
});
