import { describe, expect, it } from 'vitest';
import type { CreateEventResponse, EventDto, EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { apiClient, api, startTestServer, serverSuite, type TestServer } from '../helpers/testServer.js';
import { readSse } from '../helpers/sse.js';
import { waitFor } from '../helpers/yClient.js';

async function eventWithKeynote(s: TestServer): Promise<{ ev: CreateEventResponse; keynote: SessionDto; open: SessionDto; floating: SessionDto }> {
  // The organiser meant Tokyo but left the zone on London: "09:00" was typed as 09:00 London time.
  const ev = (await apiClient(s.url).createEvent({ title: 'Ops Days', timezone: 'Europe/London' }));
  const add = async (body: Record<string, unknown>) => (await api<SessionDto>(s.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body })).body;
  const keynote = await add({ title: 'Keynote', startsAt: '2026-07-06T08:00:00.000Z', endsAt: '2026-07-06T08:45:00.000Z' });
  const open = await add({ title: 'Open floor', startsAt: '2026-07-06T15:30:00.000Z' });
  const floating = await add({ title: 'Hallway track' });
  return { ev, keynote, open, floating };
}

const sessionsOf = async (s: TestServer, ev: CreateEventResponse) =>
  new Map((await api<EventWithSessionsDto>(s.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body.sessions.map((x) => [x.title, x]));

describe('event settings: PATCH /api/events/:id', () => {
  const suite = serverSuite();

  it('keepLocalTimes moves every session to the same wall-clock time in the new zone, in one change; the stream tells every page', async () => {
    suite.server = await startTestServer();
    const { ev } = await eventWithKeynote(suite.server);
    const sse = await readSse(`${suite.server.url}/api/events/${ev.event.slug}/stream`, ev.tokens.view);
    try {
      await waitFor(() => sse.view() !== null, 5000, 'first snapshot');
      const res = await api<EventDto>(suite.server.url, 'PATCH', `/api/events/${ev.event.id}`, {
        token: ev.tokens.moderate,
        body: { title: 'Ops Days Tokyo', timezone: 'Asia/Tokyo', keepLocalTimes: true },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ title: 'Ops Days Tokyo', timezone: 'Asia/Tokyo', language: 'en' });
      const after = await sessionsOf(suite.server, ev);
      // 09:00 and 16:30 stay 09:00 and 16:30, now in Tokyo (UTC+9 instead of UTC+1).
      expect(after.get('Keynote')).toMatchObject({ startsAt: '2026-07-06T00:00:00.000Z', endsAt: '2026-07-06T00:45:00.000Z' });
      expect(after.get('Open floor')).toMatchObject({ startsAt: '2026-07-06T07:30:00.000Z', endsAt: null });
      expect(after.get('Hallway track')).toMatchObject({ startsAt: null, endsAt: null });

      await waitFor(
        () => sse.view()?.event.title === 'Ops Days Tokyo' && sse.view()?.sessions.find((x) => x.title === 'Keynote')?.startsAt === '2026-07-06T00:00:00.000Z',
        5000,
        'the rename on the stream',
      );
      const last = sse.view()!;
      expect(last.event).toEqual({ title: 'Ops Days Tokyo', timezone: 'Asia/Tokyo', language: 'en' });
      expect(last.sessions.find((x) => x.title === 'Keynote')!.startsAt).toBe('2026-07-06T00:00:00.000Z');
    } finally {
      sse.close();
    }
  });

  it('without keepLocalTimes the moments stay and only the zone changes (as before)', async () => {
    suite.server = await startTestServer();
    const { ev, keynote } = await eventWithKeynote(suite.server);
    const res = await api<EventDto>(suite.server.url, 'PATCH', `/api/events/${ev.event.id}`, { token: ev.tokens.moderate, body: { timezone: 'Asia/Tokyo' } });
    expect(res.body.timezone).toBe('Asia/Tokyo');
    expect((await sessionsOf(suite.server, ev)).get('Keynote')!.startsAt).toBe(keynote.startsAt);
    // keepLocalTimes with the zone unchanged moves nothing.
    await apiClient(suite.server.url, ev.tokens.moderate).patchEvent(ev.event.id, { timezone: 'Asia/Tokyo', keepLocalTimes: true });
    expect((await sessionsOf(suite.server, ev)).get('Keynote')!.startsAt).toBe(keynote.startsAt);
  });

  it('refuses bad settings with a code the client can translate, and changes nothing', async () => {
    suite.server = await startTestServer();
    const { ev, keynote } = await eventWithKeynote(suite.server);
    const patch = (body: unknown, token = ev.tokens.moderate) =>
      api<{ error: { code: string; message: string; params?: Record<string, unknown> } }>(suite.server!.url, 'PATCH', `/api/events/${ev.event.id}`, { token, body });
    const cases: [unknown, number, string, Record<string, unknown> | undefined][] = [
      [{ timezone: 'Mars/Olympus', keepLocalTimes: true }, 400, 'unknown_time_zone', { zone: 'Mars/Olympus' }],
      [{ title: '' }, 400, 'field_required', { field: 'title' }],
      [{ title: 'x'.repeat(301) }, 400, 'field_too_long', { field: 'title', max: 300 }],
      [{ keepLocalTimes: 'yes' }, 400, 'invalid_value', { field: 'keepLocalTimes' }],
      [{ slug: 'other' }, 400, 'unknown_field', { field: 'slug' }],
    ];
    for (const [body, status, code, params] of cases) {
      const res = await patch(body);
      expect([res.status, res.body.error.code, res.body.error.params], JSON.stringify(body)).toEqual([status, code, params]);
    }
    const denied = await patch({ title: 'Mine now' }, ev.tokens.edit);
    expect([denied.status, denied.body.error.code, denied.body.error.params]).toEqual([403, 'insufficient_role', { needed: 'moderate', role: 'edit' }]);
    const got = (await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body;
    expect(got).toMatchObject({ title: 'Ops Days', timezone: 'Europe/London' });
    expect(got.sessions.find((x) => x.id === keynote.id)!.startsAt).toBe(keynote.startsAt);
  });
});
