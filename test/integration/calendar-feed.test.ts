import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../shared/schedule/parseSchedule.js';
import type { CreateEventResponse, EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { createLogger } from '../../server/logger.js';
import { api, serverSuite, startTestServer, type TestServer } from '../helpers/testServer.js';

interface ImportBody {
  created: { title: string }[];
  updated: { id: string; title: string; changes: string[] }[];
  unchanged: { id: string; title: string }[];
  warnings: { code: string }[];
}

async function newEvent(s: TestServer, title: string, timezone = 'Europe/Berlin'): Promise<CreateEventResponse> {
  const res = await api<CreateEventResponse>(s.url, 'POST', '/api/events', { body: { title, timezone } });
  expect(res.status).toBe(201);
  return res.body;
}
const sessionsOf = async (s: TestServer, ev: CreateEventResponse) => (await api<EventWithSessionsDto>(s.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body.sessions;
const importText = (s: TestServer, ev: CreateEventResponse, body: string, type: string) =>
  api<ImportBody>(s.url, 'POST', `/api/events/${ev.event.slug}/schedule`, { token: ev.tokens.moderate, rawBody: body, contentType: type });
const feed = (s: TestServer, ev: CreateEventResponse, query: string, token?: string) => fetch(`${s.url}/api/events/${ev.event.slug}/calendar.ics${query}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
const schedule = (list: SessionDto[]) =>
  list.filter((s) => s.startsAt).map((s) => ({ title: s.title, startsAt: s.startsAt, endsAt: s.endsAt, rooms: s.rooms, moderators: s.moderators, tags: s.tags, description: s.description }));

describe('the calendar feed (GET /api/events/:eventId/calendar.ics)', () => {
  const suite = serverSuite();

  async function eventWithSchedule(s: TestServer) {
    const ev = await newEvent(s, 'Ops Meetup Berlin');
    const add = async (body: Record<string, unknown>) => {
      const res = await api<SessionDto>(s.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    await add({ title: 'Opening', startsAt: '2026-03-28T08:00:00Z', endsAt: '2026-03-28T08:30:00Z', moderators: ['akiko'] });
    await add({ title: 'Hands-on: Ceph; storage, again', rooms: ['Room A', 'Room B'], startsAt: '2026-03-28T09:00:00Z', endsAt: '2026-03-28T10:30:00Z', tags: ['storage', 'ceph,rbd'], moderators: ['emeka', 'farah'] });
    // Across the spring-forward night (29 March 2026 in Berlin): local times on both sides.
    await add({ title: '国内OpsWorkshop報告', rooms: ['会議室A'], startsAt: '2026-03-29T07:00:00Z', endsAt: '2026-03-29T07:40:00Z', description: 'Agenda:\n1. 本家OpsMeetup\n2. Upgrades, fast-forward; notes' });
    await add({ title: 'Lightning talks (time to be announced)' });
    // A session imported with a UID keeps it in the feed.
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:keynote-2026@sched.example', 'SUMMARY:Keynote', 'DTSTART:20260328T070000Z', 'DTEND:20260328T074500Z', 'LOCATION:Main hall', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    expect((await importText(s, ev, ics, 'text/calendar')).status).toBe(200);
    return ev;
  }

  it('lists each scheduled session with UID, zoned times, VTIMEZONE, rooms, categories, description and a link to its notes', async () => {
    suite.server = await startTestServer();
    const ev = await eventWithSchedule(suite.server);
    const res = await feed(suite.server, ev, `?k=${ev.tokens.view}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const body = await res.text();
    expect(body).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(body).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n');
    expect(body).toContain('DTSTART;TZID=Europe/Berlin:20260329T090000');
    expect(body).toContain('UID:keynote-2026@sched.example');
    expect(body).toContain('LOCATION:Room A\\; Room B');
    expect(body).toContain('CATEGORIES:storage,ceph\\,rbd');
    expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(4);
    expect(body).not.toContain('Lightning talks');
    const sessions = await sessionsOf(suite.server, ev);
    const jp = sessions.find((s) => s.title === '国内OpsWorkshop報告')!;
    const unfolded = body.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain(`URL:${suite.server.url}/e/${ev.event.slug}/s/${jp.id}#k=${ev.tokens.view}`);
    expect(unfolded).toContain(`Notes: ${suite.server.url}/e/${ev.event.slug}/s/${jp.id}#k=${ev.tokens.view}`);
    for (const secret of [ev.tokens.edit, ev.tokens.moderate]) expect(body).not.toContain(secret);
  });

  it('takes the token as ?k= (the view link only) or as a Bearer header, and never logs it', async () => {
    const lines: string[] = [];
    suite.server = await startTestServer({ log: createLogger('debug', (l) => lines.push(l)) });
    const ev = await eventWithSchedule(suite.server);
    expect((await feed(suite.server, ev, '')).status).toBe(401);
    expect((await feed(suite.server, ev, '?k=not-a-token')).status).toBe(401);
    const other = await newEvent(suite.server, 'Another event');
    expect((await feed(suite.server, ev, `?k=${other.tokens.view}`)).status).toBe(401);
    const edit = await feed(suite.server, ev, `?k=${ev.tokens.edit}`);
    expect(edit.status).toBe(403);
    expect(((await edit.json()) as { error: { code: string } }).error.code).toBe('feed_needs_view_link');
    expect((await feed(suite.server, ev, `?k=${ev.tokens.moderate}`)).status).toBe(403);
    const bearer = await feed(suite.server, ev, '', ev.tokens.moderate);
    expect(bearer.status).toBe(200);
    expect(await bearer.text()).not.toContain(ev.tokens.moderate);

    const link = await api<{ url: string; webcal: string }>(suite.server.url, 'GET', `/api/events/${ev.event.slug}/calendar-link`, { token: ev.tokens.edit });
    expect(link.body.url).toBe(`${suite.server.url}/api/events/${ev.event.slug}/calendar.ics?k=${ev.tokens.view}`);
    expect(link.body.webcal).toMatch(/^webcal:\/\//);
    expect((await fetch(link.body.url)).status).toBe(200);

    // Rotating the view link ends the old subscription.
    const rotated = await api<{ token: string }>(suite.server.url, 'POST', `/api/events/${ev.event.slug}/links/view/rotate`, { token: ev.tokens.moderate });
    expect((await fetch(link.body.url)).status).toBe(401);
    expect((await feed(suite.server, ev, `?k=${rotated.body.token}`)).status).toBe(200);
    const tokens = [ev.tokens.view, ev.tokens.edit, ev.tokens.moderate, rotated.body.token];
    expect(lines.filter((l) => tokens.some((t) => l.includes(t)))).toEqual([]);
  });

  it('re-imports into Roundtable as the same schedule: into a new event, and into its own event with nothing changed', async () => {
    suite.server = await startTestServer();
    const ev = await eventWithSchedule(suite.server);
    const body = await (await feed(suite.server, ev, `?k=${ev.tokens.view}`)).text();
    const original = await sessionsOf(suite.server, ev);

    const copy = await newEvent(suite.server, 'Copy');
    const imported = await importText(suite.server, copy, body, 'text/calendar');
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.warnings).toEqual([]);
    expect(schedule(await sessionsOf(suite.server, copy))).toEqual(schedule(original));

    const again = await importText(suite.server, ev, body, 'text/calendar');
    expect(again.body.created).toEqual([]);
    expect(again.body.updated).toEqual([]);
    expect(again.body.unchanged).toHaveLength(4);

    // The same file parsed in another zone still means the same instants (its times carry TZID).
    const parsed = parseSchedule(body, 'text/calendar', { timezone: 'Asia/Tokyo' });
    expect(parsed.ok && parsed.sessions.map((s) => s.startsAt)).toEqual(schedule(original).map((s) => s.startsAt));
    expect(parsed.ok && parsed.warnings.map((w) => w.code)).toEqual(['timezone_differs']);
  });

  it('offers sample files that import as they are, in English and Japanese', async () => {
    suite.server = await startTestServer();
    for (const lang of ['en', 'ja']) {
      const ev = await newEvent(suite.server, `Samples ${lang}`, 'Asia/Tokyo');
      const csv = await fetch(`${suite.server.url}/api/schedule/sample.csv?lang=${lang}`);
      expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="roundtable-sample-${lang}.csv"`);
      const fromCsv = await importText(suite.server, ev, await csv.text(), 'text/csv');
      expect(fromCsv.status).toBe(200);
      expect(fromCsv.body).toMatchObject({ created: expect.any(Array), warnings: [] });
      expect(fromCsv.body.created).toHaveLength(7);
      const ics = await fetch(`${suite.server.url}/api/schedule/sample.ics?lang=${lang}&tz=Asia/Tokyo`);
      const fromIcs = await importText(suite.server, ev, await ics.text(), 'text/calendar');
      // Same sessions: the .ics only adds UIDs to what the CSV created.
      expect(fromIcs.body.created).toEqual([]);
      expect(fromIcs.body.updated.map((u) => u.changes)).toEqual(Array(7).fill(['uid']));
    }
  });
});
