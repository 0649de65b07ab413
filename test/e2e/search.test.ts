import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { SessionDto } from '../../shared/schemas.js';
import { api, createEventWithSession } from '../helpers/testServer.js';
import { connectClient, waitForSync } from '../helpers/yClient.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

/** Generous: other suites may share the machine's two cores. */
const WAIT = 30_000;

/**
 * Records which block the highlight box is drawn over (the box names it in
 * data-text, and is placed on that block's rectangle every frame), whenever
 * it appears: the box fades after 2.5 s, and a loaded machine may poll later.
 */
async function watchHighlight(page: Actor['page']): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __highlighted: string[] }).__highlighted = seen;
    new MutationObserver(() => {
      const box = document.querySelector('[data-testid="search-target"]');
      if (box instanceof HTMLElement && box.style.display !== 'none' && box.dataset.text) seen.push(box.dataset.text);
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'data-text'] });
  });
}

const highlighted = (page: Actor['page']) => page.evaluate(() => (window as unknown as { __highlighted?: string[] }).__highlighted ?? []);

/** The block holding `text` is on screen. */
function inView(page: Actor['page'], text: string): Promise<boolean> {
  return page.evaluate((needle) => {
    const block = [...document.querySelectorAll('[data-testid="editor"] .ProseMirror p')].find((p) => p.textContent?.includes(needle));
    const b = block?.getBoundingClientRect();
    return b !== undefined && b.top >= 0 && b.bottom <= window.innerHeight;
  }, text);
}

describe('search across the event (two users in Chromium)', () => {
  const suite = browserSuite();

  async function actor(name: string, lang: 'en' | 'ja' = 'en'): Promise<Actor> {
    const a = await newActor(suite.browser, name, { lang });
    suite.actors.push(a);
    return a;
  }

  it('type a query, click a result, land on the highlighted block while someone else is typing in the notes', { timeout: 240_000 }, async () => {
    suite.server = await startAppServer();
    const server = suite.server;
    const fx = await createEventWithSession(server.url, 'E2E search');
    const other = await api<SessionDto>(server.url, 'POST', `/api/events/${fx.event.event.id}/sessions`, { token: fx.event.tokens.moderate, body: { title: 'Japan Ops Workshop', rooms: ['Salon B'] } });

    // Long notes, so the block is far below the fold.
    const seed = connectClient(server.wsUrl, other.body.id, fx.event.tokens.edit);
    await waitForSync(seed);
    seed.doc.transact(() => {
      const blocks = Array.from({ length: 60 }, (_, i) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(i === 45 ? '運用者向けドキュメントの翻訳を進める' : `メモ ${i + 1}: 議論の記録`)]);
        return p;
      });
      seed.doc.getXmlFragment(NOTES_FRAGMENT).push(blocks);
    });
    await poll(async () => (await api<{ results: unknown[] }>(server.url, 'GET', `/api/events/${fx.event.event.id}/search?q=${encodeURIComponent('ドキュメント')}`, { token: fx.event.tokens.view })).body.results.length === 1, WAIT, 'the seeded notes indexed');
    seed.destroy();

    // Ana takes notes in that session; Ben searches from the event page (in Japanese).
    const ana = await actor('Ana');
    await ana.page.goto(sessionUrl(server.url, fx.event.event.slug, other.body.id, fx.event.tokens.edit));
    await editorOf(ana.page).waitFor({ state: 'visible' });
    const ben = await actor('Ben', 'ja');
    await ben.page.goto(`${server.url}/e/${fx.event.event.slug}#k=${fx.event.tokens.edit}`);
    await ben.page.getByTestId('search-input').waitFor();

    await ben.page.keyboard.press('/');
    expect(await ben.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search-input');
    await ben.page.keyboard.type('ドキュメント', { delay: 40 });
    const hit = ben.page.getByTestId('search-hit');
    await poll(async () => (await hit.count()) === 1, WAIT, 'one result');
    expect(await ben.page.getByTestId('search-group').locator('h3').innerText()).toContain('Japan Ops Workshop');
    expect(await hit.locator('mark').innerText()).toBe('ドキュメント');

    // Ana keeps typing at the top of the notes while Ben jumps: blocks move under his feet.
    await editorOf(ana.page).click();
    await ana.page.keyboard.press('Control+Home');
    const typing = ana.page.keyboard.type('上に追記しています ', { delay: 60 });
    await watchHighlight(ben.page);
    await hit.click();
    await poll(() => ben.page.evaluate(() => window.location.pathname.includes('/s/')), WAIT, 'the session page');
    await editorOf(ben.page).waitFor({ state: 'visible' });
    await poll(async () => (await highlighted(ben.page)).some((t) => t.includes('運用者向けドキュメントの翻訳を進める')), WAIT, 'the block highlighted');
    await poll(() => inView(ben.page, '運用者向けドキュメントの翻訳を進める'), WAIT, 'the block in view');
    await typing;
    // Ana's line reached Ben; the highlight only ever marked the block the result pointed to.
    await poll(async () => (await editorOf(ben.page).innerText()).includes('上に追記しています'), WAIT, 'Ana’s edit in Ben’s editor');
    expect((await highlighted(ben.page)).every((t) => t.includes('運用者向けドキュメントの翻訳を進める'))).toBe(true);
    // The address bar is the session's own again (token kept), so a reload does not jump.
    expect(await ben.page.evaluate(() => window.location.search)).toBe('');
    expect(await ben.page.evaluate(() => window.location.hash)).toBe(`#k=${fx.event.tokens.edit}`);
  });

  it('the view link searches on the projector; Contributors lists who typed, with their characters', { timeout: 240_000 }, async () => {
    suite.server = await startAppServer();
    const server = suite.server;
    const fx = await createEventWithSession(server.url, 'E2E projector search');
    const ana = await actor('Ana');
    await ana.page.goto(sessionUrl(server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(ana.page).waitFor({ state: 'visible' });
    // Ctrl+End pressed before ProseMirror has read the caret can land the text at the old place (in a heading).
    await typeAtEnd(ana.page, 'Ceph erasure coding results');

    const proj = await actor('Projector');
    await proj.page.goto(sessionUrl(server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.view, '/present'));
    await proj.page.getByTestId('projector').waitFor();
    await proj.page.keyboard.press('/');
    const dialog = proj.page.getByTestId('projector-search-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('search-input').fill('erasure');
    await poll(async () => (await dialog.getByTestId('search-hit').count()) === 1, WAIT, 'the projector finds it');
    await watchHighlight(proj.page);
    await dialog.getByTestId('search-hit').click();
    await poll(async () => (await highlighted(proj.page)).some((t) => t.includes('Ceph erasure coding results')), WAIT, 'the projector highlights the block');
    await poll(() => inView(proj.page, 'Ceph erasure coding results'), WAIT, 'the projector shows the block');
    // Jumping pauses following the latest edit, as scrolling by hand does.
    expect(await proj.page.getByTestId('follow-state').getAttribute('data-following')).toBe('paused');

    const ben = await actor('Ben');
    await ben.page.goto(`${server.url}/e/${fx.event.event.slug}/contributors#k=${fx.event.tokens.view}`);
    const row = ben.page.getByTestId('contributor').filter({ hasText: 'Ana' });
    await poll(async () => (await row.count()) === 1 && (await row.getByTestId('contributor-chars').innerText()) === String('Ceph erasure coding results'.length), WAIT, 'Ana’s characters');
  });
});
