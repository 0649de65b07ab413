import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CLIENT_ID_HELD, CLOSE_CODES } from '../../shared/closeCodes.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { socketLog, statusLog } from './connectionLog.js';
import { typeAtEnd } from './editorKeys.js';
import { poll } from './harness.js';
import { sessionSuite, statusOf as status } from './sessionSuite.js';

/** Nobody can take a note-taker's Yjs client id (seen in presence) and lock them out; their own reconnect is never locked out. */
describe("a note-taker's client id", () => {
  const suite = sessionSuite();
  const open = (base: string, name: string) => suite.open(base, name, { record: true });

  it("someone writing with Ana's client id before she types is refused; Ana types and her page says Saved, with no banner", async () => {
    await suite.start('E2E client id taken');
    const ana = await open(suite.server.url, 'Ana');
    const mallory = connectClient(suite.server.wsUrl, suite.fx.session.id, suite.fx.event.tokens.edit);
    try {
      mallory.provider.awareness.setLocalStateField('user', { name: 'Mallory', color: '#cf222e' });
      await waitForSync(mallory);
      const find = () => [...mallory.provider.awareness.getStates()].find(([, s]) => (s as { user?: { name?: string } }).user?.name === 'Ana')?.[0];
      await waitFor(() => find() !== undefined, 10_000, 'Ana in presence');
      const forged = new Y.Doc();
      Y.applyUpdate(forged, Y.encodeStateAsUpdate(mallory.doc));
      forged.clientID = find()!;
      let update: Uint8Array | null = null;
      forged.on('update', (u: Uint8Array) => (update = u));
      appendParagraph(forged, 'Mallory under Ana’s id');
      Y.applyUpdate(mallory.doc, update!);
      await waitFor(() => mallory.closes.some((c) => c.code === CLOSE_CODES.badMessage), 10_000, 'Mallory refused');
      mallory.provider.disconnect();
    } finally {
      mallory.destroy();
    }

    await typeAtEnd(ana.page, 'Ana writes after all');
    await poll(async () => (await status(ana.page)) === 'saved', 15_000, 'saved');
    expect(await ana.page.getByTestId('connection-banner').count()).toBe(0);
    expect((await socketLog(ana.page)).closes).toEqual([]);
    const check = connectClient(suite.server.wsUrl, suite.fx.session.id, suite.fx.event.tokens.view);
    try {
      await waitForSync(check);
      await waitFor(() => notesText(check.doc).includes('Ana writes after all'), 10_000, 'Ana’s line stored');
      expect(notesText(check.doc)).not.toContain('Mallory under');
    } finally {
      check.destroy();
    }
  });

  it('a silent network drop leaves the server her old socket: the reconnect is refused once, the server drops the old socket, and the retry saves everything (no banner)', async () => {
    await suite.start('E2E silent drop');
    const proxy = await suite.silentDropProxy();
    const ana = await open(proxy.url, 'Ana');
    await typeAtEnd(ana.page, 'before the drop');
    await poll(async () => (await status(ana.page)) === 'saved', 15_000, 'saved before the drop');

    proxy.drop();
    await typeAtEnd(ana.page, 'typed during the drop');
    // Her page notices (no answer), reconnects on a new socket, is told another live connection holds her id
    // (its own old one), waits, and tries once more after the server has dropped the socket that did not answer.
    await poll(async () => (await socketLog(ana.page)).closes.some((c) => c.code === CLOSE_CODES.badMessage), 20_000, 'the reconnect refused');
    await poll(async () => (await status(ana.page)) === 'saved', 30_000, 'saved after the retry');

    const refusals = (await socketLog(ana.page)).closes.filter((c) => c.code === CLOSE_CODES.badMessage);
    expect(refusals).toEqual([expect.objectContaining({ reason: CLIENT_ID_HELD.reason })]);
    expect(await statusLog(ana.page)).not.toContain('refused');
    expect(await ana.page.getByTestId('connection-banner').count()).toBe(0);
    const check = connectClient(suite.server.wsUrl, suite.fx.session.id, suite.fx.event.tokens.view);
    try {
      await waitForSync(check);
      await waitFor(() => notesText(check.doc).includes('typed during the drop'), 10_000, 'the edit reached the server');
      expect(notesText(check.doc).split('typed during the drop').length - 1).toBe(1);
    } finally {
      check.destroy();
    }
  });
});
