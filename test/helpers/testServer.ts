import { afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRoundtableServer, type RoundtableServer, type ServerOptions } from '../../server/createServer.js';
import { createLogger } from '../../server/logger.js';
import { createApiClient, type ApiClient } from '../../shared/api/client.js';
import type { CreateEventResponse, SessionDto } from '../../shared/schemas.js';
import { testDatabaseUrl } from './postgresBackend.js';
import type { YClient } from './yClient.js';

export function tempDataDir(prefix = 'rt-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestServer extends RoundtableServer {
  dataDir: string;
  wsUrl: string;
}

/** Starts the real server on port 0 (or the given port) with a fresh SQLite file. */
export async function startTestServer(opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const server = await createRoundtableServer({
    log: createLogger(process.env.TEST_LOG === '1' ? 'debug' : 'silent'),
    unloadDelayMs: 0,
    // Tests that restart a server look for the catch-up's work at once.
    searchCatchUpDelayMs: 0,
    databaseUrl: await testDatabaseUrl(dataDir),
    ...opts,
    dataDir,
  });
  return Object.assign(server, { dataDir, wsUrl: server.url.replace(/^http/, 'ws') + '/collab' });
}

/** The typed API client (shared/api/client.ts) against a test server, with a link's token. */
export function apiClient(base: string, token: string | null = null): ApiClient {
  return createApiClient({ baseUrl: base, token, fetch });
}

/**
 * One request as it is, answered with its status whatever it is: for tests
 * whose request is itself the bad input (a wrong body, a missing token) or
 * that check statuses and headers. Everything else uses apiClient().
 */
export async function api<T = unknown>(
  base: string,
  method: string,
  pathname: string,
  opts: { token?: string; body?: unknown; rawBody?: string; contentType?: string } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) {
    body = opts.rawBody;
    headers['content-type'] = opts.contentType ?? 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(base + pathname, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export interface Download {
  status: number;
  type: string | null;
  disposition: string | null;
  bytes: Buffer;
  text: string;
}

/** A download (an export, a feed) with a link's token, answered whatever its status. */
export async function download(base: string, pathname: string, token?: string): Promise<Download> {
  const res = await fetch(base + pathname, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes, text: bytes.toString('utf8') };
}

export interface Fixture {
  event: CreateEventResponse;
  session: SessionDto;
}

/** Creates an event with one session through the public API. */
export async function createEventWithSession(base: string, title = 'Test event'): Promise<Fixture> {
  const event = await apiClient(base).createEvent({ title, timezone: 'America/Chicago' });
  const session = await apiClient(base, event.tokens.moderate).createSession(event.event.id, {
    title: 'Session one',
    rooms: ['Salon A'],
    startsAt: '2016-04-25T16:15:00Z',
    endsAt: '2016-04-25T16:55:00Z',
  });
  return { event, session };
}

export interface ServerSuite {
  /** The current test's server, if it started one; closed after each test. */
  server: TestServer | undefined;
  /** y-websocket clients of the current test; destroyed after each test. */
  clients: YClient[];
}

/** Registers the after-each clean-up every integration suite needs: clients destroyed, then the server closed. */
export function serverSuite(): ServerSuite {
  const suite: ServerSuite = { server: undefined, clients: [] };
  afterEach(async () => {
    for (const c of suite.clients.splice(0)) c.destroy();
    await suite.server?.close();
    suite.server = undefined;
  });
  return suite;
}
