import { describe, expect, it } from 'vitest';
import { api, createEventWithSession, startTestServer, serverSuite } from '../helpers/testServer.js';

interface JoinCode {
  code: string;
  url: string;
  role: 'edit' | 'view';
  expiresAt: string;
}

/** Follows nothing: the test reads the redirect itself. */
async function open(base: string, path: string): Promise<{ status: number; location: string | null; body: string }> {
  const res = await fetch(base + path, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

describe('join codes (the short URL on the projector)', () => {
  const suite = serverSuite();

  it('a short code leads to the session with the chosen link, and asking again gives the same code', async () => {
    suite.server = await startTestServer();
    const fx = await createEventWithSession(suite.server.url, 'Join codes');
    const path = `/api/sessions/${fx.session.id}/join-code`;

    const edit = await api<JoinCode>(suite.server.url, 'POST', path, { token: fx.event.tokens.moderate, body: { role: 'edit' } });
    expect(edit.status).toBe(201);
    expect(edit.body.code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(edit.body.url).toBe(`${suite.server.url}/j/${edit.body.code}`);
    expect(Date.parse(edit.body.expiresAt)).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);

    const hop = await open(suite.server.url, `/j/${edit.body.code}`);
    expect(hop.status).toBe(302);
    expect(hop.location).toBe(`/e/${fx.event.event.slug}/s/${fx.session.id}#k=${fx.event.tokens.edit}`);
    // Typed from a screen: lower case, no dash.
    const typed = await open(suite.server.url, `/j/${edit.body.code.replace('-', '').toLowerCase()}`);
    expect(typed.location).toBe(hop.location);

    const again = await api<JoinCode>(suite.server.url, 'POST', path, { token: fx.event.tokens.edit, body: { role: 'edit' } });
    expect(again.body.code).toBe(edit.body.code);

    const view = await api<JoinCode>(suite.server.url, 'POST', path, { token: fx.event.tokens.view, body: { role: 'view' } });
    expect(view.status).toBe(201);
    expect(view.body.code).not.toBe(edit.body.code);
    expect((await open(suite.server.url, `/j/${view.body.code}`)).location).toContain(`#k=${fx.event.tokens.view}`);
  });

  it('never hands out more than the caller holds, and refuses bad input with a message', async () => {
    suite.server = await startTestServer();
    const fx = await createEventWithSession(suite.server.url, 'Join code roles');
    const path = `/api/sessions/${fx.session.id}/join-code`;
    const viewAsksEdit = await api<{ error: { code: string } }>(suite.server.url, 'POST', path, { token: fx.event.tokens.view, body: { role: 'edit' } });
    expect(viewAsksEdit.status).toBe(403);
    const moderate = await api<{ error: { code: string } }>(suite.server.url, 'POST', path, { token: fx.event.tokens.moderate, body: { role: 'moderate' } });
    expect(moderate.status).toBe(400);
    expect((await api(suite.server.url, 'POST', path, { body: { role: 'view' } })).status).toBe(401);
    expect((await api(suite.server.url, 'POST', '/api/sessions/not-an-id/join-code', { token: fx.event.tokens.edit, body: { role: 'view' } })).status).toBe(400);
    const other = await createEventWithSession(suite.server.url, 'Another event');
    expect((await api(suite.server.url, 'POST', path, { token: other.event.tokens.moderate, body: { role: 'view' } })).status).toBe(401);
  });

  it('a rotated link or a deleted session kills its codes', async () => {
    suite.server = await startTestServer();
    const fx = await createEventWithSession(suite.server.url, 'Join code rotation');
    const path = `/api/sessions/${fx.session.id}/join-code`;
    const before = await api<JoinCode>(suite.server.url, 'POST', path, { token: fx.event.tokens.moderate, body: { role: 'edit' } });
    const rotated = await api<{ token: string }>(suite.server.url, 'POST', `/api/events/${fx.event.event.id}/links/edit/rotate`, { token: fx.event.tokens.moderate });
    expect(rotated.status).toBe(200);

    const dead = await open(suite.server.url, `/j/${before.body.code}`);
    expect(dead.status).toBe(404);
    expect(dead.body).toContain('not valid');
    expect(dead.body).not.toContain(fx.event.tokens.edit);

    const after = await api<JoinCode>(suite.server.url, 'POST', path, { token: fx.event.tokens.moderate, body: { role: 'edit' } });
    expect(after.body.code).not.toBe(before.body.code);
    expect((await open(suite.server.url, `/j/${after.body.code}`)).location).toContain(`#k=${rotated.body.token}`);

    expect((await api(suite.server.url, 'DELETE', `/api/sessions/${fx.session.id}`, { token: fx.event.tokens.moderate })).status).toBe(204);
    expect((await open(suite.server.url, `/j/${after.body.code}`)).status).toBe(404);
  });

  it('guessing is cut off per address after 30 wrong codes a minute, while nothing else is affected', async () => {
    suite.server = await startTestServer();
    const fx = await createEventWithSession(suite.server.url, 'Join code guessing');
    const good = await api<JoinCode>(suite.server.url, 'POST', `/api/sessions/${fx.session.id}/join-code`, { token: fx.event.tokens.edit, body: { role: 'view' } });
    // Right codes are never counted.
    for (let i = 0; i < 40; i++) expect((await open(suite.server.url, `/j/${good.body.code}`)).status).toBe(302);
    const wrong = ['AAAA-AAAA', 'zzzz', '%00', 'O0O0-I1I1', '../../etc/passwd', 'ABCD-EFGH-JKMN'];
    for (let i = 0; i < 30; i++) expect((await open(suite.server.url, `/j/${encodeURIComponent(wrong[i % wrong.length]!)}`)).status).toBe(404);
    const blocked = await open(suite.server.url, `/j/${good.body.code}`);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatch(/wait a minute/);
    // The rest of the server is untouched.
    expect((await api(suite.server.url, 'GET', `/api/sessions/${fx.session.id}`, { token: fx.event.tokens.view })).status).toBe(200);
  });
});
