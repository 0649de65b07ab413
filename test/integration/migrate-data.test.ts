import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import * as Y from 'yjs';
import type { ActionItemDto, CreateEventResponse, EventWithSessionsDto } from '../../shared/schemas.js';
import { postgresAvailability, startPostgres, type PrivatePostgres } from '../helpers/postgres.js';
import { runCli } from '../helpers/runCli.js';
import { apiClient, createEventWithSession, startTestServer, tempDataDir, type TestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

const available = postgresAvailability();
if (!available.ok) console.warn(`skipped: ${available.reason}`);

const TABLES = ['events', 'tokens', 'sessions', 'contributors', 'action_items', 'join_codes', 'doc_updates', 'doc_snapshots'];

/** Rows per table, and the next numbers the document sequences hand out: what a second run must leave as it is. */
async function targetState(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, string> = {};
    for (const t of TABLES) out[t] = (await client.query<{ n: string }>(`SELECT count(*) AS n, md5(string_agg(${t}::text, '|' ORDER BY ${t}::text)) AS h FROM ${t}`)).rows.map((r) => JSON.stringify(r))[0]!;
    out.sequences = JSON.stringify((await client.query("SELECT last_value FROM doc_updates_seq_seq UNION ALL SELECT last_value FROM doc_snapshots_id_seq")).rows);
    return out;
  } finally {
    await client.end();
  }
}

