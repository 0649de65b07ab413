import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { AckingWriter } from '../helpers/ackingWriter.js';
import { startChildServer, type ChildServer } from '../helpers/childServer.js';
import { freePort } from '../helpers/freePort.js';
import { createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

describe('SIGTERM while people type, then start again on the same port', () => {
  let child: ChildServer | undefined;
  const writers: AckingWriter[] = [];
  const clients: YClient[] = [];
  afterEach(async () => {
    for (const w of writers.splice(0)) w.close();
    for (const c of clients.splice(0)) c.destroy();
    await child?.kill9();
    child = undefined;
  });

  it('every acknowledged edit is there, and stock clients reconnect by themselves and deliver what they typed meanwhile', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    child = await startChildServer(dataDir, { env: { PORT: String(port), SHUTDOWN_TIMEOUT: '5000' } });
    const { event, session } = await createEventWithSession(child.url, 'Restart while typing');

    // Stock y-websocket clients, typing through the restart: they reconnect on their own.
    const typists = [0, 1, 2].map((i) => {
      const c = connectClient(child!.wsUrl, session.id, event.tokens.edit);
      clients.push(c);
      return { c, typed: [] as string[], n: 0, i };
    });
    await Promise.all(typists.map((t) => waitForSync(t.c)));
    const typing = setInterval(() => {
      for (const t of typists) {
        const line = `stock ${t.i} line ${t.n++}`;
        appendParagraph(t.c.doc, line);
        t.typed.push(line);
      }
    }, 15);
    // Clients that count acknowledgements (what Roundtable's editor shows as Saved).
    for (let i = 0; i < 2; i++) writers.push(await AckingWriter.open(child.wsUrl, session.id, event.tokens.edit));
    const stops = writers.map((w, i) => w.typeContinuously(`acked ${i} line`, 5));
    await waitFor(() => writers.every((w) => w.acked >= 50), 20_000, 'acknowledged edits');

    const exit = await child.terminate();
    expect(exit).toEqual({ code: 0, signal: null });
    for (const stop of stops) stop();
    const acked = writers.flatMap((w) => w.ackedTexts());
    for (const w of writers) expect((await w.closed).code).toBe(CLOSE_CODES.serviceRestart);
    const typedWhileDown = typists.map((t) => t.n);
    // Some typing happens while no server runs.
    await waitFor(() => typists.every((t, i) => t.n > typedWhileDown[i]! + 5), 5000, 'typing while the server is down');

    child = await startChildServer(dataDir, { env: { PORT: String(port) } });
    await waitFor(() => typists.every((t) => t.c.provider.wsconnected && t.c.provider.synced), 15_000, 'stock clients back');
    // And they keep typing on the restarted server.
    const typedAtReconnect = typists.map((t) => t.n);
    await waitFor(() => typists.every((t, i) => t.n > typedAtReconnect[i]! + 5), 5000, 'typing after the restart');
    clearInterval(typing);
    for (const t of typists) expect(t.c.closes.map((c) => c.code)).toContain(CLOSE_CODES.serviceRestart);

    const everything = [...acked, ...typists.flatMap((t) => t.typed)];
    const check = connectClient(child.wsUrl, session.id, event.tokens.view);
    clients.push(check);
    await waitForSync(check);
    await waitFor(() => {
      const text = notesText(check.doc);
      return everything.every((line) => text.includes(line));
    }, 20_000, 'every acknowledged and every typed line on the restarted server');
    const text = notesText(check.doc);
    const lostAcked = acked.filter((line) => !text.includes(line));
    expect(lostAcked, `${lostAcked.length} of ${acked.length} acknowledged edits lost`).toEqual([]);
    expect(acked.length).toBeGreaterThanOrEqual(100);
  });
});
