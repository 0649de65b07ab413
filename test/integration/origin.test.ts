import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { api, createEventWithSession, serverSuite, startTestServer } from '../helpers/testServer.js';

/** Opens a raw upgrade carrying `origin` (or none): 'open', or the HTTP status it was refused with. */
function tryUpgrade(url: string, origin: string | undefined): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { headers: { Origin: origin } });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (err) => reject(err));
  });
}

describe('WebSocket origin check and connect-src', () => {
  const suite = serverSuite();

  it('accepts the page’s own host and non-browser clients; refuses other origins with 403 before the upgrade', async () => {
    suite.server = await startTestServer();
    const { event, session } = await createEventWithSession(suite.server.url);
    const url = `${suite.server.wsUrl}/${session.id}?token=${event.tokens.edit}`;
    const own = `http://127.0.0.1:${suite.server.port}`;
    expect(await tryUpgrade(url, own)).toBe('open');
    expect(await tryUpgrade(url, undefined)).toBe('open');
    expect(await tryUpgrade(url, 'https://evil.example')).toBe(403);
    expect(await tryUpgrade(url, `http://127.0.0.1:${suite.server.port + 1}`)).toBe(403);
    expect(await tryUpgrade(url, 'null')).toBe(403);
    expect(await tryUpgrade(url, 'chrome-extension://abcdef')).toBe(403);
    // Refused before any token check: a wrong token from a foreign page is still 403, not a close code.
    expect(await tryUpgrade(`${suite.server.wsUrl}/${session.id}?token=nope`, 'https://evil.example')).toBe(403);
  });

  it('with PUBLIC_URL that origin is the app’s own; ALLOWED_ORIGINS adds more', async () => {
    suite.server = await startTestServer({ publicUrl: 'https://notes.example.org', allowedOrigins: ['https://projector.example.org'] });
    const { event, session } = await createEventWithSession(suite.server.url);
    const url = `${suite.server.wsUrl}/${session.id}?token=${event.tokens.view}`;
    expect(await tryUpgrade(url, 'https://notes.example.org')).toBe('open');
    expect(await tryUpgrade(url, 'https://projector.example.org')).toBe('open');
    expect(await tryUpgrade(url, 'https://evil.example')).toBe(403);
    expect(await tryUpgrade(url, `http://127.0.0.1:${suite.server.port}`)).toBe(403);
    expect(await tryUpgrade(url, undefined)).toBe('open');
  });

  it('pages may connect only to their own origin (connect-src \'self\')', async () => {
    suite.server = await startTestServer();
    const res = await api(suite.server.url, 'GET', '/healthz');
    const csp = res.headers.get('content-security-policy') ?? '';
    const connect = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('connect-src'));
    expect(connect).toBe("connect-src 'self'");
  });
});
