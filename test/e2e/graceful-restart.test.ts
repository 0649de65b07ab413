import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { freePort } from '../helpers/freePort.js';
import { createEventWithSession, tempDataDir } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { recordSockets, recordStatuses, socketLog, statusLog } from './connectionLog.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

const status = (page: Page) => page.getByTestId('status').getAttribute('data-status');

describe('a real server restart (SIGTERM’s graceful stop, then a new process on the same data and port)', () => {
  const suite = browserSuite();

  it('the open editors show Saved again without a reload, never Offline, and nothing typed before or during the restart is lost', async () => {
    const dataDir = tempDataDir();
    const port = await freePort();
    suite.server = await startAppServer({ dataDir, port });
    const fx = await createEventWithSession(suite.server.url, 'E2E real restart');
    const open = async (name: string, lang: 'en' | 'ja'): Promise<Actor> => {
      const a = await newActor(suite.browser, name, { lang });
      suite.actors.push(a);
      await recordSockets(a.context);
      await recordStatuses(a.context);
      await a.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
      await editorOf(a.page).waitFor();
      // Gone if the page reloads.
      await a.page.evaluate(() => ((window as unknown as { __rtSamePage: boolean }).__rtSamePage = true));
      return a;
    };
    const ana = await open('Ana', 'en');
    const ken = await open('Ken', 'ja');
    await typeAtEnd(ana.page, 'written before the restart');
    await poll(async () => (await status(ana.page)) === 'saved' && (await editorOf(ken.page).innerText()).includes('written before the restart'), 15_000, 'saved and seen');

    // The graceful stop the SIGTERM handler runs: every client told 1012.
    const stopped = Date.now();
    await suite.server.shutdown();
    // Then each reconnect attempt while no server listens adds a close of its own (1006).
    const toldToReconnect = async (a: Actor) => (await socketLog(a.page)).closes.some((c) => c.code === CLOSE_CODES.serviceRestart);
    await poll(async () => (await toldToReconnect(ana)) && (await toldToReconnect(ken)), 10_000, 'both told to reconnect');
    await typeAtEnd(ana.page, 'typed while the server restarts');
    expect(await status(ana.page)).toBe('reconnecting');

    suite.server = await startAppServer({ dataDir, port });
    await poll(async () => (await status(ana.page)) === 'saved' && (await status(ken.page)) === 'saved', 20_000, 'both Saved again');
    const restartMs = Date.now() - stopped;
    await poll(async () => (await editorOf(ken.page).innerText()).includes('typed while the server restarts'), 10_000, 'Ken sees what Ana typed meanwhile');
    await typeAtEnd(ken.page, '再起動のあとに書きました');
    await poll(async () => (await status(ken.page)) === 'saved', 15_000, 'Ken saved after the restart');

    for (const a of [ana, ken]) {
      expect(await a.page.evaluate(() => (window as unknown as { __rtSamePage?: boolean }).__rtSamePage), `${a.name}'s page reloaded`).toBe(true);
      expect(await statusLog(a.page), `${a.name} saw Offline during a ${restartMs} ms restart`).not.toContain('offline');
      expect(await statusLog(a.page)).toContain('reconnecting');
      const codes = (await socketLog(a.page)).closes.map((c) => c.code);
      expect(codes).toContain(CLOSE_CODES.serviceRestart);
      // Nothing but the restart and failed attempts while the server was away.
      expect(codes.filter((c) => c !== CLOSE_CODES.serviceRestart && c !== 1006)).toEqual([]);
      expect(await a.page.getByTestId('connection-banner').count()).toBe(0);
    }
    if (process.env.RT_SCREENSHOTS) await ana.page.screenshot({ path: 'screenshots/restart-saved-again.png' });

    const check = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    try {
      await waitForSync(check);
      await waitFor(() => notesText(check.doc).includes('再起動のあとに書きました'), 10_000, 'stored');
      expect(notesText(check.doc)).toContain('written before the restart');
      expect(notesText(check.doc)).toContain('typed while the server restarts');
    } finally {
      check.destroy();
    }
  });
});
