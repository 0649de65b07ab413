import { describe, expect, it } from 'vitest';
import type { CreateEventResponse, EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { api, startTestServer, serverSuite } from '../helpers/testServer.js';
import { connectClient, waitForSync } from '../helpers/yClient.js';

describe('REST API', () => {
  const suite = serverSuite();

  it('creates an event with three capability links carried in the URL fragment', async () => {
    suite.server = await startTestServer();
    const res = await api<CreateEventResponse>(suite.server.url, 'POST', '/api/events', {
      body: { title: 'OpenStack Ops Meetup — Austin 2016', timezone: 'America/Chicago' },
    });
    expect(res.status).toBe(201);
    const { event, links, tokens } = res.body;
    expect(event.slug).toBe('openstack-ops-meetup-austin-2016');
    expect(event.timezone).toBe('America/Chicago');
    for (const role of ['edit', 'view', 'moderate'] as const) {
      expect(tokens[role]).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(links[role]).toBe(`${suite.server.url}/e/${event.slug}#k=${tokens[role]}`);
    }
    expect(new Set(Object.values(tokens)).size).toBe(3);
  });

  it('answers bad input with 4xx and a message, and stores nothing', async () => {
    suite.server = await startTestServer();
    const cases: [unknown, number][] = [
      [{}, 400],
      [{ title: '' }, 400],
      [{ title: 'x', timezone: 'Mars/Olympus' }, 400],
      [{ title: 'x', slug: 'Bad Slug!' }, 400],
      [{ title: 'x', extra: 1 }, 400],
      [{ title: 'x'.repeat(400) }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await api<{ error: { code: string; message: string } }>(suite.server.url, 'POST', '/api/events', { body });
      expect(res.status).toBe(status);
      expect(res.body.error.message.length).toBeGreaterThan(3);
    }
    const broken = await api<{ error: { code: string } }>(suite.server.url, 'POST', '/api/events', { rawBody: '{"title": ' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
    const huge = await api(suite.server.url, 'POST', '/api/events', { rawBody: JSON.stringify({ title: 'x', pad: 'y'.repeat(2_000_000) }) });
    expect(huge.status).toBe(413);
    expect(await suite.server.storage.events.hasAny()).toBe(false);
  });

  it('a taken slug is a 409', async () => {
    suite.server = await startTestServer();
    expect((await api(suite.server.url, 'POST', '/api/events', { body: { title: 'A', slug: 'ops' } })).status).toBe(201);
    const again = await api<{ error: { code: string } }>(suite.server.url, 'POST', '/api/events', { body: { title: 'B', slug: 'ops' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('slug_taken');
  });

  it('sessions: create (moderate), read (any token), patch, delete; the event lists them with live counts', async () => {
    suite.server = await startTestServer();
    const { body: created } = await api<CreateEventResponse>(suite.server.url, 'POST', '/api/events', { body: { title: 'Ops', timezone: 'America/Chicago' } });
    const path = `/api/events/${created.event.slug}/sessions`;
    const denied = await api(suite.server.url, 'POST', path, { token: created.tokens.edit, body: { title: 'S' } });
    expect(denied.status).toBe(403);
    const noToken = await api(suite.server.url, 'POST', path, { body: { title: 'S' } });
    expect(noToken.status).toBe(401);
    const badTimes = await api(suite.server.url, 'POST', path, {
      token: created.tokens.moderate,
      body: { title: 'S', startsAt: '2016-04-25T17:00:00Z', endsAt: '2016-04-25T16:00:00Z' },
    });
    expect(badTimes.status).toBe(400);

    const s = await api<SessionDto>(suite.server.url, 'POST', path, {
      token: created.tokens.moderate,
      body: { title: 'Large Deployments Team', rooms: ['Salon D'], moderators: ['dana'], tags: ['ldt'], startsAt: '2016-04-25T11:15:00-05:00' },
    });
    expect(s.status).toBe(201);
    expect(s.body.id).toMatch(/^[a-z2-7]{16}$/);
    expect(s.body.startsAt).toBe('2016-04-25T16:15:00.000Z');
    expect(s.body.state).toBe('scheduled');

    const client = connectClient(suite.server.wsUrl, s.body.id, created.tokens.edit);
    await waitForSync(client);
    const server = suite.server;
    const readEvent = () => api<EventWithSessionsDto>(server.url, 'GET', `/api/events/${created.event.id}`, { token: created.tokens.view });
    // Synced may come from storage before the room has loaded and counted the connection (cold answer): poll the count.
    await expect.poll(async () => (await readEvent()).body.sessions[0]?.live, { timeout: 5000 }).toEqual({ editors: 1, viewers: 0 });
    const ev = await readEvent();
    expect(ev.status).toBe(200);
    expect(ev.body.role).toBe('view');
    expect(ev.body.sessions.map((x) => x.title)).toEqual(['Large Deployments Team']);
    expect(ev.body.sessions[0]!.live).toEqual({ editors: 1, viewers: 0 });
    client.destroy();

    const patched = await api<SessionDto>(suite.server.url, 'PATCH', `/api/sessions/${s.body.id}`, {
      token: created.tokens.moderate,
      body: { title: 'LDT', state: 'live', nowDiscussing: 'Cells v2 upgrades' },
    });
    expect(patched.body).toMatchObject({ title: 'LDT', state: 'live', nowDiscussing: 'Cells v2 upgrades', rooms: ['Salon D'] });
    const badState = await api(suite.server.url, 'PATCH', `/api/sessions/${s.body.id}`, { token: created.tokens.moderate, body: { state: 'paused' } });
    expect(badState.status).toBe(400);

    expect((await api(suite.server.url, 'DELETE', `/api/sessions/${s.body.id}`, { token: created.tokens.edit })).status).toBe(403);
    expect((await api(suite.server.url, 'DELETE', `/api/sessions/${s.body.id}`, { token: created.tokens.moderate })).status).toBe(204);
    expect((await api(suite.server.url, 'GET', `/api/sessions/${s.body.id}`, { token: created.tokens.view })).status).toBe(404);
  });

  it('ROUNDTABLE_ADMIN_TOKEN gates event creation when set', async () => {
    suite.server = await startTestServer({ adminToken: 'admin-token-for-tests-0123456789' });
    expect((await api(suite.server.url, 'POST', '/api/events', { body: { title: 'x' } })).status).toBe(401);
    expect((await api(suite.server.url, 'POST', '/api/events', { token: 'wrong', body: { title: 'x' } })).status).toBe(401);
    expect((await api(suite.server.url, 'POST', '/api/events', { token: 'admin-token-for-tests-0123456789', body: { title: 'x' } })).status).toBe(201);
  });

  it('sends no-referrer and a strict CSP; /healthz answers once storage is open', async () => {
    suite.server = await startTestServer();
    const res = await fetch(`${suite.server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('PATCH event (moderate) and the moderators’ link list', async () => {
    suite.server = await startTestServer();
    const { body: created } = await api<CreateEventResponse>(suite.server.url, 'POST', '/api/events', { body: { title: 'Ops' } });
    const patched = await api<{ title: string; timezone: string }>(suite.server.url, 'PATCH', `/api/events/${created.event.id}`, {
      token: created.tokens.moderate,
      body: { title: 'Ops Meetup', timezone: 'Asia/Tokyo' },
    });
    expect(patched.body).toMatchObject({ title: 'Ops Meetup', timezone: 'Asia/Tokyo' });
    const links = await api<{ links: CreateEventResponse['links'] }>(suite.server.url, 'GET', `/api/events/${created.event.id}/links`, {
      token: created.tokens.moderate,
    });
    expect(links.body.links).toEqual(created.links);
    expect((await api(suite.server.url, 'GET', `/api/events/${created.event.id}/links`, { token: created.tokens.edit })).status).toBe(403);
  });
});
