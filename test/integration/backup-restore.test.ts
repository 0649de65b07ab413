import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupSchedule } from '../../server/backup/backupSchedule.js';
import { createLogger } from '../../server/logger.js';
import { createSqliteDocStore } from '../../server/storage/docStore.js';
import type { EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { AckingWriter } from '../helpers/ackingWriter.js';
import { parsePromText, sampleValue } from '../helpers/promText.js';
import { runCli } from '../helpers/runCli.js';
import { api, createEventWithSession, serverSuite, startTestServer, tempDataDir, type TestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

const DB = 'roundtable.sqlite';
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The notes of a session as a fresh real client receives them. */
async function notesOf(server: TestServer, sessionId: string, token: string): Promise<string> {
  const c = connectClient(server.wsUrl, sessionId, token);
  try {
    await waitForSync(c, 10_000);
    return notesText(c.doc);
  } finally {
    c.destroy();
  }
}

describe('online backup and restore', () => {
  const suite = serverSuite();
  const extra: TestServer[] = [];
  const writers: AckingWriter[] = [];
  afterEach(async () => {
    for (const w of writers.splice(0)) w.close();
    for (const s of extra.splice(0)) await s.close();
  });

  it('a backup taken while 5 clients type holds every edit acknowledged before it started; restored into an empty directory, a real client gets them all', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url, 'Backup while typing');
    for (let i = 0; i < 5; i++) writers.push(await AckingWriter.open(server.wsUrl, session.id, event.tokens.edit));
    const stops = writers.map((w, i) => w.typeContinuously(`typist ${i} line`, 4));
    await waitFor(() => writers.every((w) => w.acked >= 40), 20_000, 'every typist acknowledged');

    const ackedBefore = writers.flatMap((w) => w.ackedTexts());
    const out = path.join(tempDataDir('rt-backup-'), 'during-typing.sqlite');
    const backup = await runCli('backup', ['--out', out, '--data-dir', server.dataDir]);
    const sentDuring = writers.map((w) => w.sent.length);
    for (const stop of stops) stop();
    expect(backup.stderr).not.toMatch(/^backup:/m);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/Backed up .* to .*during-typing\.sqlite .*1 events, 1 sessions/);
    // The clients were still typing while it ran.
    await waitFor(() => writers.every((w, i) => w.acked >= sentDuring[i]!), 20_000, 'the last edits acknowledged');

    const restoredDir = path.join(tempDataDir('rt-restored-'), 'data');
    const restore = await runCli('restore', ['--from', out, '--data-dir', restoredDir]);
    expect(restore.stderr).not.toMatch(/^restore:/m);
    expect(restore.code).toBe(0);
    expect(fs.readdirSync(restoredDir)).toEqual([DB]);

    const restored = await startTestServer({ dataDir: restoredDir });
    extra.push(restored);
    const text = await notesOf(restored, session.id, event.tokens.view);
    const lost = ackedBefore.filter((t) => !text.includes(t));
    expect(ackedBefore.length).toBeGreaterThanOrEqual(200);
    expect(lost, `${lost.length} of ${ackedBefore.length} acknowledged edits missing from the backup`).toEqual([]);
  });

  it('restore into an empty data directory serves the same event, sessions, notes and action items', async () => {
    const server = (suite.server = await startTestServer({ taggerDebounceMs: 20 }));
    const { event, session } = await createEventWithSession(server.url, 'Restored event 日本語');
    const second = await api<SessionDto>(server.url, 'POST', `/api/events/${event.event.id}/sessions`, { token: event.tokens.moderate, body: { title: 'Second session', rooms: ['Salon B'] } });
    for (const s of [session, second.body]) {
      const c = connectClient(server.wsUrl, s.id, event.tokens.edit);
      suite.clients.push(c);
      await waitForSync(c);
      appendParagraph(c.doc, `notes of ${s.title}`);
      appendParagraph(c.doc, `ACTION: @dana follow up on ${s.title} ##ops`);
      appendParagraph(c.doc, '議事録のテスト');
    }
    const itemsUrl = `/api/events/${event.event.id}/action-items`;
    await expect.poll(async () => (await server.storage.actionItems.listByEvent(event.event.id)).length, { timeout: 10_000 }).toBe(2);
    await server.commitQueue.whenIdle();
    // Who is connected right now is not part of the data.
    const withoutLive = (e: EventWithSessionsDto) => ({ ...e, sessions: e.sessions.map(({ live: _live, ...rest }) => rest) });
    const original = {
      event: withoutLive((await api<EventWithSessionsDto>(server.url, 'GET', `/api/events/${event.event.id}`, { token: event.tokens.view })).body),
      items: (await api(server.url, 'GET', itemsUrl, { token: event.tokens.view })).body,
      notes: [await notesOf(server, session.id, event.tokens.view), await notesOf(server, second.body.id, event.tokens.view)],
    };

    const out = path.join(tempDataDir('rt-backup-'), 'quiet.sqlite');
    expect((await runCli('backup', ['--out', out, '--data-dir', server.dataDir])).code).toBe(0);
    const restoredDir = tempDataDir('rt-restored-');
    expect((await runCli('restore', ['--from', out, '--data-dir', restoredDir])).code).toBe(0);
    const restored = await startTestServer({ dataDir: restoredDir });
    extra.push(restored);
    expect(withoutLive((await api<EventWithSessionsDto>(restored.url, 'GET', `/api/events/${event.event.id}`, { token: event.tokens.view })).body)).toEqual(original.event);
    expect((await api(restored.url, 'GET', itemsUrl, { token: event.tokens.view })).body).toEqual(original.items);
    expect([await notesOf(restored, session.id, event.tokens.view), await notesOf(restored, second.body.id, event.tokens.view)]).toEqual(original.notes);
    expect(original.notes[1]).toContain('notes of Second session');
  });

  it('bad input: an unwritable or taken --out fails clearly with nothing written; restore refuses a running server’s directory and a corrupt backup, changing nothing', async () => {
    const server = (suite.server = await startTestServer());
    const { event, session } = await createEventWithSession(server.url);
    const dir = tempDataDir('rt-bad-');

    const aFile = path.join(dir, 'plain-file');
    fs.writeFileSync(aFile, 'x');
    const inFile = await runCli('backup', ['--out', path.join(aFile, 'b.sqlite'), '--data-dir', server.dataDir]);
    expect(inFile.code).toBe(1);
    expect(inFile.stderr).toContain(`backup: cannot write ${path.join(aFile, 'b.sqlite')}: a part of the path is a file, not a directory`);
    const readOnly = await runCli('backup', ['--out', '/proc/roundtable-backup.sqlite', '--data-dir', server.dataDir]);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toMatch(/^backup: cannot write \/proc\/roundtable-backup\.sqlite: /m);
    const taken = await runCli('backup', ['--out', aFile, '--data-dir', server.dataDir]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('a file is already there (backups never overwrite)');
    expect(fs.readFileSync(aFile, 'utf8')).toBe('x');
    expect((await runCli('backup', ['--data-dir', server.dataDir])).code).toBe(2);
    expect(fs.readdirSync(dir)).toEqual(['plain-file']);

    // A good backup, restored onto the running server's directory: refused, the server goes on untouched.
    const good = path.join(dir, 'good.sqlite');
    expect((await runCli('backup', ['--out', good, '--data-dir', server.dataDir])).code).toBe(0);
    const live = path.join(server.dataDir, DB);
    const inode = fs.statSync(live).ino;
    const onLive = await runCli('restore', ['--from', good, '--data-dir', server.dataDir]);
    expect(onLive.code).toBe(1);
    expect(onLive.stderr).toContain(`restore: refusing to restore: ${live} is in use by another process: a running Roundtable server`);
    expect(fs.statSync(live).ino).toBe(inode);
    expect(fs.readdirSync(server.dataDir).filter((f) => f.includes('before-restore') || f.includes('restoring'))).toEqual([]);
    const w = await AckingWriter.open(server.wsUrl, session.id, event.tokens.edit);
    writers.push(w);
    w.write('still writing after the refused restore');
    await waitFor(() => w.acked === 1, 10_000, 'the server still takes writes');

    // Corrupt backups are refused before anything is replaced, on a stopped server's directory too.
    await server.close();
    suite.server = undefined;
    const before = sha(live);
    const truncated = path.join(dir, 'truncated.sqlite');
    fs.writeFileSync(truncated, fs.readFileSync(good).subarray(0, 20_000));
    const flipped = path.join(dir, 'flipped.sqlite');
    const bytes = fs.readFileSync(good);
    for (let i = 8192; i < bytes.length; i += 7) bytes[i] = (bytes[i]! * 31 + 7) & 0xff;
    fs.writeFileSync(flipped, bytes);
    const notSqlite = path.join(dir, 'notes.txt');
    fs.writeFileSync(notSqlite, 'these are not the notes you are looking for\n'.repeat(200));
    const otherDb = path.join(dir, 'other.sqlite');
    new Database(otherDb).exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    for (const [file, why] of [
      [truncated, /malformed|not a database|integrity/],
      [flipped, /integrity|malformed/],
      [notSqlite, /not a database/],
      [otherDb, /not a Roundtable database: no events, sessions, tokens, doc_updates, doc_snapshots tables/],
    ] as const) {
      const r = await runCli('restore', ['--from', file, '--data-dir', server.dataDir]);
      expect(r.code, file).toBe(1);
      expect(r.stderr).toMatch(/^restore: refusing to restore .*; nothing was changed:/m);
      expect(r.stderr).toMatch(why);
      expect(sha(live)).toBe(before);
      expect(fs.readdirSync(server.dataDir).filter((f) => f.includes('before-restore') || f.includes('restoring'))).toEqual([]);
    }

    // The good one on the stopped server: the old database is kept aside, whole.
    const ok = await runCli('restore', ['--from', good, '--data-dir', server.dataDir]);
    expect(ok.code).toBe(0);
    const aside = fs.readdirSync(server.dataDir).filter((f) => f.startsWith(`${DB}.before-restore-`));
    expect(aside).toHaveLength(1);
    expect(ok.stdout).toContain(`kept as ${path.join(server.dataDir, aside[0]!)}`);
    const kept = new Database(path.join(server.dataDir, aside[0]!), { readonly: true });
    expect(kept.pragma('integrity_check', { simple: true })).toBe('ok');
    const keptNotes = await createSqliteDocStore(kept).load(session.id);
    expect(keptNotes.snapshot !== null || keptNotes.updates.length > 0).toBe(true);
    kept.close();
  });

  it('BACKUP_EVERY: scheduled backups run in a worker, verified, keeping the newest BACKUP_KEEP, counted in /metrics', async () => {
    const dir = tempDataDir('rt-scheduled-');
    const server = (suite.server = await startTestServer({ operability: { backup: { everyMs: 3_600_000, dir, keep: 24 } } }));
    const { event, session } = await createEventWithSession(server.url);
    const w = await AckingWriter.open(server.wsUrl, session.id, event.tokens.edit);
    writers.push(w);
    w.write('in the scheduled backup');
    await waitFor(() => w.acked === 1, 10_000, 'ack');
    const result = await server.ops.backups!.runOnce();
    expect(result?.file.startsWith(dir)).toBe(true);
    const metrics = parsePromText(await (await fetch(`${server.url}/metrics`)).text());
    expect(sampleValue(metrics, 'roundtable_backups_total', { outcome: 'ok' })).toBe(1);
    expect(sampleValue(metrics, 'roundtable_backup_last_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 600);
    const restored = await startTestServer({ dataDir: (() => {
      const d = tempDataDir('rt-from-scheduled-');
      fs.copyFileSync(result!.file, path.join(d, DB));
      return d;
    })() });
    extra.push(restored);
    expect(await notesOf(restored, session.id, event.tokens.view)).toContain('in the scheduled backup');

    // Keeping the newest N, by name (UTC time); other files in the directory are never touched.
    fs.writeFileSync(path.join(dir, 'operator-notes.txt'), 'keep me');
    let t = Date.parse('2099-05-01T10:00:00Z');
    const schedule = new BackupSchedule({ source: server.db.name, dir, everyMs: 3_600_000, keep: 2, log: createLogger('silent'), registry: new Registry(), now: () => new Date((t += 3_600_000)) });
    for (let i = 0; i < 3; i++) expect(await schedule.runOnce()).not.toBeNull();
    expect(fs.readdirSync(dir).sort()).toEqual(['operator-notes.txt', 'roundtable-2099-05-01T12-00-00Z.sqlite', 'roundtable-2099-05-01T13-00-00Z.sqlite']);
    // A failure (the directory became a file) is logged and counted, and the server goes on.
    const blocked = new BackupSchedule({ source: server.db.name, dir: path.join(dir, 'operator-notes.txt'), everyMs: 3_600_000, keep: 2, log: createLogger('silent'), registry: new Registry() });
    expect(await blocked.runOnce()).toBeNull();
  });
});
