import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ActionItemDto } from '../../shared/schemas.js';
import { api, createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { appendParagraph, connectClient, waitFor, waitForSync } from '../helpers/yClient.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

const PHONE = { width: 390, height: 844 };
const SHOT = process.env.RT_SCREENSHOTS;

/** Whether the element's top is on screen without scrolling the page. */
const onFirstScreen = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return window.scrollY === 0 && r.top >= 0 && r.top < window.innerHeight && r.height > 0;
  });

describe('session page', () => {
  const suite = browserSuite();
  let fx: Fixture;

  async function open(name: string, token: string, opts: { viewport?: { width: number; height: number }; lang?: 'en' | 'ja' } = {}): Promise<Actor> {
    const a = await newActor(suite.browser, name, opts);
    suite.actors.push(a);
    await a.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, token));
    await editorOf(a.page).waitFor();
    return a;
  }

  it('one person in two tabs: a name changed in one tab is the name the other tab writes under too', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E two tabs');
    const ana = await open('Ana', fx.event.tokens.edit);
    const ben = await open('Ben', fx.event.tokens.edit);
    // A second tab of the same browser (same storage).
    const tab2 = await ana.context.newPage();
    await tab2.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(tab2).waitFor();
    const names = (page: Page) => page.getByTestId('presence').innerText();
    await poll(async () => (await names(ben.page)).split('Ana').length - 1 === 2, 10_000, 'Ben sees both of Ana’s tabs');
    await ana.page.getByRole('button', { name: 'Change name' }).click();
    await ana.page.getByTestId('name-input').fill('Ana Lee');
    await ana.page.keyboard.press('Enter');
    // Ben sees no "Ana" left: both tabs now go by the new name.
    await poll(async () => {
      const shown = await names(ben.page);
      return shown.split('Ana Lee').length - 1 === 2 && shown.split('Ana').length - 1 === 2;
    }, 10_000, 'both tabs renamed, as Ben sees them');
  });

  it('on a phone, Here now and Action items are one tap away, not below the whole note', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E phone');
    const seeder = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    await waitForSync(seeder);
    for (let i = 1; i <= 60; i++) appendParagraph(seeder.doc, `Line ${i} about cells, quotas and RabbitMQ`);
    appendParagraph(seeder.doc, 'ACTION: @dana send the summary by 2016-05-17');
    const ana = await open('Ana', fx.event.tokens.edit, { viewport: PHONE });
    await poll(async () => (await editorOf(ana.page).innerText()).includes('Line 60'), 15_000, 'long note loaded');
    expect(await ana.page.getByTestId('presence').isVisible()).toBe(false);

    await ana.page.getByTestId('session-tab-people').click();
    await poll(async () => ana.page.getByTestId('presence').isVisible(), 5000, 'Here now shown');
    expect(await onFirstScreen(ana.page, 'presence')).toBe(true);
    expect(await ana.page.getByTestId('presence').innerText()).toContain('Ana');
    expect(await editorOf(ana.page).isVisible()).toBe(false);

    await ana.page.getByTestId('session-tab-actions').click();
    await poll(async () => (await ana.page.getByTestId('panel-item').count()) === 1, 15_000, 'the action item in its tab');
    expect(await onFirstScreen(ana.page, 'action-panel')).toBe(true);
    if (SHOT) await ana.page.screenshot({ path: `screenshots/item12-phone-actions-${SHOT}.png` });

    // The editor was hidden, not rebuilt: back on Notes, the text is still there and editable.
    await ana.page.getByTestId('session-tab-notes').click();
    await poll(async () => editorOf(ana.page).isVisible(), 5000, 'notes back');
    expect(await editorOf(ana.page).getAttribute('contenteditable')).toBe('true');
    seeder.destroy();
  });

  it('on a phone, the badge of locked notes stays on one line in English and Japanese; the bar in the notes says who locked them', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E phone lock');
    expect((await api(suite.server.url, 'PATCH', `/api/sessions/${fx.session.id}`, { token: fx.event.tokens.moderate, body: { locked: true } })).status).toBe(200);
    for (const [lang, badgeText, bar] of [['en', 'Notes locked', 'A moderator has locked these notes'], ['ja', 'メモはロック中', 'モデレーターがこのメモをロック']] as const) {
      const ana = await open(`Ana-${lang}`, fx.event.tokens.edit, { viewport: PHONE, lang });
      const badge = ana.page.getByTestId('status');
      await poll(async () => (await badge.getAttribute('data-status')) === 'locked', 15_000, `locked badge (${lang})`);
      expect(await badge.innerText()).toBe(badgeText);
      const lines = await badge.evaluate((el) => Math.round((el.getBoundingClientRect().height - parseFloat(getComputedStyle(el).paddingTop) - parseFloat(getComputedStyle(el).paddingBottom)) / parseFloat(getComputedStyle(el).lineHeight)));
      expect(lines, lang).toBe(1);
      expect(await ana.page.getByTestId('editor-readonly').innerText()).toContain(bar);
    }
  });

  it('on a phone, a moderator sees all four tabs whole, in Japanese and English, at 390 and 320 px', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E phone tabs');
    for (const lang of ['ja', 'en'] as const) {
      for (const width of [390, 320]) {
        const mo = await open(`Mo-${lang}-${width}`, fx.event.tokens.moderate, { viewport: { width, height: 844 }, lang });
        await mo.page.getByTestId('session-tab-moderator').waitFor();
        // Every tab lies wholly inside the strip and the viewport: none is cut off or scrolled out of sight.
        const cut = await mo.page.evaluate(() => {
          const strip = document.querySelector('.session-tabs')!.getBoundingClientRect();
          return [...document.querySelectorAll('.session-tabs [role=tab]')].flatMap((tab) => {
            const r = tab.getBoundingClientRect();
            return r.left < strip.left - 0.5 || r.right > strip.right + 0.5 || r.right > window.innerWidth ? [`${(tab as HTMLElement).innerText} ${Math.round(r.left)}..${Math.round(r.right)}`] : [];
          });
        });
        expect(cut, `${lang} ${width}`).toEqual([]);
        expect(await mo.page.locator('.session-tabs [role=tab]').count()).toBe(4);
        expect(await mo.page.evaluate(() => document.documentElement.scrollWidth), `${lang} ${width}`).toBeLessThanOrEqual(width);
        if (lang === 'ja') expect(await mo.page.getByTestId('session-tab-moderator').innerText()).toBe('モデレーター');
      }
    }
  });

  it('an action line can be ticked in the notes: it looks done everywhere, the panel does not repeat owner and due, and a reader cannot tick', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E tick');
    const ana = await open('Ana', fx.event.tokens.edit);
    const ben = await open('Ben', fx.event.tokens.edit, { lang: 'ja' });
    const rita = await open('Rita', fx.event.tokens.view);
    await typeAtEnd(ana.page, 'ACTION: @dana send the summary by 2016-05-17');
    const line = (page: Page) => page.locator('.ProseMirror p.action-item', { hasText: 'send the summary' });
    const tick = (page: Page) => line(page).getByTestId('action-tick');
    await poll(async () => (await tick(ana.page).count()) === 1, 15_000, 'tick box on the line');
    expect(await tick(ana.page).evaluate((el) => el.tagName)).toBe('BUTTON');
    expect(await tick(ana.page).getAttribute('aria-label')).toBe('Mark as done');
    await poll(async () => (await tick(rita.page).count()) === 1, 15_000, 'Rita sees the line marked');
    expect(await tick(rita.page).evaluate((el) => el.tagName)).toBe('SPAN');

    // The side panel shows the line as written, once: no owner or due chips repeating it.
    const item = ana.page.getByTestId('panel-item');
    // The tagger may have caught the line half-typed: wait for the whole of it.
    await poll(async () => (await item.count()) === 1 && (await item.innerText()).includes('2016-05-17'), 15_000, 'panel item');
    const panelText = await item.innerText();
    expect(panelText.match(/@dana/g)).toHaveLength(1);
    expect(panelText.match(/2016-05-17/g)).toHaveLength(1);

    await tick(ana.page).click();
    for (const [who, page] of [['Ana', ana.page], ['Ben', ben.page], ['Rita', rita.page]] as const) {
      await poll(async () => (await line(page).getAttribute('data-action-status')) === 'done', 15_000, `${who} sees it done`);
    }
    expect(await line(ana.page).evaluate((el) => getComputedStyle(el).textDecorationLine)).toContain('line-through');
    expect(await tick(ben.page).getAttribute('aria-label')).toBe('未完了に戻す');
    await poll(async () => item.locator('input[type="checkbox"]').isChecked(), 15_000, 'panel says done');
    const items = await api<{ items: ActionItemDto[] }>(suite.server.url, 'GET', `/api/sessions/${fx.session.id}/action-items`, { token: fx.event.tokens.view });
    expect(items.body.items.map((i) => i.status)).toEqual(['done']);
    if (SHOT) await ana.page.screenshot({ path: `screenshots/item12-tick-${SHOT}.png` });

    // A click on the reader's box does nothing; Ben unticks it from his screen.
    await tick(rita.page).click({ force: true });
    await tick(ben.page).click();
    await poll(async () => (await line(ana.page).getAttribute('data-action-status')) === 'open', 15_000, 'open again for Ana');
    const check = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(check);
    await waitFor(() => {
      let status: unknown = null;
      check.doc.getXmlFragment('default').forEach((n) => {
        if (n.toString().includes('send the summary')) status = (n as unknown as { getAttribute(k: string): unknown }).getAttribute('actionStatus');
      });
      return status === 'open';
    }, 10_000, 'stored as open');
    check.destroy();
  });
});
