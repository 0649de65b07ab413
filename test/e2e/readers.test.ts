import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { recordSockets, socketLog } from './connectionLog.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

const FULL_HD = { width: 1920, height: 1080 };

/** Whether this browser's IndexedDB copy of the notes (y-indexeddb database `name`) contains `text`. */
async function deviceCopyHas(page: Page, name: string, text: string): Promise<boolean> {
  const updates = await page.evaluate(
    (db) =>
      new Promise<number[][]>((resolve) => {
        const req = indexedDB.open(db);
        req.onsuccess = () => {
          const all = req.result.transaction('updates', 'readonly').objectStore('updates').getAll();
          all.onsuccess = () => {
            req.result.close();
            resolve((all.result as Uint8Array[]).map((u) => [...u]));
          };
        };
        req.onerror = () => resolve([]);
      }),
    name,
  );
  if (updates.length === 0) return false;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.mergeUpdates(updates.map((u) => new Uint8Array(u))));
  return notesText(doc).includes(text);
}
const SHOT = process.env.RT_SCREENSHOTS;

/** Projector and view-link readers: one quiet connection, never a write, never blocked by the name dialog. */
describe('readers on a view link', () => {
  const suite = browserSuite();
  let fx: Fixture;

  async function actor(name: string, opts: { viewport?: { width: number; height: number }; lang?: 'en' | 'ja'; named?: boolean } = {}): Promise<Actor> {
    const a = await newActor(suite.browser, name, opts);
    suite.actors.push(a);
    await recordSockets(a.context);
    if (opts.named === false) await a.context.addInitScript(() => localStorage.removeItem('roundtable:name'));
    return a;
  }

  const writers = async (page: Page) => page.getByTestId('follow-user').allInnerTexts();

  it('the projector on a view link of a session nobody wrote in yet keeps one read-only connection while a note-taker types, and lists her', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E projector reader');
    // Exactly the steps: Present with the view link on an untouched session (the template ends with a heading)…
    const projector = await actor('Projector', { viewport: FULL_HD });
    await projector.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.view, '/present'));
    await editorOf(projector.page).waitFor();
    await poll(async () => (await editorOf(projector.page).innerText()).includes('Action items'), 15_000, 'template on the projector');

    // …then a note-taker types.
    const ana = await actor('Ana');
    await ana.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(ana.page).waitFor();
    await typeAtEnd(ana.page, 'Ana writes the first line');
    await poll(async () => (await editorOf(projector.page).innerText()).includes('Ana writes the first line'), 15_000, 'first line on the projector');
    await poll(async () => (await writers(projector.page)).includes('Ana'), 15_000, 'Ana listed to follow');
    // A second round trip: whatever the projector would have sent on the first edit has been answered by now.
    await typeAtEnd(ana.page, 'and a second one');
    await poll(async () => (await editorOf(projector.page).innerText()).includes('and a second one'), 15_000, 'second line on the projector');
    if (SHOT) await projector.page.screenshot({ path: `screenshots/item1-projector-${SHOT}.png` });

    const log = await socketLog(projector.page);
    expect(log.closes).toEqual([]);
    expect(log.opens).toHaveLength(1);
    expect(log.opens[0]).toContain('readonly=1');
    expect(await projector.page.getByTestId('projector-offline').count()).toBe(0);
    expect(await writers(projector.page)).toEqual(['Ana']);

    // The server kept the notes as the note-taker wrote them: no empty paragraph added by the reader.
    const check = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(check);
    await waitFor(() => notesText(check.doc).includes('and a second one'), 10_000, 'stored');
    const last = check.doc.getXmlFragment('default').toArray().at(-1);
    expect(last?.toString()).toContain('and a second one');
    check.destroy();
  });

  it('with READER_RELAY_MS on and an audience of 200 view links, the projector follows a note-taker typing word by word, every reader gets every word, and she sees "Saved"', async () => {
    // 200 readers + the projector: readers get at most one frame per 10 ms, merged (READER_RELAY_MS_PER_READER × readers).
    suite.server = await startAppServer({ readerRelayMs: 50 });
    fx = await createEventWithSession(suite.server.url, 'E2E big audience');
    const audience = Array.from({ length: 200 }, () => connectClient(suite.server!.wsUrl, fx.session.id, fx.event.tokens.view));
    try {
      await Promise.all(audience.map((c) => waitForSync(c, 30_000)));
      const projector = await actor('Projector', { viewport: FULL_HD });
      await projector.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.view, '/present'));
      await editorOf(projector.page).waitFor();
      const ana = await actor('Ana');
      await ana.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
      await editorOf(ana.page).waitFor();
      const line = 'Action: Ana to draft the upgrade checklist for the operators list';
      await typeAtEnd(ana.page, line);
      await poll(async () => (await editorOf(projector.page).innerText()).includes(line), 15_000, 'the whole line on the projector');
      await waitFor(() => audience.every((c) => notesText(c.doc).includes(line)), 15_000, 'every reader to hold the whole line');
      await poll(async () => (await ana.page.getByTestId('status').getAttribute('data-status')) === 'saved', 15_000, 'saved');
      if (SHOT) await projector.page.screenshot({ path: `screenshots/reader-relay-projector-${SHOT}.png` });
      expect(await projector.page.getByTestId('projector-offline').count()).toBe(0);
      // Readers end up with the server's whole document, not just the same text (the tagger's own write on "Action:" included).
      const room = suite.server.registry.get(fx.session.id)!;
      const same = (c: (typeof audience)[number]) => Buffer.from(Y.encodeStateVector(c.doc)).equals(Buffer.from(Y.encodeStateVector(room.doc)));
      await waitFor(() => !room.hasUncommitted() && audience.every(same), 15_000, 'every reader to hold the server document');
    } finally {
      for (const c of audience) c.destroy();
    }
  });

  it('a reader never offers the server edits this device kept from an edit link (one browser, note-taker tab closed offline, then Present)', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E reader device copy');
    const { port, dataDir } = suite.server;
    const laptop = await actor('Mo');
    await laptop.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(laptop.page).waitFor();
    await typeAtEnd(laptop.page, 'saved before the outage');
    await poll(async () => (await laptop.page.getByTestId('status').getAttribute('data-status')) === 'saved', 15_000, 'saved');
    await suite.server.close();
    await poll(async () => (await laptop.page.getByTestId('status').getAttribute('data-status')) === 'offline', 15_000, 'offline');
    await typeAtEnd(laptop.page, 'typed offline, kept on this laptop');
    // IndexedDB writes are asynchronous: wait until the edit is in this device's copy.
    await poll(async () => deviceCopyHas(laptop.page, `roundtable:${fx.session.id}`, 'typed offline, kept on this laptop'), 10_000, 'offline edit stored on the device');
    await laptop.page.close();

    suite.server = await startAppServer({ dataDir, port });
    const projectorPage = await laptop.context.newPage();
    await projectorPage.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.view, '/present'));
    await poll(async () => (await editorOf(projectorPage).innerText()).includes('saved before the outage'), 15_000, 'projector shows the stored notes');
    // A writer elsewhere: the projector is still connected when the edit arrives.
    const ben = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    await waitForSync(ben);
    appendParagraph(ben.doc, 'Ben adds a line from elsewhere');
    await poll(async () => (await editorOf(projectorPage).innerText()).includes('Ben adds a line from elsewhere'), 15_000, 'live edit on the projector');
    const log = await socketLog(projectorPage);
    expect(log.closes.filter((c) => c.code === CLOSE_CODES.forbiddenWrite)).toEqual([]);
    expect(log.opens).toHaveLength(1);
    // The laptop's offline edit stays on the laptop until its note-taker page sends it: the reader did not.
    expect(notesText(ben.doc)).not.toContain('typed offline, kept on this laptop');
    expect(await editorOf(projectorPage).innerText()).not.toContain('typed offline, kept on this laptop');
    ben.destroy();
  });

  it('a view-link reader goes straight to the notes: no name dialog, Export works, "Read-only" said once; a name is asked only to appear in Here now', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E reader page');
    const ana = await actor('Ana');
    await ana.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(ana.page).waitFor();
    // A reader who never gave a name on this device.
    const rita = await actor('Rita', { named: false });
    await rita.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.view));
    await editorOf(rita.page).waitFor();
    expect(await rita.page.getByTestId('name-dialog').count()).toBe(0);
    expect(await editorOf(rita.page).getAttribute('contenteditable')).toBe('false');

    // Export is reachable and downloads.
    await rita.page.getByTestId('export-menu').getByRole('button', { name: /Export/ }).click();
    const [download] = await Promise.all([rita.page.waitForEvent('download'), rita.page.getByTestId('export-md').click()]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);

    // "Read-only" (in any case) appears once on the page: the banner that says what it means.
    const body = await rita.page.locator('body').innerText();
    expect(body.match(/read-only/gi)?.length).toBe(1);
    expect(await rita.page.getByTestId('editor-readonly').innerText()).toMatch(/read-only/i);

    // Anonymous readers are only counted.
    await poll(async () => (await ana.page.getByTestId('readers').innerText()) === '1 reader', 15_000, 'Rita counted');
    expect(await ana.page.getByTestId('presence').innerText()).not.toContain('Rita');

    // Choosing to appear: the native dialog asks for a name; Escape closes it and gives focus back.
    const appear = rita.page.getByTestId('appear');
    await appear.click();
    const dialog = rita.page.getByTestId('name-dialog');
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.tagName === 'DIALOG' && (d as HTMLDialogElement).open)).toBe(true);
    expect(await dialog.getAttribute('aria-labelledby')).toBeTruthy();
    await rita.page.keyboard.press('Escape');
    await poll(async () => (await dialog.count()) === 0, 5000, 'dialog closed by Escape');
    expect(await appear.evaluate((el) => el === document.activeElement)).toBe(true);

    await appear.click();
    await rita.page.getByTestId('name-input').fill('Rita');
    await rita.page.getByTestId('name-submit').click();
    await poll(async () => (await ana.page.getByTestId('presence').innerText()).includes('Rita'), 15_000, 'Rita appears in Here now');
    // Still a reader: listed as one, and still unable to write.
    expect(await editorOf(rita.page).getAttribute('contenteditable')).toBe('false');
    const log = await socketLog(rita.page);
    expect(log.closes).toEqual([]);
  });
});
