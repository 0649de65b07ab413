import { describe, expect, it } from 'vitest';
import type { CreateEventResponse } from '../../shared/schemas.js';
import { api, serverSuite, startTestServer } from '../helpers/testServer.js';

describe('GET /api/slugs/:slug', () => {
  const suite = serverSuite();

  it('says whether a short name is free, taken (as a slug or an event id) or invalid, without a token', async () => {
    suite.server = await startTestServer();
    const base = suite.server.url;
    expect(await api(base, 'GET', '/api/slugs/ux-meetup')).toMatchObject({ status: 200, body: { available: true } });
    const created = await api<CreateEventResponse>(base, 'POST', '/api/events', { body: { title: 'UX Meetup', slug: 'ux-meetup', timezone: 'Asia/Tokyo' } });
    expect(created.status).toBe(201);
    expect(await api(base, 'GET', '/api/slugs/ux-meetup')).toMatchObject({ status: 200, body: { available: false } });
    expect(await api(base, 'GET', `/api/slugs/${created.body.event.id}`)).toMatchObject({ status: 200, body: { available: false } });
    for (const bad of ['UX', '-ux', 'ux-', 'ux%20meetup', 'a'.repeat(65)]) {
      const res = await api<{ error: { code: string } }>(base, 'GET', `/api/slugs/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('invalid_slug');
    }
  });

  it('is rate-limited per address like join-code guesses: 60 checks a minute, then 429', async () => {
    suite.server = await startTestServer();
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await api(suite.server.url, 'GET', `/api/slugs/free-${i}`)).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    const limited = await api<{ error: { code: string } }>(suite.server.url, 'GET', '/api/slugs/one-more');
    expect(statuses[60]).toBe(429);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
  });
});
