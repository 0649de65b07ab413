import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEventWithSession, type Fixture, type TestServer } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { launchBrowser, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

const editorOf = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');
const text = async (page: Page) => editorOf(page).innerText();

/** Ctrl+End, then wait until ProseMirror has taken the caret there (it reads native caret moves asynchronously). */
async function typeAtEnd(page: Page, line: string, delay = 20): Promise<void> {
  await editorOf(page).click();
  let streak = 0;
  await poll(async () => {
    const atEnd = await page.evaluate(() => {
      const pm = document.querySelector('[data-testid="editor"] .ProseMirror');
      const sel = document.getSelection();
      const last = pm ? [...pm.querySelectorAll('p, h2, h3')].at(-1) : undefined;
      if (!last || !sel?.anchorNode || !sel.isCollapsed || !last.contains(sel.anchorNode)) return false;
      const rest = document.createRange();
      rest.setStart(sel.anchorNode, sel.anchorOffset);
      rest.setEnd(last, last.childNodes.length);
      return rest.toString() === '';
    });
    if (atEnd) return ++streak >= 2;
    streak = 0;
    await page.keyboard.press('Control+End');
    return false;
  }, 10_000, 'caret at the end');
  await page.keyboard.press('Enter');
  await page.keyboard.type(line, { delay });
}

describe('moderator controls and presence', () => {
  let browser: Browser;
  let server: TestServer | undefined;
  let fx: Fixture;
  const actors: Actor[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const a of actors.splice(0)) await a.context.close();
    await server?.close();
    server = undefined;
  });

  async function open(name: string, token: string, suffix = '', lang: 'en' | 'ja' = 'en'): Promise<Actor> {
    const actor = await newActor(browser, name, { lang });
    actors.push(actor);
    await actor.page.goto(sessionUrl(server!.url, fx.event.event.slug, fx.session.id, token, suffix));
    await actor.page.locator(suffix ? '[data-testid="projector"]' : '[data-testid="editor"] .ProseMirror').waitFor();
    return actor;
  }

  it('lists note-takers and readers, shows who is typing, and a lock makes the notes read-only with a message until unlocked', async () => {
    server = await startAppServer();
    fx = await createEventWithSession(server.url, 'E2E moderation lock');
    const mo = await open('Mo', fx.event.tokens.moderate);
    const ana = await open('Ana', fx.event.tokens.edit);
    const rita = await open('Rita', fx.event.tokens.view);

    // Presence: both note-takers with their names, the reader only counted.
    await poll(async () => {
      const p = await ana.page.getByTestId('presence').innerText();
      return p.includes('Mo') && p.includes('Ana') && !p.includes('Rita');
    }, 15_000, 'note-takers listed');
    await poll(async () => (await ana.page.getByTestId('readers').innerText()) === '1 reader', 15_000, 'one reader counted');
    // A reader sees the note-takers, and is not listed among them even on her own screen.
    await poll(async () => {
      const p = await rita.page.getByTestId('presence').innerText();
      return p.includes('Mo') && p.includes('Ana') && !p.includes('Rita');
    }, 15_000, 'reader’s own presence list');

    // Typing indicator: Ana sees that Mo is typing while he types.
    const typing = typeAtEnd(mo.page, 'Mo writes the agenda for the quota discussion slowly', 60);
    await poll(async () => (await ana.page.getByTestId('typing-indicator').innerText()).includes('Mo is typing'), 15_000, 'typing indicator');
    await typing;
    await poll(async () => (await text(ana.page)).includes('quota discussion slowly'), 10_000, 'Mo’s line reaches Ana');

    // Lock: Ana's editor turns read-only and says why; the moderator can still write.
    await mo.page.getByTestId('lock-toggle').click();
    await poll(async () => (await editorOf(ana.page).getAttribute('contenteditable')) === 'false', 15_000, 'Ana read-only');
    const bar = ana.page.getByTestId('editor-readonly');
    await poll(async () => (await bar.getAttribute('data-locked')) === 'true', 10_000, 'locked message');
    expect(await bar.innerText()).toContain('A moderator has locked these notes');
    expect(await ana.page.locator('.toolbar').count()).toBe(0);
    await editorOf(ana.page).click();
    await ana.page.keyboard.type('Ana tries while locked');
    await typeAtEnd(mo.page, 'Moderator writes while locked');
    await poll(async () => (await text(ana.page)).includes('Moderator writes while locked'), 10_000, 'moderator edit reaches Ana');
    expect(await text(ana.page)).not.toContain('Ana tries while locked');
    expect(await mo.page.getByTestId('lock-toggle').innerText()).toBe('Unlock notes');
    expect(await mo.page.getByTestId('locked-hint').innerText()).toContain('only moderators can edit');
    expect(await editorOf(mo.page).getAttribute('contenteditable')).toBe('true');

    // Unlock: Ana can write again and everyone sees it.
    await mo.page.getByTestId('lock-toggle').click();
    await poll(async () => (await editorOf(ana.page).getAttribute('contenteditable')) === 'true', 15_000, 'Ana editable again');
    expect(await ana.page.getByTestId('editor-readonly').count()).toBe(0);
    await typeAtEnd(ana.page, 'Ana after unlock');
    await poll(async () => (await text(mo.page)).includes('Ana after unlock'), 10_000, 'Ana’s edit after unlock');

    const check = connectClient(server.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(check);
    await waitFor(() => notesText(check.doc).includes('Ana after unlock'), 10_000, 'stored after unlock');
    expect(notesText(check.doc)).not.toContain('Ana tries while locked');
    check.destroy();
  });

  it('session state and "now discussing" show on the schedule, the session page and the projector; ending does not lock', async () => {
    server = await startAppServer();
    fx = await createEventWithSession(server.url, 'E2E moderation state');
    const mo = await open('Mo', fx.event.tokens.moderate);
    const ana = await open('Ana', fx.event.tokens.edit, '', 'ja');
    const projector = await open('Projector', fx.event.tokens.view, '/present');
    const schedule = await newActor(browser, 'Rita');
    actors.push(schedule);
    await schedule.page.goto(`${server.url}/e/${fx.event.event.slug}#k=${fx.event.tokens.view}`);
    const card = schedule.page.locator(`[data-testid="session-row"][data-session-id="${fx.session.id}"]`);
    await card.waitFor();

    await mo.page.getByTestId('now-discussing-input').fill('Quota across cells');
    await mo.page.getByTestId('now-discussing-input').press('Enter');
    await poll(async () => (await card.innerText()).includes('Quota across cells'), 15_000, 'now discussing on the schedule');
    await poll(async () => (await ana.page.locator('.now-discussing').innerText()).includes('Quota across cells'), 15_000, 'now discussing on the session page');
    await poll(async () => (await projector.page.getByTestId('projector-topic').innerText()).includes('Quota across cells'), 15_000, 'now discussing on the projector');

    await mo.page.getByTestId('state-select').selectOption('live');
    await poll(async () => (await card.innerText()).includes('Now'), 15_000, 'live on the schedule');
    await mo.page.getByTestId('state-select').selectOption('ended');
    await poll(async () => (await card.innerText()).includes('Ended'), 15_000, 'ended on the schedule');

    // Ending does not lock: Ana keeps writing.
    expect(await editorOf(ana.page).getAttribute('contenteditable')).toBe('true');
    await typeAtEnd(ana.page, '終了後の追記');
    await poll(async () => (await text(mo.page)).includes('終了後の追記'), 10_000, 'edit after ending');
  });
});
