import { afterEach, describe, expect, it } from 'vitest';
import { AckingWriter } from '../helpers/ackingWriter.js';
import { startChildServer, type ChildServer } from '../helpers/childServer.js';
import { createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

/**
 * Document writes are grouped across sessions while the previous group's
 * fsync runs (on libuv's pool, or in the writer thread with
 * STORAGE_WRITER=thread). A kill -9 in the middle of that must still keep
 * every edit the server acknowledged, in every session.
 */
describe.each(['event-loop', 'thread'])('durability with STORAGE_WRITER=%s', (storageWriter) => {
  let child: ChildServer | undefined;
  const clients: YClient[] = [];
  const writers: AckingWriter[] = [];
  afterEach(async () => {
    for (const w of writers.splice(0)) w.close();
    for (const c of clients.splice(0)) c.destroy();
    await child?.kill9();
    child = undefined;
  });

  it('kill -9 while several sessions type keeps every acknowledged edit of each', async () => {
    const dataDir = tempDataDir();
    const env = { STORAGE_WRITER: storageWriter };
    child = await startChildServer(dataDir, { env });
    const fixtures = [];
    for (let i = 0; i < 3; i++) fixtures.push(await createEventWithSession(child.url, `Event ${i}`));
    for (const fx of fixtures) {
      for (let w = 0; w < 2; w++) writers.push(await AckingWriter.open(child.wsUrl, fx.session.id, fx.event.tokens.edit));
    }
    const stops = writers.map((w, i) => w.typeContinuously(`writer ${i} line`, 3));
    // Mid-typing: several group commits acknowledged, more in flight.
    await waitFor(() => writers.every((w) => w.acked >= 10), 15_000, 'acknowledged edits in every session');
    await child.kill9();
    child = undefined;
    for (const stop of stops) stop();
    const acked = writers.map((w) => w.ackedTexts());
    for (const w of writers.splice(0)) w.close();

    child = await startChildServer(dataDir, { env });
    for (const [f, fx] of fixtures.entries()) {
      const reader = connectClient(child.wsUrl, fx.session.id, fx.event.tokens.view);
      clients.push(reader);
      await waitForSync(reader);
      for (const texts of [acked[f * 2]!, acked[f * 2 + 1]!]) {
        expect(texts.length).toBeGreaterThanOrEqual(10);
        await waitFor(() => notesText(reader.doc).includes(texts[texts.length - 1]!), 5000, 'the last acknowledged edit');
        for (const t of texts) expect(notesText(reader.doc)).toContain(t);
      }
    }
  });
});
