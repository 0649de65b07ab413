import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from '../../shared/api/client.js';
import { apiClient, createEventWithSession, serverSuite, startTestServer } from '../helpers/testServer.js';

describe('the typed API client (shared/api/client.ts) against the real server', () => {
  const suite = serverSuite();

  it('creates, reads and changes events and sessions with typed calls', async () => {
    suite.server = await startTestServer();
    const created = await apiClient(suite.server.url).createEvent({ title: 'Ops Meetup', slug: 'ops-meetup', timezone: 'Asia/Tokyo', language: 'ja' });
    expect(created.event).toMatchObject({ slug: 'ops-meetup', title: 'Ops Meetup', timezone: 'Asia/Tokyo', language: 'ja' });
    const mod = apiClient(suite.server.url, created.tokens.moderate);
    await expect(mod.slugAvailable('ops-meetup')).resolves.toEqual({ available: false });

    const session = await mod.createSession('ops-meetup', { title: 'Keynote', rooms: ['Hall A', 'Hall B', 'Hall A'], startsAt: '2026-07-06T01:00:00Z' });
    expect(session).toMatchObject({ title: 'Keynote', rooms: ['Hall A', 'Hall B'], locked: false });
    expect(Date.parse(session.startsAt!)).toBe(Date.parse('2026-07-06T01:00:00Z'));
    await expect(mod.patchSession(session.id, { locked: true, nowDiscussing: 'Q&A' })).resolves.toMatchObject({ locked: true, nowDiscussing: 'Q&A' });
    await expect(mod.patchEvent('ops-meetup', { title: 'Ops Meetup Tokyo' })).resolves.toMatchObject({ title: 'Ops Meetup Tokyo' });

    const viewer = mod.as(created.tokens.view);
    const event = await viewer.getEvent(created.event.id);
    expect(event.role).toBe('view');
    expect(event.sessions.map((s) => s.title)).toEqual(['Keynote']);
    await expect(viewer.sessionActionItems(session.id)).resolves.toEqual({ items: [] });
    await expect(viewer.search('ops-meetup', 'keynote')).resolves.toMatchObject({ results: [{ sessionId: session.id, kind: 'title' }] });

    const rotated = await mod.rotateLink('ops-meetup', 'view');
    expect(rotated.role).toBe('view');
    await expect(mod.deleteSession(session.id)).resolves.toBeUndefined();
    await expect(mod.undeleteSession(session.id)).resolves.toMatchObject({ id: session.id, title: 'Keynote' });
  });

  it('an error answer becomes an ApiError with the code, params and status of shared/errors.ts', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const editor = apiClient(suite.server.url, event.tokens.edit);

    const denied = await editor.patchSession(session.id, { locked: true }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ApiError);
    expect(denied).toMatchObject({ status: 403, code: 'insufficient_role', params: { needed: 'moderate', role: 'edit' } });

    const taken = await apiClient(suite.server.url).createEvent({ title: 'Twice', slug: event.event.slug }).catch((e: unknown) => e);
    expect(taken).toMatchObject({ status: 409, code: 'slug_taken', params: { slug: event.event.slug } });

    const tooLong = await editor.as(event.tokens.moderate).createSession(event.event.id, { title: 'x'.repeat(301) }).catch((e: unknown) => e);
    expect(tooLong).toMatchObject({ status: 400, code: 'field_too_long', params: { field: 'title', max: 300 } });

    await expect(apiClient(suite.server.url, 'not-a-token').getEvent(event.event.id)).rejects.toMatchObject({ status: 401, code: 'link_invalid' });
  });

  it('a server that cannot be reached is status 0, code network', async () => {
    suite.server = await startTestServer();
    const url = suite.server.url;
    await suite.server.close();
    suite.server = undefined;
    await expect(createApiClient({ baseUrl: url }).slugAvailable('anything')).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});
