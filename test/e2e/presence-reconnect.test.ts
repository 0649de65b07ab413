import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../server/collab/connection.js';
import { createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';
import { silentDropProxy } from './silentDropProxy.js';

const status = (page: Page) => page.getByTestId('status').getAttribute('data-status');

/**
 * A note-taker whose network goes away and comes back (same page, same Yjs
 * client id, a new socket) is listed in the others' presence again. Chromium's
 * offline emulation (`context.setOffline`) keeps an open WebSocket open, so
 * the page would never reconnect: the network is dropped by a proxy instead,
 * silently, as conference Wi-Fi does.
 */
describe('presence after the network comes back', () => {
  const suite = browserSuite();
  let fx: Fixture;
  let proxy: Awaited<ReturnType<typeof silentDropProxy>> | null = null;

  afterEach(async () => {
    await proxy?.close();
    proxy = null;
  });

  async function open(base: string, name: string): Promise<Actor> {
    const a = await newActor(suite.browser, name);
    suite.actors.push(a);
    await a.page.goto(sessionUrl(base, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await a.page.getByTestId('editor').waitFor();
    return a;
  }

  /** The server's connection whose presence shows `name`, if any. */
  const shownAs = (name: string): Connection | undefined => {
    const room = suite.server.registry.get(fx.session.id);
    return room ? [...room.conns].find((c) => room.nameOf(c) === name) : undefined;
  };

  const presenceOf = (page: Page) => page.getByTestId('presence').innerText();

  it('Ana’s network drops and comes back: the server shows her from her new connection, and Ben sees her name again', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E presence after reconnect');
    proxy = await silentDropProxy(new URL(suite.server.url));
    const ana = await open(proxy.url, 'Ana');
    const ben = await open(suite.server.url, 'Ben');
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
});
