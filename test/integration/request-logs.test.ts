import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPinoLogger } from '../../server/logging/pinoLogger.js';
import { RequestScope } from '../../server/logging/requestScope.js';
import { api, createEventWithSession, serverSuite, startTestServer } from '../helpers/testServer.js';
import { connectClient, waitFor, waitForSync } from '../helpers/yClient.js';

/** A real server logging through the production logger at debug level into memory. */
async function serverWithCapturedLog(suite: ReturnType<typeof serverSuite>) {
  const raw: string[] = [];
  const requests = new RequestScope();
  const log = createPinoLogger({ level: 'debug', requests, destination: { write: (s: string) => void raw.push(s) } });
  const server = (suite.server = await startTestServer({ log, operability: { requests } }));
  const lines = () => raw.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { server, raw, lines };
}

describe('request logs', () => {
  const suite = serverSuite();

  it('never write a token, whether it came in the URL, the Authorization header or the body', async () => {
    const { server, raw, lines } = await serverWithCapturedLog(suite);
    const { event, session } = await createEventWithSession(server.url, 'Logged event');
    const t = event.tokens;
    // A token-shaped string nobody issued: it must not be written either.
    const forged = randomBytes(24).toString('base64url').replace(/^./, 'Q');

    expect((await api(server.url, 'GET', `/api/events/${event.event.id}/calendar.ics?k=${t.view}`)).status).toBe(200);
    expect((await api(server.url, 'GET', `/api/events/${event.event.id}`, { token: t.moderate })).status).toBe(200);
    expect((await api(server.url, 'GET', `/api/events/${event.event.id}`, { token: forged })).status).toBe(401);
    expect((await api(server.url, 'GET', `/api/nothing-here?token=${t.edit}&k=${t.view}`)).status).toBe(404);
    expect((await api(server.url, 'POST', `/api/sessions/${session.id}/join-code`, { token: t.edit, body: { role: 'edit', token: t.edit, link: `${server.url}/e/x#k=${t.moderate}` } })).status).toBe(400);
    expect((await api(server.url, 'POST', `/api/sessions/${session.id}/join-code`, { token: t.edit, rawBody: `{"role":"edit","token":"${t.edit}"`, contentType: 'application/json' })).status).toBe(400);
    // The WebSocket carries its token in the query string.
    const client = connectClient(server.wsUrl, session.id, t.edit);
    suite.clients.push(client);
    await waitForSync(client);
    const refused = connectClient(server.wsUrl, session.id, forged);
    suite.clients.push(refused);
    await waitFor(() => refused.closes.length > 0, 5000, 'the forged token refused');

    const text = raw.join('');
    expect(lines().filter((l) => l.msg === 'request').length).toBeGreaterThanOrEqual(7);
    for (const secret of [t.view, t.edit, t.moderate, forged]) expect(text.includes(secret), `a token reached the log: ${secret.slice(0, 4)}…`).toBe(false);
  });

  it('give every request an id (echoed as X-Request-Id, or the proxy’s own), with its route template, status, event and session', async () => {
    const { server, lines } = await serverWithCapturedLog(suite);
    const { event, session } = await createEventWithSession(server.url);
    const feed = await fetch(`${server.url}/api/events/${event.event.id}/calendar.ics?k=${event.tokens.view}`);
    const feedId = feed.headers.get('x-request-id');
    expect(feedId).toMatch(/^[0-9a-f]{16}$/);
    const proxied = await fetch(`${server.url}/api/sessions/${session.id}`, { headers: { authorization: `Bearer ${event.tokens.view}`, 'x-request-id': 'proxy-7f3a9c21' } });
    expect(proxied.headers.get('x-request-id')).toBe('proxy-7f3a9c21');
    // Not a plausible id: replaced by our own.
    const odd = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'a b <script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);

    await waitFor(() => lines().filter((l) => l.msg === 'request').length >= 5, 5000, 'access lines');
    const access = lines().filter((l) => l.msg === 'request');
    expect(access.find((l) => l.reqId === feedId)).toMatchObject({ level: 'info', method: 'GET', route: '/api/events/:eventId/calendar.ics', status: 200, eventId: event.event.id });
    expect(access.find((l) => l.reqId === 'proxy-7f3a9c21')).toMatchObject({ route: '/api/sessions/:sessionId', status: 200, sessionId: session.id });
    // Probes log at debug, so they do not drown the log at info.
    expect(access.find((l) => l.route === '/healthz')).toMatchObject({ level: 'debug', status: 200 });
  });

  it('log an event stream the browser closed as served (info, status 200), not as an aborted request (warn)', async () => {
    const { server, lines } = await serverWithCapturedLog(suite);
    const { event } = await createEventWithSession(server.url);
    const ctrl = new AbortController();
    const res = await fetch(`${server.url}/api/events/${event.event.id}/stream`, { headers: { authorization: `Bearer ${event.tokens.view}` }, signal: ctrl.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    await reader.read();
    ctrl.abort();
    await waitFor(() => lines().some((l) => l.msg === 'request' && l.route === '/api/events/:eventId/stream'), 5000, 'the stream access line');
    const line = lines().find((l) => l.msg === 'request' && l.route === '/api/events/:eventId/stream')!;
    expect(line.level).toBe('info');
    expect(line.status).toBe(200);
    expect(line.closedBy).toBe('client');
    expect(line.aborted).toBeUndefined();
  });
});
