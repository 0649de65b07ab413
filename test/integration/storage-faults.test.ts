import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { AckingWriter } from '../helpers/ackingWriter.js';
import { runChildServerToExit, startChildServer, type ChildServer } from '../helpers/childServer.js';
import { corruptLastPage } from '../helpers/corruptFile.js';
import { api, createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

interface ReadyBody {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

describe('storage faults show, and nothing acknowledged is lost (real files, server in its own process)', () => {
  let child: ChildServer | undefined;
  const writers: AckingWriter[] = [];
  const clients: YClient[] = [];
  afterEach(async () => {
    for (const w of writers.splice(0)) w.close();
    for (const c of clients.splice(0)) c.destroy();
    await child?.kill9();
    child = undefined;
  });

  async function everyAckedEditSurvives(dataDir: string, sessionId: string, token: string, acked: string[]): Promise<void> {
    child = await startChildServer(dataDir);
    const reader = connectClient(child.wsUrl, sessionId, token);
    clients.push(reader);
    await waitForSync(reader);
    const text = notesText(reader.doc);
    const lost = acked.filter((t) => !text.includes(t));
    expect(lost, `${lost.length} of ${acked.length} acknowledged edits lost`).toEqual([]);
  }

  it('the WAL deleted under a running server: it stops acknowledging, closes writers with 4500, goes unready; a crash then loses nothing acknowledged', async () => {
    const dataDir = tempDataDir();
    child = await startChildServer(dataDir, { env: { STORAGE_CHECK_MS: '200' } });
    const { event, session } = await createEventWithSession(child.url);
    const writer = await AckingWriter.open(child.wsUrl, session.id, event.tokens.edit);
    writers.push(writer);
    const stop = writer.typeContinuously('edit', 5);
    await waitFor(() => writer.acked >= 40, 10_000, '40 acknowledged edits');

    fs.rmSync(path.join(dataDir, 'roundtable.sqlite-wal'));
    const closed = await writer.closed;
    stop();
    expect(closed.code).toBe(CLOSE_CODES.internalError);
    const ready = await api<ReadyBody>(child.url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.files).toEqual({ ok: false, detail: 'the WAL file was deleted under the running server' });
    expect((await api(child.url, 'GET', '/healthz')).status).toBe(200);
    expect(child.stderr()).toContain('STORAGE FENCED');
    // New writers are turned away too; their edits stay on their devices.
    const late = await AckingWriter.open(child.wsUrl, session.id, event.tokens.edit);
    writers.push(late);
    expect((await late.closed).code).toBe(CLOSE_CODES.internalError);

    const acked = writer.ackedTexts();
    expect(acked.length).toBeGreaterThanOrEqual(40);
    await child.kill9();
    await everyAckedEditSurvives(dataDir, session.id, event.tokens.view, acked);
  });

  it('a full disk (file-size limit: a real EFBIG under SQLite): writers get 4500, /readyz says the last write failed, nothing acknowledged is lost', async () => {
    const dataDir = tempDataDir();
    // Make the database first, without a limit.
    child = await startChildServer(dataDir);
    const { event, session } = await createEventWithSession(child.url);
    await child.terminate();
    const dbBytes = fs.statSync(path.join(dataDir, 'roundtable.sqlite')).size;
    // Room for the database plus about 300 KiB of WAL.
    child = await startChildServer(dataDir, { fileSizeLimitBlocks: Math.ceil((dbBytes + 300 * 1024) / 512), env: { STORAGE_CHECK_MS: '200' } });
    expect((await api<ReadyBody>(child.url, 'GET', '/readyz')).status).toBe(200);
    const writer = await AckingWriter.open(child.wsUrl, session.id, event.tokens.edit);
    writers.push(writer);
    const stop = writer.typeContinuously('a line of notes that fills the disk', 2);
    const closed = await writer.closed;
    stop();
    expect(closed.code).toBe(CLOSE_CODES.internalError);
    const ready = await api<ReadyBody>(child.url, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.lastWrite?.ok).toBe(false);
    expect(ready.body.checks.lastWrite?.detail).toMatch(/last write failed/);
    expect((await api(child.url, 'GET', '/healthz')).status).toBe(200);
    const acked = writer.ackedTexts();
    expect(acked.length).toBeGreaterThan(0);

    await child.kill9();
    await everyAckedEditSurvives(dataDir, session.id, event.tokens.view, acked);
    expect((await api<ReadyBody>(child!.url, 'GET', '/readyz')).status).toBe(200);
  });

  it('a corrupt page in the database file: the server refuses to start and says why', async () => {
    const dataDir = tempDataDir();
    child = await startChildServer(dataDir);
    const { event, session } = await createEventWithSession(child.url);
    const writer = await AckingWriter.open(child.wsUrl, session.id, event.tokens.edit);
    writers.push(writer);
    for (let i = 0; i < 200; i++) writer.write(`line ${i} ${'x'.repeat(200)}`);
    await waitFor(() => writer.acked === 200, 10_000, 'all stored');
    writer.close();
    await child.terminate();
    child = undefined;

    corruptLastPage(path.join(dataDir, 'roundtable.sqlite'));
    const run = await runChildServerToExit(dataDir);
    expect(run.code).not.toBe(0);
    expect(run.stdout).not.toContain('READY');
    expect(run.stderr).toContain('is corrupt; refusing to start');
    expect(run.stderr).toContain('Restore it from a backup');
  });
});
