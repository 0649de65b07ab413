import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { caretAtEndOf, editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

const text = async (page: Page) => editorOf(page).innerText();

describe('moderator controls and presence', () => {
  const suite = browserSuite();
  let fx: Fixture;

  async function open(name: string, token: string, suffix = '', lang: 'en' | 'ja' = 'en'): Promise<Actor> {
    const actor = await newActor(suite.browser, name, { lang });
    suite.actors.push(actor);
    await actor.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, token, suffix));
    await actor.page.locator(suffix ? '[data-testid="projector"]' : '[data-testid="editor"] .ProseMirror').waitFor();
    return actor;
  }

  it('lists note-takers and readers, shows who is typing, and a lock makes the notes read-only with a message until unlocked', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E moderation lock');
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
    const typing = typeAtEnd(mo.page, 'Mo writes the agenda for the quota discussion slowly', { delay: 60 });
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

    const check = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(check);
    await waitFor(() => notesText(check.doc).includes('Ana after unlock'), 10_000, 'stored after unlock');
    expect(notesText(check.doc)).not.toContain('Ana tries while locked');
    check.destroy();
  });

  it('session state and "now discussing" show on the schedule, the session page and the projector; ending does not lock', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E moderation state');
    const mo = await open('Mo', fx.event.tokens.moderate);
    const ana = await open('Ana', fx.event.tokens.edit, '', 'ja');
    const projector = await open('Projector', fx.event.tokens.view, '/present');
    const schedule = await newActor(suite.browser, 'Rita');
    suite.actors.push(schedule);
    await schedule.page.goto(`${suite.server.url}/e/${fx.event.event.slug}#k=${fx.event.tokens.view}`);
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

  it('a note-taker typing when the notes are locked gets her caret back, in the same place, when they are unlocked', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E lock keeps the caret');
    const mo = await open('Mo', fx.event.tokens.moderate);
    const ana = await open('Ana', fx.event.tokens.edit);
    await typeAtEnd(ana.page, 'Ana writes about quotas');
    await poll(async () => (await text(mo.page)).includes('Ana writes about quotas'), 10_000, 'Ana’s line reaches Mo');

    await mo.page.getByTestId('lock-toggle').click();
    await poll(async () => (await editorOf(ana.page).getAttribute('contenteditable')) === 'false', 15_000, 'Ana read-only');
    // The moderator writes on while the notes are locked (a line after Ana's).
    await typeAtEnd(mo.page, 'Moderator line while locked');
    await poll(async () => (await text(ana.page)).includes('Moderator line while locked'), 10_000, 'moderator line reaches Ana');

    await mo.page.getByTestId('lock-toggle').click();
    await poll(async () => (await editorOf(ana.page).getAttribute('contenteditable')) === 'true', 15_000, 'Ana editable again');
    // No click: the caret is back in the notes, at the end of her line.
    await poll(async () => ana.page.evaluate(() => document.activeElement?.classList.contains('ProseMirror') ?? false), 10_000, 'focus back in the editor');
    await poll(() => caretAtEndOf(ana.page, 'Ana writes about quotas'), 10_000, 'caret where it was');
    await ana.page.keyboard.type(' and cells', { delay: 20 });
    await poll(async () => (await text(mo.page)).includes('Ana writes about quotas and cells'), 10_000, 'typing after unlock continues her line');
    expect(await text(mo.page)).toContain('Moderator line while locked');
  });

  it('a note-taker who was not in the notes when they were locked is not pulled into them on unlock', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E lock without focus');
    const mo = await open('Mo', fx.event.tokens.moderate);
    const ana = await open('Ana', fx.event.tokens.edit);
    await mo.page.getByTestId('lock-toggle').click();
    await poll(async () => (await editorOf(ana.page).getAttribute('contenteditable')) === 'false', 15_000, 'Ana read-only');
    await mo.page.getByTestId('lock-toggle').click();
    await poll(async () => (await editorOf(ana.page).getAttribute('contenteditable')) === 'true', 15_000, 'Ana editable again');
    await new Promise((r) => setTimeout(r, 500));
    expect(await ana.page.evaluate(() => document.activeElement?.classList.contains('ProseMirror') ?? false)).toBe(false);
  });
});
