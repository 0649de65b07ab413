import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../server/collab/connection.js';
import { typeAtEnd } from './editorKeys.js';
import { poll } from './harness.js';
import { sessionSuite, statusOf as status } from './sessionSuite.js';

/**
 * A note-taker whose network goes away and comes back (same page, same Yjs
 * client id, a new socket) is listed in the others' presence again. Chromium's
 * offline emulation (`context.setOffline`) keeps an open WebSocket open, so
 * the page would never reconnect: the network is dropped by a proxy instead,
 * silently, as conference Wi-Fi does.
 */
describe('presence after the network comes back', () => {
  const suite = sessionSuite();

  /** The server's connection whose presence shows `name`, if any. */
  const shownAs = (name: string): Connection | undefined => {
    const room = suite.server.registry.get(suite.fx.session.id);
    return room ? [...room.conns].find((c) => room.nameOf(c) === name) : undefined;
  };

  const presenceOf = (page: Page) => page.getByTestId('presence').innerText();

  it('Ana’s network drops and comes back: the server shows her from her new connection, and Ben sees her name again', async () => {
    await suite.start('E2E presence after reconnect');
    const proxy = await suite.silentDropProxy();
    const ana = await suite.open(proxy.url, 'Ana');
    const ben = await suite.open(suite.server.url, 'Ben');
    await poll(async () => (await presenceOf(ben.page)).includes('Ana'), 10_000, 'Ben sees Ana');
    await typeAtEnd(ana.page, 'Ana before the drop');
    await poll(async () => (await status(ana.page)) === 'saved', 15_000, 'saved');
    const before = shownAs('Ana');
    expect(before).toBeDefined();

    proxy.drop();
    await typeAtEnd(ana.page, 'Ana during the drop');
    // Her page notices, reconnects on a new socket (refused once while the server holds the old one), and saves.
    await poll(async () => before!.closed, 30_000, 'the old socket dropped');
    await poll(async () => (await status(ana.page)) === 'saved', 30_000, 'saved after the reconnect');
    await poll(() => {
      const now = shownAs('Ana');
      return now !== undefined && now !== before;
    }, 10_000, 'the server shows Ana from her new connection');
    await poll(async () => (await presenceOf(ben.page)).includes('Ana'), 10_000, 'Ben sees Ana again');
    if (process.env.RT_SCREENSHOTS) await ben.page.screenshot({ path: 'screenshots/presence-after-reconnect.png' });
  });

  it('Ana’s network goes away while she types: Ben’s "Ana is typing" goes within seconds, not when her presence times out (30 s)', async () => {
    await suite.start('E2E typing after a drop');
    const proxy = await suite.silentDropProxy();
    const ana = await suite.open(proxy.url, 'Ana');
    const ben = await suite.open(suite.server.url, 'Ben');
    const typing = () => ben.page.getByTestId('typing-indicator').innerText();
    await typeAtEnd(ana.page, 'Ana types and her Wi-Fi goes', { delay: 60 });
    await poll(async () => (await typing()).includes('Ana'), 10_000, 'Ben sees Ana typing');
    // Gone for good: nothing passes on her socket, and the browser lets no new one open.
    proxy.drop();
    await ana.context.setOffline(true);
    await ana.page.keyboard.type(' more', { delay: 60 });
    await poll(async () => !(await typing()).includes('Ana'), 15_000, 'Ben no longer sees Ana typing');
    // Her name stays in Here now until the server drops her socket: only the typing line went.
    expect(await presenceOf(ben.page)).toContain('Ana');
    await ana.context.setOffline(false);
  });
});
