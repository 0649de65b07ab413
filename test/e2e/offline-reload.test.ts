import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

const status = (page: Page) => page.getByTestId('status').getAttribute('data-status');

/** Each line must arrive whole (QA once reported a line's first characters missing), so compare whole blocks. */
const lines = (text: string) => text.split('\n').map((l) => l.trim());

/** The text of every block the editor shows, without widgets (action chips, carets) that innerText would add. */
const blocksOf = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const pm = document.querySelector('[data-testid="editor"] .ProseMirror') as (Element & { editor?: { state: { doc: { descendants: (f: (n: { isTextblock: boolean; textContent: string }) => void) => void } } } }) | null;
    const out: string[] = [];
    pm?.editor?.state.doc.descendants((n) => {
      if (n.isTextblock) out.push(n.textContent.trim());
    });
    return out;
  });

/**
 * The browser loses the network (not the server), the note-taker types, reloads while still offline and types
 * again at once; once back online the other note-taker and the server hold every line, whole. (The QA report
 * behind this came from a script that typed right after Tiptap's `focus()`, which focuses in the next animation
 * frame: its first keys reached <body>. Typing after a click, as here and as people do, loses nothing.)
 */
describe('an offline reload keeps every keystroke', () => {
  const suite = browserSuite();
  let fx: Fixture;

  async function open(name: string, lang: 'en' | 'ja' = 'en'): Promise<Actor> {
    const actor = await newActor(suite.browser, name, { lang });
    suite.actors.push(actor);
    await actor.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(actor.page).waitFor({ state: 'visible' });
    return actor;
  }

  it('lines typed offline before and right after a reload reach the other note-taker and the server whole', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E offline reload');
    const ana = await open('Ana');
    const ben = await open('Ben', 'ja');
    await typeAtEnd(ana.page, 'Ana online before the drop');
    await poll(async () => (await status(ana.page)) === 'saved', 15_000, 'saved before the drop');

    await ana.context.setOffline(true);
    await poll(async () => (await status(ana.page)) === 'offline', 10_000, 'offline');
    const before = ['Ana offline before reload', 'ACTION: @ana file the quota bug'];
    for (const line of before) await typeAtEnd(ana.page, line);
    // Committed as an IME commits a composition.
    await typeAtEnd(ana.page, 'オフラインで書いた行', { insert: true });
    await ana.page.reload();
    await editorOf(ana.page).waitFor({ state: 'visible', timeout: 15_000 });
    // At once, as someone who reloaded to check their notes were kept would.
    await typeAtEnd(ana.page, 'Ana typed right after the reload');
    await typeAtEnd(ana.page, 'リロード後の行', { insert: true });
    const typed = ['Ana online before the drop', ...before, 'オフラインで書いた行', 'Ana typed right after the reload', 'リロード後の行'];
    await poll(async () => {
      const shown = await blocksOf(ana.page);
      return typed.every((l) => shown.includes(l));
    }, 5_000, 'every line whole on Ana’s page');
    // Really offline: nothing of it reached Ben yet.
    expect(await blocksOf(ben.page)).not.toContain('Ana offline before reload');

    await ana.context.setOffline(false);
    await poll(async () => (await status(ana.page)) === 'saved', 30_000, 'saved after coming back');
    await poll(async () => {
      const shown = await blocksOf(ben.page);
      return typed.every((l) => shown.includes(l));
    }, 10_000, 'Ben has every line whole');
    const check = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    try {
      await waitForSync(check);
      await waitFor(() => typed.every((l) => lines(notesText(check.doc)).includes(l)), 10_000, 'the server has every line whole');
    } finally {
      check.destroy();
    }
    expect(await blocksOf(ana.page)).toEqual(await blocksOf(ben.page));
  });
});
