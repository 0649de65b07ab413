import { describe, expect, it } from 'vitest';
import { AckingWriter } from '../helpers/ackingWriter.js';
import { childServerSuite, startChildServer } from '../helpers/childServer.js';
import { api, createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

describe('the process-level last line of defence', () => {
  const suite = childServerSuite();

  it('an unhandled rejection is logged and the server goes on', async () => {
    suite.child = await startChildServer(tempDataDir(), { env: { TEST_FAULTS: '1' } });
    suite.child.child.kill('SIGHUP');
    await waitFor(() => suite.child!.stderr().includes('unhandled promise rejection; the server goes on'), 10_000, 'the rejection logged');
    expect(suite.child.stderr()).toContain('test: an unhandled rejection');
    expect((await api(suite.child.url, 'GET', '/healthz')).status).toBe(200);
    const { event, session } = await createEventWithSession(suite.child.url);
    const reader = connectClient(suite.child.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
  });

  it('an uncaught exception restarts gracefully: logged, exit code 1, nothing acknowledged lost', async () => {
    const dataDir = tempDataDir();
    suite.child = await startChildServer(dataDir, { env: { TEST_FAULTS: '1', SHUTDOWN_TIMEOUT: '3000' } });
    const { event, session } = await createEventWithSession(suite.child.url);
    const writer = await AckingWriter.open(suite.child.wsUrl, session.id, event.tokens.edit);
    for (let i = 0; i < 20; i++) writer.write(`before the exception ${i}`);
    await waitFor(() => writer.acked === 20, 5000, 'acknowledged');
    suite.child.child.kill('SIGUSR2');
    expect(await suite.child.exited).toEqual({ code: 1, signal: null });
    expect(suite.child.stderr()).toContain('uncaught exception; restarting gracefully');
    expect(suite.child.stderr()).toContain('test: an uncaught exception');

    suite.child = await startChildServer(dataDir);
    const reader = connectClient(suite.child.wsUrl, session.id, event.tokens.view);
    suite.clients.push(reader);
    await waitForSync(reader);
    for (const t of writer.ackedTexts()) expect(notesText(reader.doc)).toContain(t);
    writer.close();
  });
});
