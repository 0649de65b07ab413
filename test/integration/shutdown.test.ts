import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { AckingWriter } from '../helpers/ackingWriter.js';
import { startChildServer, type ChildServer } from '../helpers/childServer.js';
import type { DocStore } from '../../server/storage/docStore.js';
import { createEventWithSession, startTestServer, tempDataDir } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

/** A client that connects and then never reads its socket again: the server's writes and its close frame go unanswered. */
function neverReads(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.pause();
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

describe('SIGTERM: a graceful restart within SHUTDOWN_TIMEOUT, whatever the clients do', () => {
  let child: ChildServer | undefined;
  const writers: AckingWriter[] = [];
  const clients: YClient[] = [];
  const stalled: WebSocket[] = [];
  afterEach(async () => {
    for (const w of writers.splice(0)) w.close();
    for (const c of clients.splice(0)) c.destroy();
    for (const s of stalled.splice(0)) s.terminate();
    await child?.kill9();
    child = undefined;
  });

  it('goes unready, commits and acknowledges, tells clients 1012, finishes the export in flight, cuts clients that never read, and loses nothing', async () => {
    const dataDir = tempDataDir();
    child = await startChildServer(dataDir, { env: { SHUTDOWN_TIMEOUT: '3000' } });
    const server = child;
    const { event, session } = await createEventWithSession(server.url);
    const url = `${server.wsUrl}/${session.id}?token=${event.tokens.view}`;

    const reader = connectClient(server.wsUrl, session.id, event.tokens.view);
    clients.push(reader);
    await waitForSync(reader);
    for (let i = 0; i < 3; i++) writers.push(await AckingWriter.open(server.wsUrl, session.id, event.tokens.edit));
    for (let i = 0; i < 4; i++) stalled.push(await neverReads(url));
    const stops = writers.map((w, i) => w.typeContinuously(`writer ${i} line`, 3));
    // Let the stalled sockets' buffers fill with everything being broadcast.
    await waitFor(() => writers.every((w) => w.acked >= 100), 20_000, 'writers acknowledged');

    // An export is running when the signal comes; a keep-alive connection is open for /readyz.
    const exportDone = fetch(`${server.url}/api/events/${event.event.id}/minutes?format=pdf`, {
      headers: { authorization: `Bearer ${event.tokens.view}` },
    }).then(async (r) => ({ status: r.status, bytes: (await r.arrayBuffer()).byteLength }));
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const readySeen: number[] = [];
    let polling = true;
    const pollReady = (async () => {
      while (polling) {
        try {
          readySeen.push((await fetch(`${server.url}/readyz`)).status);
        } catch {
          readySeen.push(-1); // refused: no longer listening
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    const signalled = Date.now();
    server.child.kill('SIGTERM');
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    void server.exited.then((e) => (exit = e));
    // ws waits 30 s for a close frame that a non-reading client never answers: the deadline must cut it first.
    await waitFor(() => exit !== undefined, 20_000, 'the process to exit within its shutdown deadline');
    const exitedAfterMs = Date.now() - signalled;
    polling = false;
    await pollReady;
    for (const stop of stops) stop();

    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitedAfterMs).toBeLessThan(20_000);
    const exported = await exportDone;
    expect([200, 503]).toContain(exported.status);
    if (exported.status === 200) expect(exported.bytes).toBeGreaterThan(1000);
    expect(readySeen).toContain(503);
    expect(readySeen).not.toContain(500);
    for (const w of writers) expect((await w.closed).code).toBe(CLOSE_CODES.serviceRestart);
    await waitFor(() => reader.closes.length > 0, 5000, 'the reader told to reconnect');
    expect(reader.closes[0]).toEqual({ code: CLOSE_CODES.serviceRestart, reason: 'server restarting, reconnect' });

    const acked = writers.flatMap((w) => w.ackedTexts());
    for (const c of clients.splice(0)) c.destroy();
    child = await startChildServer(dataDir);
    const after = connectClient(child.wsUrl, session.id, event.tokens.view);
    clients.push(after);
    await waitForSync(after);
    const text = notesText(after.doc);
    const lost = acked.filter((t) => !text.includes(t));
    expect(lost, `${lost.length} of ${acked.length} acknowledged edits lost`).toEqual([]);
  });

  it('a request still running at the deadline is answered 503 with a message, never 500; new requests meanwhile get 503 too', async () => {
    let slow = false;
    let hanging = false;
    const stuck = (store: DocStore): DocStore => ({
      ...store,
      // Reading stored notes hangs, like an export of a huge session on a slow disk.
      load: (docId) => {
        if (!slow) return store.load(docId);
        hanging = true;
        return new Promise(() => {});
      },
    });
    const server = await startTestServer({ wrapDocStore: stuck });
    const { event, session } = await createEventWithSession(server.url);
    slow = true;
    const inFlight = fetch(`${server.url}/api/sessions/${session.id}/minutes?format=md`, { headers: { authorization: `Bearer ${event.tokens.view}` } });
    await waitFor(() => hanging, 5000, 'the export to be under way');
    const stopping = server.shutdown(1_500);
    const during = await fetch(`${server.url}/api/events/${event.event.id}`, { headers: { authorization: `Bearer ${event.tokens.view}` } }).catch(() => null);
    if (during) {
      expect(during.status).toBe(503);
      expect(await during.json()).toEqual({ error: { code: 'shutting_down', message: 'the server is restarting; try again in a moment' } });
    }
    const res = await inFlight;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'shutting_down' } });
    await stopping;
  });
});
