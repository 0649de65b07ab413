import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { editorOf } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

/** The test id (or tag) of the focused element. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);
const insideDialog = (page: Page) => page.evaluate(() => Boolean(document.activeElement?.closest('dialog[open]')));

describe('keyboard and screen readers', () => {
  const suite = browserSuite();
  let fx: Fixture;

  async function actor(name: string, opts: { lang?: 'en' | 'ja'; named?: boolean } = {}): Promise<Actor> {
    const a = await newActor(suite.browser, name, { lang: opts.lang });
    suite.actors.push(a);
    if (opts.named === false) await a.context.addInitScript(() => localStorage.removeItem('roundtable:name'));
    return a;
  }

  it('the name dialog takes focus, traps it, has a label, closes on Escape and gives focus back', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E dialogs');
    const nora = await actor('Nora', { named: false });
    await nora.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    const dialog = nora.page.getByTestId('name-dialog');
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.tagName)).toBe('DIALOG');
    expect(await nora.page.getByRole('dialog', { name: 'What should others call you?' }).count()).toBe(1);
    expect(await focused(nora.page)).toBe('name-input');
    for (let i = 0; i < 6; i++) {
      await nora.page.keyboard.press('Tab');
      expect(await insideDialog(nora.page)).toBe(true);
    }
    // Escape closes it: the notes are there, read-only until she gives a name.
    await nora.page.keyboard.press('Escape');
    await poll(async () => (await dialog.count()) === 0, 5000, 'closed by Escape');
    await editorOf(nora.page).waitFor();
    expect(await editorOf(nora.page).getAttribute('contenteditable')).toBe('false');
    const ask = nora.page.getByTestId('name-needed').getByRole('button');
    await ask.click();
    await nora.page.getByTestId('name-input').fill('Nora');
    await nora.page.keyboard.press('Enter');
    await poll(async () => (await editorOf(nora.page).getAttribute('contenteditable')) === 'true', 10_000, 'Nora can write');

    // "Change name" opens it again; Escape gives focus back to that button.
    const change = nora.page.getByRole('button', { name: 'Change name' });
    await change.focus();
    await nora.page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await nora.page.getByTestId('name-input').inputValue()).toBe('Nora');
    await nora.page.keyboard.press('Escape');
    await poll(async () => (await dialog.count()) === 0, 5000, 'closed again');
    expect(await change.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('rotating a link asks in a dialog: Escape cancels and gives focus back, confirming rotates', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E confirm');
    const mo = await actor('Mo');
    await mo.page.goto(`${suite.server.url}/e/${fx.event.event.slug}#k=${fx.event.tokens.moderate}`);
    const rotate = mo.page.getByTestId('rotate-view');
    await rotate.waitFor();
    const before = await mo.page.getByTestId('link-view').inputValue();
    await rotate.focus();
    await mo.page.keyboard.press('Enter');
    const dialog = mo.page.getByRole('dialog', { name: 'Rotate the View link?' });
    await dialog.waitFor();
    expect(await insideDialog(mo.page)).toBe(true);
    await mo.page.keyboard.press('Escape');
    await poll(async () => (await dialog.count()) === 0, 5000, 'cancelled');
    expect(await rotate.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await mo.page.getByTestId('link-view').inputValue()).toBe(before);

    await rotate.click();
    await mo.page.getByTestId('confirm-ok').click();
    await poll(async () => (await mo.page.getByTestId('link-view').inputValue()) !== before, 10_000, 'rotated');
    const old = await api(suite.server.url, 'GET', `/api/events/${fx.event.event.id}`, { token: fx.event.tokens.view });
    expect(old.status).toBe(401);
  });

  it('the Export menu is a menu button: arrows, Home/End, Escape back to the button', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E menu');
    const ana = await actor('Ana');
    await ana.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(ana.page).waitFor();
    const button = ana.page.getByTestId('export-menu').getByRole('button', { name: 'Export' });
    expect(await button.getAttribute('aria-haspopup')).toBe('menu');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await button.focus();
    await ana.page.keyboard.press('ArrowDown');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const menu = ana.page.getByRole('menu', { name: 'Export' });
    expect(await menu.count()).toBe(1);
    expect(await focused(ana.page)).toBe('export-md');
    await ana.page.keyboard.press('ArrowDown');
    expect(await focused(ana.page)).toBe('export-html');
    await ana.page.keyboard.press('End');
    expect(await focused(ana.page)).toBe('export-ics');
    await ana.page.keyboard.press('ArrowDown');
    expect(await focused(ana.page)).toBe('export-md');
    await ana.page.keyboard.press('ArrowUp');
    expect(await focused(ana.page)).toBe('export-ics');
    await ana.page.keyboard.press('Home');
    expect(await focused(ana.page)).toBe('export-md');
    await ana.page.keyboard.press('Escape');
    expect(await menu.count()).toBe(0);
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
    // Enter opens it too, and Enter on an item downloads.
    await ana.page.keyboard.press('Enter');
    expect(await focused(ana.page)).toBe('export-md');
    const [download] = await Promise.all([ana.page.waitForEvent('download'), ana.page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);
  });

  it('every page names itself in the tab title, and the editor’s hidden labels follow the language', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'UX Meetup');
    const base = `${suite.server.url}/e/${fx.event.event.slug}`;
    const en = await actor('Ana');
    await en.page.goto(`${suite.server.url}/`);
    await poll(async () => (await en.page.title()) === 'Roundtable', 5000, 'home title');
    await en.page.goto(`${base}#k=${fx.event.tokens.edit}`);
    await poll(async () => (await en.page.title()) === 'UX Meetup · Roundtable', 10_000, 'event title');
    await en.page.goto(`${base}/actions#k=${fx.event.tokens.edit}`);
    await poll(async () => (await en.page.title()) === 'Action items · UX Meetup · Roundtable', 10_000, 'board title');
    await en.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await poll(async () => (await en.page.title()) === 'Session one · UX Meetup · Roundtable', 10_000, 'session title');
    await editorOf(en.page).waitFor();
    expect(await editorOf(en.page).getAttribute('aria-label')).toBe('Notes');
    expect(await en.page.getByRole('toolbar').getAttribute('aria-label')).toBe('Formatting');
    await en.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.view, '/present'));
    await poll(async () => (await en.page.title()) === 'Session one (projector) · UX Meetup · Roundtable', 10_000, 'projector title');

    const ja = await actor('はな', { lang: 'ja' });
    await ja.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.view, '/present'));
    await poll(async () => (await ja.page.title()) === 'Session one（プロジェクター） · UX Meetup · Roundtable', 10_000, 'projector title in Japanese');
    await ja.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(ja.page).waitFor();
    expect(await editorOf(ja.page).getAttribute('aria-label')).toBe('メモ');
    expect(await ja.page.getByRole('toolbar').getAttribute('aria-label')).toBe('書式');
    // Switching the language relabels the open editor without rebuilding it.
    await ja.page.getByTestId('lang-switch').click();
    await poll(async () => (await editorOf(ja.page).getAttribute('aria-label')) === 'Notes', 5000, 'label follows the language');
  });
});
