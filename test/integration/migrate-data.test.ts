import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
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

/** A row as both drivers return it: PostgreSQL's BIGINT strings and booleans, SQLite's 0/1, bytes as hex. */
function normalise(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => {
    if (Buffer.isBuffer(v)) return [k, v.toString('hex')];
    if (typeof v === 'boolean') return [k, v ? 1 : 0];
    if (typeof v === 'string' && /^\d+$/.test(v)) return [k, Number(v)];
    return [k, v];
  }));
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
    expect(first.stdout).toContain('history: copied (revisions, authorship, named versions, checkpoints)');
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

  it('copies history (revisions, checkpoints, batch authors, versions, authorship), and a server on PostgreSQL serves it', async () => {
    const dataDir = tempDataDir();
    const source = await startTestServer({ dataDir, databaseUrl: undefined, compactEveryUpdates: 3 });
    servers.push(source);
    const { event, session } = await createEventWithSession(source.url);
    const writer = client(source, session.id, event.tokens.edit);
    await waitForSync(writer);
    for (let i = 0; i < 8; i++) appendParagraph(writer.doc, `line ${i}`);
    const reader = client(source, session.id, event.tokens.view);
    await waitFor(() => notesText(reader.doc).includes('line 7'), 10_000, 'every line stored and relayed');
    await source.commitQueue.whenIdle();
    // A compaction folds the update log into revisions and checkpoints, whatever the batching under load.
    const room = source.registry.get(session.id)!;
    await source.commitQueue.exclusive(() => source.commitQueue.compact(room, { force: true }));
    expect((source.db.prepare('SELECT count(*) AS n FROM history_revisions').get() as { n: number }).n).toBeGreaterThan(0);
    await apiClient(source.url, event.tokens.moderate).nameVersion(session.id, 1, 'Before the break');
    const historyBefore = await apiClient(source.url, event.tokens.view).history(session.id);
    for (const c of clients.splice(0)) c.destroy();
    await servers.splice(0)[0]!.close();

    const url = await pgServer.createDatabase();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const run = await runCli('migrateData', ['--from', dataDir, '--to', url]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('history: copied (revisions, authorship, named versions, checkpoints)');
      const sqlite = new Database(path.join(dataDir, 'roundtable.sqlite'), { readonly: true });
      try {
        for (const [table, order] of [['history_revisions', 'doc_id, rev'], ['history_checkpoints', 'doc_id, rev'], ['history_batch_authors', 'doc_id, seq'], ['history_versions', 'doc_id, rev'], ['author_clients', 'session_id, client_id']] as const) {
          const columns = (await db.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table])).rows.map((r) => r.column_name);
          const there = (await db.query(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${order}`)).rows.map((r: Record<string, unknown>) => normalise(r));
          const here = (sqlite.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${order}`).all() as Record<string, unknown>[]).map(normalise);
          expect(there, table).toEqual(here);
          // Checkpoints and batch authors come with longer sessions; these three every session with a named version has.
          if (['history_revisions', 'history_versions', 'author_clients'].includes(table)) expect(here.length, table).toBeGreaterThan(0);
        }
      } finally {
        sqlite.close();
      }
      const again = await runCli('migrateData', ['--from', dataDir, '--to', url]);
      expect(again.stdout).toContain(`${event.event.slug}: already up to date`);
      // The timeslider on a server on PostgreSQL: the same versions, the named one included.
      const target = await startTestServer({ dataDir: tempDataDir(), databaseUrl: url });
      servers.push(target);
      const historyAfter = await apiClient(target.url, event.tokens.view).history(session.id);
      expect(historyAfter.versions.find((v) => v.rev === 1)?.named).toBe('Before the break');
      expect(historyAfter.latest).toBeGreaterThan(0);
      expect(historyAfter.versions.map((v) => [v.rev, v.named ?? null])).toEqual(historyBefore.versions.map((v) => [v.rev, v.named ?? null]));
    } finally {
      await db.end();
    }
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
