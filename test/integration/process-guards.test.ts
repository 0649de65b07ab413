import { afterEach, describe, expect, it } from 'vitest';
import { AckingWriter } from '../helpers/ackingWriter.js';
import { startChildServer, type ChildServer } from '../helpers/childServer.js';
import { api, createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

describe('the process-level last line of defence', () => {
  let child: ChildServer | undefined;
  const clients: YClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await child?.kill9();
    child = undefined;
  });

  it('an unhandled rejection is logged and the server goes on', async () => {
    child = await startChildServer(tempDataDir(), { env: { TEST_FAULTS: '1' } });
    child.child.kill('SIGHUP');
    await waitFor(() => child!.stderr().includes('unhandled promise rejection; the server goes on'), 10_000, 'the rejection logged');
    expect(child.stderr()).toContain('test: an unhandled rejection');
    expect((await api(child.url, 'GET', '/healthz')).status).toBe(200);
    const { event, session } = await createEventWithSession(child.url);
    const reader = connectClient(child.wsUrl, session.id, event.tokens.view);
    clients.push(reader);
    await waitForSync(reader);
  });

  it('an uncaught exception restarts gracefully: logged, exit code 1, nothing acknowledged lost', async () => {
    const dataDir = tempDataDir();
    child = await startChildServer(dataDir, { env: { TEST_FAULTS: '1', SHUTDOWN_TIMEOUT: '3000' } });
    const { event, session } = await createEventWithSession(child.url);
    const writer = await AckingWriter.open(child.wsUrl, session.id, event.tokens.edit);
    for (let i = 0; i < 20; i++) writer.write(`before the exception ${i}`);
    await waitFor(() => writer.acked === 20, 5000, 'acknowledged');
    child.child.kill('SIGUSR2');
    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(child.stderr()).toContain('uncaught exception; restarting gracefully');
    expect(child.stderr()).toContain('test: an uncaught exception');

    child = await startChildServer(dataDir);
    const reader = connectClient(child.wsUrl, session.id, event.tokens.view);
    clients.push(reader);
    await waitForSync(reader);
    for (const t of writer.ackedTexts()) expect(notesText(reader.doc)).toContain(t);
    writer.close();
  });
});