describe.skipIf(!available.ok)('npm run migrate-data: SQLite → PostgreSQL', () => {
  let pgServer: PrivatePostgres;
  const servers: TestServer[] = [];
  const clients: YClient[] = [];
  beforeAll(async () => {
    pgServer = await startPostgres();
  }, 60_000);
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.close();
  });
  afterAll(async () => {
    await pgServer?.stop();
  });

  function client(server: TestServer, sessionId: string, token: string): YClient {
    const c = connectClient(server.wsUrl, sessionId, token);
    clients.push(c);
    return c;
  }

  /** Text of every session's notes, as a y-websocket client with the given link's token receives them. */
  async function allNotes(server: TestServer, sessionIds: string[], token: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of sessionIds) {
      const c = client(server, id, token);
      await waitForSync(c, 10_000);
      out.set(id, notesText(c.doc));
      c.destroy();
    }
    return out;
  }

  it('copies the demo event with typed notes and action items; old links, join codes and tokens work on PostgreSQL; a second run changes nothing', async () => {
    // The source: the demo event on SQLite, and notes typed into a session of it.
    const dataDir = tempDataDir();
    let created: CreateEventResponse | undefined;
    const source = await startTestServer({ dataDir, databaseUrl: undefined, demo: true, taggerDebounceMs: 50, onDemoCreated: (c) => (created = c) });
    servers.push(source);
    const { event, tokens } = created!;
    const moderator = apiClient(source.url, tokens.moderate);
    const before = await moderator.getEvent(event.slug);
    const typedIn = before.sessions.find((s) => s.notesUpdatedAt === null)!;
    const writer = client(source, typedIn.id, tokens.edit);
    await waitForSync(writer);
    appendParagraph(writer.doc, 'Migration plan agreed: move to PostgreSQL after the summit');
    appendParagraph(writer.doc, 'ACTION: @kenji write the migration runbook by 2016-05-20 ##ops');
    const asViewer = apiClient(source.url, tokens.view);
    await waitFor(async () => (await asViewer.sessionActionItems(typedIn.id)).items.some((i) => i.owners.includes('kenji')), 10_000, 'typed action item tagged');
    const joinCode = await apiClient(source.url, tokens.edit).joinCode(typedIn.id, 'edit');
    const sessionIds = before.sessions.map((s) => s.id);
    const notesBefore = await allNotes(source, sessionIds, tokens.edit);
    expect(notesBefore.get(typedIn.id)).toContain('migration runbook');
    const itemsBefore = (await asViewer.eventActionItems(event.slug)).items;
    const linksBefore = (await moderator.links(event.slug)).links;
    const sessionsBefore = (await moderator.getEvent(event.slug)).sessions;
    expect(sessionsBefore.find((s) => s.id === typedIn.id)!.notesUpdatedAt).not.toBeNull();

    const url = await pgServer.createDatabase();
    // A server holding the SQLite file: refused, nothing copied.
    const live = await runCli('migrateData', ['--from', dataDir, '--to', url]);
    expect(live.code).toBe(1);
    expect(live.stderr).toMatch(/in use by another process.*stop the server first/);

    for (const c of clients.splice(0)) c.destroy();
    await servers.splice(0)[0]!.close();

    const first = await runCli('migrateData', ['--from', dataDir, '--to', url]);
    expect(first.stderr + first.stdout).not.toMatch(/Error:/);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`${event.slug}: copied (26 sessions, 3 link tokens`);
    expect(first.stdout).toContain('26 documents identical on both sides');
    // History on PostgreSQL is not on this branch yet: the step says so instead of copying half of it.
    expect(first.stdout).toMatch(/history: not copied: the target has no history store/);
    expect(first.stderr).toContain(`[1/1] ${event.slug}: copied`);
    const afterFirst = await targetState(url);

    const again = await runCli('migrateData', ['--from', dataDir, '--to', url]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${event.slug}: already up to date; 26 documents identical on both sides`);
    expect(await targetState(url)).toEqual(afterFirst);

    // The same links on a server on PostgreSQL: no new demo, the same sessions, notes, items, tokens and codes.
    let demos = 0;
    const target = await startTestServer({ dataDir: tempDataDir(), databaseUrl: url, demo: true, onDemoCreated: () => demos++ });
    servers.push(target);
    expect(demos).toBe(0);
    const after: EventWithSessionsDto = await apiClient(target.url, tokens.moderate).getEvent(event.slug);
    expect(after.role).toBe('moderate');
    // Everything stored; who is connected right now (live counts) is not.
    const stored = (list: EventWithSessionsDto['sessions']) => list.map(({ live: _live, ...rest }) => rest);
    expect(stored(after.sessions)).toEqual(stored(sessionsBefore));
    // The same links but for the host (each test server has its own port): the same path and token per role.
    const withoutHost = (links: object) => Object.fromEntries(Object.entries(links as Record<string, string>).map(([role, link]) => [role, new URL(link).pathname + new URL(link).hash]));
    expect(withoutHost((await apiClient(target.url, tokens.moderate).links(event.slug)).links)).toEqual(withoutHost(linksBefore));
    expect(await allNotes(target, sessionIds, tokens.edit)).toEqual(notesBefore);
    expect(await allNotes(target, [typedIn.id], tokens.view)).toEqual(new Map([[typedIn.id, notesBefore.get(typedIn.id)]]));
    const itemsAfter: ActionItemDto[] = (await apiClient(target.url, tokens.view).eventActionItems(event.slug)).items;
    expect(itemsAfter).toEqual(itemsBefore);
    const joined = await fetch(`${target.url}/j/${joinCode.code}`, { redirect: 'manual' });
    expect(joined.status).toBe(302);
    expect(joined.headers.get('location')).toBe(`/e/${event.slug}/s/${typedIn.id}#k=${tokens.edit}`);

    // Typing on PostgreSQL after the move: new updates numbered after the copied ones, stored and served.
    const later = client(target, typedIn.id, tokens.edit);
    await waitForSync(later);
    appendParagraph(later.doc, 'Typed after the move');
    const reader = client(target, typedIn.id, tokens.view);
    await waitFor(() => notesText(reader.doc).includes('Typed after the move'), 10_000, 'edit after the move reaches a reader');
  });

  it('fails loudly when a document differs after copying (the target was written to), and says which', async () => {
    const dataDir = tempDataDir();
    const source = await startTestServer({ dataDir, databaseUrl: undefined });
    const { event, session } = await createEventWithSession(source.url);
    await source.close();
    const url = await pgServer.createDatabase();
    expect((await runCli('migrateData', ['--from', dataDir, '--to', url])).code).toBe(0);
    // Someone typed on PostgreSQL before the second run: the copy cannot make the two sides equal any more.
    const typed = new Y.Doc();
    appendParagraph(typed, 'typed on the new server');
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query('INSERT INTO doc_updates (doc_id, data, created_at) VALUES ($1, $2, $3)', [session.id, Buffer.from(Y.encodeStateAsUpdate(typed)), Date.now()]);
    await db.end();
    const again = await runCli('migrateData', ['--from', dataDir, '--to', url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`event "${event.event.slug}": after copying, the notes of 1 session(s) differ between SQLite and PostgreSQL (${session.id})`);
  });

  it('refuses a bad target URL (exit 2, usage) and an unreachable database (exit 1, the reason)', async () => {
    const dataDir = tempDataDir();
    const bad = await runCli('migrateData', ['--from', dataDir, '--to', 'mysql://localhost/x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--to must be a postgres:// or postgresql:// URL');
    expect(bad.stderr).toContain('Usage: npm run migrate-data');
    const missing = await runCli('migrateData', ['--from', dataDir, '--to', 'postgres://u:secret@127.0.0.1:1/x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/roundtable\.sqlite does not exist/);
    const seeded = await startTestServer({ dataDir, databaseUrl: undefined });
    await seeded.close();
    const down = await runCli('migrateData', ['--from', dataDir, '--to', 'postgres://u:secret@127.0.0.1:1/x']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot use PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x/);
    expect(down.stderr).not.toContain('secret');
  });
});
