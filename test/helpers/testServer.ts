import { afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRoundtableServer, type RoundtableServer, type ServerOptions } from '../../server/createServer.js';
import { createLogger } from '../../server/logger.js';
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
    databaseUrl: await testDatabaseUrl(dataDir),
    ...opts,
    dataDir,
  });
  return Object.assign(server, { dataDir, wsUrl: server.url.replace(/^http/, 'ws') + '/collab' });
}

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

export interface Fixture {
  event: CreateEventResponse;
  session: SessionDto;
}

/** Creates an event with one session through the public API. */
export async function createEventWithSession(base: string, title = 'Test event'): Promise<Fixture> {
  const created = await api<CreateEventResponse>(base, 'POST', '/api/events', {
    body: { title, timezone: 'America/Chicago' },
  });
  if (created.status !== 201) throw new Error(`create event: ${created.status} ${JSON.stringify(created.body)}`);
  const session = await api<SessionDto>(base, 'POST', `/api/events/${created.body.event.id}/sessions`, {
    token: created.body.tokens.moderate,
    body: { title: 'Session one', rooms: ['Salon A'], startsAt: '2016-04-25T16:15:00Z', endsAt: '2016-04-25T16:55:00Z' },
  });
  if (session.status !== 201) throw new Error(`create session: ${session.status} ${JSON.stringify(session.body)}`);
  return { event: created.body, session: session.body };
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
