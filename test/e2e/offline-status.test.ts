import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from '../helpers/childServer.js';
import { createEventWithSession, tempDataDir, type Fixture } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import type { DocStore } from '../../server/storage/docStore.js';
import { recordStatuses, statusLog } from './connectionLog.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { CLIENT_DIR, browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

const status = (page: Page) => page.getByTestId('status').getAttribute('data-status');

/** Waits for a status and says (not asserts: speed is for the bench) how long it took. */
async function timeUntil(page: Page, want: string, what: string): Promise<number> {
  const started = Date.now();
  // Generous: the old client took 30 s (the stock ping timeout); this client answers in about 3.
  await poll(async () => (await status(page)) === want, 12_000, what);
  const ms = Date.now() - started;
  console.warn(`[offline-status] ${what}: ${ms} ms`);
  return ms;
}

/** "Offline" is said within seconds of losing the server, and "Saving…" never sits there without saying why. */
describe('the status says what is happening to the connection', () => {
  const suite = browserSuite();
  let child: ChildServer | null = null;
  let fx: Fixture;

  let releaseStore: (() => void) | null = null;

  afterEach(async () => {
    releaseStore?.();
    releaseStore = null;
    // A stopped process still dies to SIGKILL.
    await child?.kill9();
    child = null;
  });

  async function open(base: string, name: string): Promise<Actor> {
    const a = await newActor(suite.browser, name);
    suite.actors.push(a);
    await recordStatuses(a.context);
    await a.page.goto(sessionUrl(base, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(a.page).waitFor();
    return a;
  }

  it('typing shows "Saving…" until a pause, not a flicker of "Saved" per keystroke, then "Saved" once the server holds every key', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E saving while typing');
    const ana = await open(suite.server.url, 'Ana');
    await typeAtEnd(ana.page, 'first line');
    await poll(async () => (await status(ana.page)) === 'saved', 15_000, 'saved before typing');
    const before = (await statusLog(ana.page)).length;

    // 40 keystrokes 40 ms apart: the server confirms each one long before the next.
    await typeAtEnd(ana.page, 'the operators agreed to share their notes', { delay: 40 });
    await poll(async () => (await status(ana.page)) === 'saved', 15_000, 'saved after the pause');
    const check = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(check);
    expect(notesText(check.doc)).toContain('the operators agreed to share their notes');
    check.destroy();

    const typing = (await statusLog(ana.page)).slice(before);
    // The old badge went saving → saved → saving … 40 times. A stall of the test's own keyboard may let one "Saved" through.
    expect(typing.filter((s) => s === 'saved').length).toBeLessThanOrEqual(2);
    expect(typing[0]).toBe('saving');
    expect(typing.at(-1)).toBe('saved');
  });

  it('a server that stops answering (SIGSTOP) shows Offline within seconds of an edit, and the edit is saved once it answers again', async () => {
    child = await startChildServer(tempDataDir(), { clientDir: CLIENT_DIR });
    fx = await createEventWithSession(child.url, 'E2E hung server');
    const ana = await open(child.url, 'Ana');
    await typeAtEnd(ana.page, 'before the hang');
    await poll(async () => (await status(ana.page)) === 'saved', 15_000, 'saved before the hang');

    // Connected but not answering: the socket stays open, nothing comes back.
    child.child.kill('SIGSTOP');
    await typeAtEnd(ana.page, 'typed while the server hangs');
    await timeUntil(ana.page, 'offline', 'Offline shown after an unanswered edit');
    expect(await ana.page.getByTestId('status').innerText()).toMatch(/Offline/);

    child.child.kill('SIGCONT');
    await poll(async () => (await status(ana.page)) === 'saved', 30_000, 'saved after the server answers again');
    const check = connectClient(child.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(check);
    await waitFor(() => notesText(check.doc).includes('typed while the server hangs'), 10_000, 'the edit reached the server');
    check.destroy();
    // Saving gave way to Offline, never to Saved, while the server hung.
    const seen = await statusLog(ana.page);
    const hung = seen.slice(seen.lastIndexOf('saved', seen.indexOf('offline')) + 1, seen.indexOf('offline') + 1);
    expect(hung).not.toContain('saved');
    expect(hung.at(-1)).toBe('offline');
  });

  it('the browser going offline shows Offline at once, and coming back online saves what was typed', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E browser offline');
    const ben = await open(suite.server.url, 'Ben');
    await typeAtEnd(ben.page, 'online line');
    await poll(async () => (await status(ben.page)) === 'saved', 15_000, 'saved');

    await ben.context.setOffline(true);
    await timeUntil(ben.page, 'offline', 'Offline shown after the browser’s offline event');
    await typeAtEnd(ben.page, 'typed with the network gone');
    expect(await status(ben.page)).toBe('offline');

    await ben.context.setOffline(false);
    await poll(async () => (await status(ben.page)) === 'saved', 20_000, 'saved once back online');
    const check = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(check);
    await waitFor(() => notesText(check.doc).includes('typed with the network gone'), 10_000, 'the edit reached the server');
    check.destroy();
  });

  it('a server that answers but is slow to store says "still saving" instead of a bare "Saving…", and never "Offline"', async () => {
    let hold: Promise<void> | null = null;
    let release = () => {};
    const slowStore = (store: DocStore): DocStore => ({
      ...store,
      load: (id) => store.load(id),
      compact: (id, state, upto) => store.compact(id, state, upto),
      pendingUpdateCount: (id) => store.pendingUpdateCount(id),
      append: async (writes) => {
        if (hold) await hold;
        return store.append(writes);
      },
    });
    suite.server = await startAppServer({ wrapDocStore: slowStore });
    fx = await createEventWithSession(suite.server.url, 'E2E slow disk');
    const carla = await open(suite.server.url, 'Carla');
    await typeAtEnd(carla.page, 'quick line');
    await poll(async () => (await status(carla.page)) === 'saved', 15_000, 'saved');

    hold = new Promise<void>((r) => (release = r));
    releaseStore = release;
    await typeAtEnd(carla.page, 'line on a slow disk');
    await poll(async () => (await status(carla.page)) === 'slow', 15_000, 'still saving, with the reason');
    expect(await carla.page.getByTestId('status').innerText()).toMatch(/slow to confirm/);
    hold = null;
    release();
    await poll(async () => (await status(carla.page)) === 'saved', 15_000, 'saved once stored');
    expect(await statusLog(carla.page)).not.toContain('offline');
  });
});
