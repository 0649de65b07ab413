import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { api, createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer } from './harness.js';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now (as test/e2e/accessibility.test.ts checks the other pages). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(', ')}`);
}

/**
 * Steps the timeslider back (← on the focused slider) until the version on screen shows `text`:
 * one step at a time, as each version is fetched, since a second press before it shows would skip past it.
 */
async function stepBackTo(page: Page, text: string, what: string): Promise<void> {
  const notes = page.getByTestId('history-notes');
  const view = page.getByTestId('version-view');
  await poll(async () => {
    if ((await notes.getAttribute('aria-busy')) !== 'false') return false;
    if ((await view.innerText()).includes(text)) return true;
    await page.keyboard.press('ArrowLeft');
    return false;
  }, 15_000, what);
}

const KEPT = 'Agenda: upgrade Nova before Ceph';
const LATER = 'Ana goes on typing';

/**
 * Each writer in turn replaces the whole notes with its text through a real y-websocket client, so each text
 * is a version of its own at once (a change of author starts one; a pause would take 10 s).
 */
async function versionsBy(wsUrl: string, fx: Fixture, writes: readonly (readonly [string, string])[], count: () => Promise<number>): Promise<void> {
  for (const [name, text] of writes) {
    const before = await count();
    const writer = connectClient(wsUrl, fx.session.id, fx.event.tokens.edit);
    try {
      writer.provider.awareness.setLocalStateField('user', { name, color: '#1a7f37' });
      await waitForSync(writer);
      const f = writer.doc.getXmlFragment(NOTES_FRAGMENT);
      writer.doc.transact(() => {
        f.delete(0, f.length);
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(text)]);
        f.push([p]);
      });
      await poll(async () => (await count()) > before, 10_000, `${name}’s version listed`);
    } finally {
      writer.destroy();
    }
  }
}

describe('history in the browser: the timeslider and a restore while someone types', () => {
  const suite = browserSuite();

  it('Ben scrubs to the version before a vandal emptied the notes, sees Ana’s colour, restores the block; Ana sees it live and keeps what she typed since', async () => {
    suite.server = await startAppServer();
    const fx = await createEventWithSession(suite.server.url, 'E2E history');
    const ana = await newActor(suite.browser, 'Ana');
    const ben = await newActor(suite.browser, 'Ben');
    suite.actors.push(ana, ben);

    await ana.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(ana.page).waitFor({ state: 'visible' });
    await typeAtEnd(ana.page, KEPT);
    await poll(async () => /saved/i.test(await ana.page.getByTestId('status').innerText()), 10_000, 'Ana saved');

    // A vandal on the open edit link empties the notes (a revision of their own: another author).
    const vandal = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    try {
      vandal.provider.awareness.setLocalStateField('user', { name: 'Vandal', color: '#6e5f00' });
      await waitForSync(vandal);
      await waitFor(() => notesText(vandal.doc).includes(KEPT), 5000, 'the vandal sees the notes');
      const f = vandal.doc.getXmlFragment(NOTES_FRAGMENT);
      f.delete(0, f.length);
      await poll(async () => !(await editorOf(ana.page).innerText()).includes(KEPT), 10_000, 'Ana sees the notes emptied');
    } finally {
      vandal.destroy();
    }
    await typeAtEnd(ana.page, LATER);
    await poll(async () => /saved/i.test(await ana.page.getByTestId('status').innerText()), 10_000, 'Ana saved again');

    // Ben opens the timeslider from the session page and steps back with the keyboard until Ana's paragraph shows.
    await ben.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await ben.page.getByTestId('open-history').click();
    await poll(() => ben.page.url().includes(`/s/${fx.session.id}/history`), 10_000, 'history page');
    const slider = ben.page.getByTestId('history-slider');
    await slider.waitFor({ state: 'visible' });
    const view = ben.page.getByTestId('version-view');
    await poll(async () => (await view.innerText()).includes(LATER), 10_000, 'the newest version first');
    await slider.focus();
    await stepBackTo(ben.page, KEPT, 'the version with Ana’s paragraph');
    expect(await ben.page.getByTestId('history-position').innerText()).toContain('Ana');
    // Who wrote it: Ana's run is tinted with her colour, and named in the legend.
    const run = view.locator('.author-run[data-author="Ana"]');
    await expect(run.first().isVisible()).resolves.toBe(true);
    expect(await run.first().getAttribute('style')).toMatch(/--author-color: #[0-9a-f]{6}/i);
    expect(await ben.page.getByTestId('history-authors').innerText()).toContain('Ana');
    expect(await view.evaluate((el) => el.classList.contains('show-authors'))).toBe(true);
    await ben.page.getByTestId('history-show-authors').uncheck();
    expect(await view.evaluate((el) => el.classList.contains('show-authors'))).toBe(false);

    // Compared with now: Ana's paragraph shows as deleted since, her later line as added.
    await ben.page.getByTestId('history-compare').selectOption('now');
    await poll(async () => (await view.locator('del.change-deleted').count()) > 0 && (await view.locator('ins.change-inserted').count()) > 0, 10_000, 'the diff marks');
    await ben.page.getByTestId('history-compare').selectOption('none');
    await poll(async () => (await view.locator('del.change-deleted').count()) === 0, 10_000, 'no diff marks');

    // On a desktop the actions sit beside the notes.
    const notesBox = (await ben.page.getByTestId('history-notes').boundingBox())!;
    expect((await ben.page.getByTestId('history-restore').boundingBox())!.x).toBeGreaterThan(notesBox.x + notesBox.width);
    // Pick the paragraph with the keyboard (Tab to it, Enter), and restore just that block.
    const block = view.locator('[data-block-id]', { hasText: KEPT });
    await block.focus();
    await ben.page.keyboard.press('Enter');
    await poll(async () => (await block.getAttribute('aria-pressed')) === 'true', 5000, 'the block picked');
    await ben.page.getByTestId('history-restore-block').click();
    await poll(async () => (await ben.page.getByTestId('history-notice').count()) > 0, 10_000, 'restore notice');

    // Ana sees the restore arrive live, and her later line is still there; both converge.
    await poll(async () => {
      const text = await editorOf(ana.page).innerText();
      return text.includes(KEPT) && text.includes(LATER);
    }, 10_000, 'Ana sees the restored paragraph and keeps her own line');
    await poll(async () => /saved/i.test(await ana.page.getByTestId('status').innerText()), 10_000, 'Ana saved after the restore');
    const server = suite.server;
    const check = connectClient(server.wsUrl, fx.session.id, fx.event.tokens.view);
    try {
      await waitForSync(check);
      expect(notesText(check.doc)).toContain(KEPT);
      expect(notesText(check.doc)).toContain(LATER);
    } finally {
      check.destroy();
    }
    // "Show authors" in Ana's editor: her line is tinted as hers, the restored paragraph as the restore's.
    await ana.page.getByTestId('editor-show-authors').click();
    await poll(async () => (await editorOf(ana.page).locator('.author-tint[title="Ana"]', { hasText: LATER.slice(0, 8) }).count()) > 0, 10_000, 'Ana’s line tinted as hers');
    await poll(async () => (await editorOf(ana.page).locator('.author-tint[title="restore"]').count()) > 0, 10_000, 'the restored paragraph tinted as the restore');
    await ana.page.getByTestId('editor-show-authors').click();
    await poll(async () => (await editorOf(ana.page).locator('.author-tint').count()) === 0, 10_000, 'tint off again');

    // The restore is itself a version, at the end of the slider.
    await poll(async () => {
      const max = Number(await slider.getAttribute('max'));
      const list = await fetch(`${server.url}/api/sessions/${fx.session.id}/history`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } }).then((r) => r.json() as Promise<{ versions: { authors: string[] }[] }>);
      return list.versions[0]!.authors.includes('restore') && max === list.versions.length - 1;
    }, 15_000, 'the restore listed as the newest version');
  });

  it('a version shows an action line ticked on the board struck through, as the editor does; an open one is not', async () => {
    suite.server = await startAppServer();
    const fx = await createEventWithSession(suite.server.url, 'E2E history ticked');
    const writer = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    try {
      await waitForSync(writer);
      writer.doc.transact(() => {
        const lines = ['ACTION: @dana send the summary', 'TODO: @chen book the room'].map((text) => {
          const p = new Y.XmlElement('paragraph');
          p.insert(0, [new Y.XmlText(text)]);
          return p;
        });
        writer.doc.getXmlFragment(NOTES_FRAGMENT).push(lines);
      });
      const items = async () => (await api<{ items: { id: string; text: string }[] }>(suite.server.url, 'GET', `/api/sessions/${fx.session.id}/action-items`, { token: fx.event.tokens.view })).body.items;
      await poll(async () => (await items()).length === 2, 10_000, 'two items indexed');
      const dana = (await items()).find((i) => i.text.includes('dana'))!;
      expect((await api(suite.server.url, 'PATCH', `/api/action-items/${dana.id}`, { token: fx.event.tokens.edit, body: { status: 'done' } })).status).toBe(200);
    } finally {
      writer.destroy();
    }
    const kim = await newActor(suite.browser, 'Kim');
    suite.actors.push(kim);
    await kim.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.view, '/history'));
    const view = kim.page.getByTestId('version-view');
    await view.waitFor();
    const decoration = (text: string) => view.locator('p', { hasText: text }).evaluate((el) => getComputedStyle(el).textDecorationLine);
    await poll(async () => (await view.locator('p[data-action-status="done"]').count()) === 1, 10_000, 'the newest version has the tick');
    expect(await decoration('send the summary')).toBe('line-through');
    expect(await decoration('book the room')).toBe('none');
  });

  it('on notes a moderator locked, an edit link is told the lock stops restoring (not that it needs an edit link); a view link is told it needs one', async () => {
    suite.server = await startAppServer();
    const fx = await createEventWithSession(suite.server.url, 'E2E history locked');
    const locked = await api(suite.server.url, 'PATCH', `/api/sessions/${fx.session.id}`, { token: fx.event.tokens.moderate, body: { locked: true } });
    expect(locked.status).toBe(200);
    const kai = await newActor(suite.browser, 'Kai');
    suite.actors.push(kai);
    for (const [token, expected] of [
      [fx.event.tokens.edit, 'A moderator has locked these notes'],
      [fx.event.tokens.view, 'restoring needs an edit link'],
    ] as const) {
      await kai.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, token, '/history'));
      await kai.page.reload();
      const side = kai.page.locator('.history-side');
      await side.waitFor();
      await poll(async () => (await side.innerText()).includes(expected), 10_000, expected);
      expect(await kai.page.getByTestId('history-restore').count()).toBe(0);
    }
    // The same in Japanese: the lock, by a moderator.
    await kai.page.evaluate(() => localStorage.setItem('roundtable:lang', 'ja'));
    await kai.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit, '/history'));
    await kai.page.reload();
    await poll(async () => (await kai.page.locator('.history-side').innerText()).includes('モデレーターがこのメモをロック'), 10_000, 'the lock in Japanese');
  });

  it('in Japanese at phone width: the keyboard drives the slider (Home, End, arrows), a moderator names a version, and axe finds nothing serious', async () => {
    suite.server = await startAppServer();
    const fx = await createEventWithSession(suite.server.url, 'E2E history ja');
    const writer = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    try {
      writer.provider.awareness.setLocalStateField('user', { name: '佐藤', color: '#1a7f37' });
      await waitForSync(writer);
      const p = new Y.XmlElement('paragraph');
      const t = new Y.XmlText();
      p.insert(0, [t]);
      writer.doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
      t.insert(0, '議事録: 最初の行');
      await poll(async () => (await api<{ versions: unknown[] }>(suite.server.url, 'GET', `/api/sessions/${fx.session.id}/history`, { token: fx.event.tokens.view })).body.versions.length >= 2, 10_000, 'two versions');
    } finally {
      writer.destroy();
    }
    const mod = await newActor(suite.browser, 'モデレーター', { lang: 'ja', viewport: { width: 390, height: 844 } });
    suite.actors.push(mod);
    await mod.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.moderate, '/history'));
    const slider = mod.page.getByTestId('history-slider');
    await slider.waitFor();
    const position = mod.page.getByTestId('history-position');
    await poll(async () => (await position.innerText()).includes('佐藤'), 10_000, 'the newest version, by 佐藤');
    expect(await position.innerText()).toContain('バージョン');
    await slider.focus();
    await mod.page.keyboard.press('Home');
    await poll(async () => (await slider.inputValue()) === '0', 5000, 'Home: the first version');
    // The first version is the session's template, named in the page's language.
    await poll(async () => (await position.innerText()).includes('セッションのテンプレート'), 5000, 'the template named in Japanese');
    await mod.page.keyboard.press('End');
    await poll(async () => (await slider.inputValue()) === (await slider.getAttribute('max')), 5000, 'End: the newest version');
    await mod.page.keyboard.press('ArrowLeft');
    await poll(async () => Number(await slider.inputValue()) === Number(await slider.getAttribute('max')) - 1, 5000, 'ArrowLeft: one back');

    await mod.page.getByTestId('history-name-input').fill('セッション前');
    await mod.page.getByTestId('history-name-input').press('Enter');
    await poll(async () => (await position.innerText()).includes('★ セッション前'), 10_000, 'the named version starred');
    const named = await api<{ versions: { name: string }[] }>(suite.server.url, 'GET', `/api/sessions/${fx.session.id}/versions`, { token: fx.event.tokens.view });
    expect(named.body.versions.map((v) => v.name)).toEqual(['セッション前']);

    // On a phone the actions come before the notes, not below screens of text; on a desktop they sit beside them (first test).
    const box = async (id: string) => (await mod.page.getByTestId(id).boundingBox())!;
    const notesTop = (await box('history-notes')).y;
    expect((await box('history-restore')).y).toBeLessThan(notesTop);
    expect((await box('history-name-input')).y).toBeLessThan(notesTop);
    // Nothing wider than the phone.
    expect(await mod.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(mod.page)).toEqual([]);
  });

  it('a moderator names a past version “final minutes” and exports it from the timeslider: the file holds that version’s notes, not today’s', async () => {
    suite.server = await startAppServer();
    const { url } = suite.server;
    const fx = await createEventWithSession(url, 'E2E history export');
    const FINAL = 'Decision: ship Nova on Friday';
    const NOW = 'Decision reversed: Nova waits a week';
    const count = async () => (await api<{ versions: unknown[] }>(url, 'GET', `/api/sessions/${fx.session.id}/history`, { token: fx.event.tokens.view })).body.versions.length;
    await versionsBy(suite.server.wsUrl, fx, [['Ana', FINAL], ['Ben', NOW]], count);
    const minutes = (query: string) => fetch(`${url}/api/sessions/${fx.session.id}/minutes?${query}`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } }).then((r) => r.text());
    expect(await minutes('format=md')).toContain(NOW);

    const mod = await newActor(suite.browser, 'Mo');
    suite.actors.push(mod);
    await mod.page.goto(sessionUrl(url, fx.event.event.slug, fx.session.id, fx.event.tokens.moderate, '/history'));
    const slider = mod.page.getByTestId('history-slider');
    const view = mod.page.getByTestId('version-view');
    await slider.waitFor();
    await poll(async () => (await view.innerText()).includes(NOW), 10_000, 'the newest version first');
    await slider.focus();
    await stepBackTo(mod.page, FINAL, 'the version with the final minutes');
    await mod.page.getByTestId('history-name-input').fill('final minutes');
    await mod.page.getByTestId('history-name-input').press('Enter');
    const position = mod.page.getByTestId('history-position');
    await poll(async () => (await position.innerText()).includes('★ final minutes'), 10_000, 'the named version starred');
    const rev = Number(/Version (\d+)/.exec(await position.innerText())![1]);

    // The menu names the version it exports; the download is that version's minutes, with its number in the file name.
    const menu = mod.page.getByTestId('history-export');
    await menu.getByRole('button', { name: `Export version ${rev}` }).click();
    const [download] = await Promise.all([mod.page.waitForEvent('download', { timeout: 60_000 }), menu.getByTestId('export-md').click()]);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text).toContain(FINAL);
    expect(text).not.toContain(NOW);
    expect(download.suggestedFilename()).toContain(`(v${rev}).md`);
  });
  it('a moderator undoes a vandal from the timeslider: the version shown stays, the vandal’s lines go, a later line of someone else stays', async () => {
    suite.server = await startAppServer();
    const { url } = suite.server;
    const fx = await createEventWithSession(url, 'E2E history revert');
    const GOOD = 'Decision: upgrade Nova first';
    const SPAM = 'LOL this meeting';
    const LATER = 'Ben: the Ceph upgrade waits a week';
    const list = async () => (await api<{ versions: unknown[]; latest: number }>(url, 'GET', `/api/sessions/${fx.session.id}/history`, { token: fx.event.tokens.view })).body;
    const count = async () => (await list()).versions.length;
    await versionsBy(suite.server.wsUrl, fx, [['Ana', GOOD], ['Vandal', SPAM]], count);
    // Ben adds a line of his own after the vandal (not replacing anything).
    const before = await count();
    const ben = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    try {
      ben.provider.awareness.setLocalStateField('user', { name: 'Ben', color: '#0550ae' });
      await waitForSync(ben);
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(LATER)]);
      ben.doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
      await poll(async () => (await count()) > before, 10_000, 'Ben’s version listed');
    } finally {
      ben.destroy();
    }
    const minutes = () => fetch(`${url}/api/sessions/${fx.session.id}/minutes?format=md`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } }).then((r) => r.text());

    // A note-taker's link offers no such thing; the moderator's does, for the people who wrote after the version shown.
    const kim = await newActor(suite.browser, 'Kim');
    suite.actors.push(kim);
    await kim.page.goto(sessionUrl(url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit, '/history'));
    await kim.page.getByTestId('history-slider').waitFor();
    expect(await kim.page.getByTestId('history-revert').count()).toBe(0);
    const mod = await newActor(suite.browser, 'Mona');
    suite.actors.push(mod);
    await mod.page.goto(sessionUrl(url, fx.event.event.slug, fx.session.id, fx.event.tokens.moderate, '/history'));
    const slider = mod.page.getByTestId('history-slider');
    await slider.waitFor();
    await slider.focus();
    await stepBackTo(mod.page, GOOD, 'the version before the vandal');
    const who = mod.page.getByTestId('history-revert-who');
    await poll(async () => (await who.count()) === 1, 10_000, 'the undo offered');
    expect((await who.locator('option').allInnerTexts()).sort()).toEqual(['Ben', 'Vandal']);
    await who.selectOption('Vandal');
    await mod.page.getByTestId('history-revert-button').click();
    const dialog = mod.page.getByTestId('history-revert-confirm');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Vandal');
    // Cancel first: nothing changes.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await minutes()).toContain(SPAM);
    await mod.page.getByTestId('history-revert-button').click();
    await dialog.getByRole('button', { name: 'Undo Vandal’s changes' }).click();
    await poll(async () => {
      const md = await minutes();
      return md.includes(GOOD) && md.includes(LATER) && !md.includes(SPAM);
    }, 10_000, 'the vandal undone, Ana’s line back, Ben’s line kept');
    await poll(async () => /Vandal/.test(await mod.page.getByTestId('history-notice').innerText().catch(() => '')), 10_000, 'the notice says whose changes went');
  });

  it('restoring a whole version asks first, says what happens to everyone, and Cancel changes nothing', async () => {
    suite.server = await startAppServer();
    const { url } = suite.server;
    const fx = await createEventWithSession(url, 'E2E history restore');
    const OLD = 'Decision: keep the old quota';
    const NEW = 'Decision: double the quota';
    const list = async () => (await api<{ versions: unknown[]; latest: number }>(url, 'GET', `/api/sessions/${fx.session.id}/history`, { token: fx.event.tokens.view })).body;
    await versionsBy(suite.server.wsUrl, fx, [['Ana', OLD], ['Ben', NEW]], async () => (await list()).versions.length);
    const minutes = () => fetch(`${url}/api/sessions/${fx.session.id}/minutes?format=md`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } }).then((r) => r.text());
    const kim = await newActor(suite.browser, 'Kim');
    suite.actors.push(kim);
    await kim.page.goto(sessionUrl(url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit, '/history'));
    const slider = kim.page.getByTestId('history-slider');
    await slider.waitFor();
    await poll(async () => (await kim.page.getByTestId('version-view').innerText()).includes(NEW), 10_000, 'the newest version first');
    await slider.focus();
    await stepBackTo(kim.page, OLD, 'the version with the old decision');
    const rev = Number(/Version (\d+)/.exec(await kim.page.getByTestId('history-position').innerText())![1]);
    const before = await list();

    // The click asks first, and says what happens: everyone's notes, and how to undo it.
    await kim.page.getByTestId('history-restore').click();
    const dialog = kim.page.getByTestId('history-restore-confirm');
    await dialog.waitFor({ state: 'visible' });
    const said = await dialog.innerText();
    expect(said).toContain(`Restore version ${rev} for everyone?`);
    expect(said).toMatch(/Everyone.s notes become version \d+/);
    expect(said).toContain(`restoring version ${before.latest} undoes it`);
    // Cancel: no dialog, no new version, the notes unchanged.
    await dialog.getByTestId('confirm-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await kim.page.getByTestId('history-notice').count()).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await list()).toEqual(before);
    expect(await minutes()).toContain(NEW);
    expect(await minutes()).not.toContain(OLD);
    // Escape says no too.
    await kim.page.getByTestId('history-restore').click();
    await dialog.waitFor({ state: 'visible' });
    await kim.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await list()).latest).toBe(before.latest);

    // Confirmed: the restore happens, as a new version.
    await kim.page.getByTestId('history-restore').click();
    await dialog.getByTestId('confirm-ok').click();
    await poll(async () => (await kim.page.getByTestId('history-notice').count()) > 0, 10_000, 'restore notice');
    await poll(async () => (await minutes()).includes(OLD), 10_000, 'the old decision restored');
    expect((await list()).latest).toBeGreaterThan(before.latest);
  });

  it('in Japanese, the restore question is in Japanese', async () => {
    suite.server = await startAppServer();
    const fx = await createEventWithSession(suite.server.url, 'E2E history restore ja');
    const writer = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    try {
      writer.provider.awareness.setLocalStateField('user', { name: '佐藤', color: '#1a7f37' });
      await waitForSync(writer);
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('議事録')]);
      writer.doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
      await poll(async () => (await api<{ versions: unknown[] }>(suite.server.url, 'GET', `/api/sessions/${fx.session.id}/history`, { token: fx.event.tokens.view })).body.versions.length >= 2, 10_000, 'two versions');
    } finally {
      writer.destroy();
    }
    const mod = await newActor(suite.browser, 'モデレーター', { lang: 'ja' });
    suite.actors.push(mod);
    await mod.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.moderate, '/history'));
    const slider = mod.page.getByTestId('history-slider');
    await slider.waitFor();
    await poll(async () => (await mod.page.getByTestId('history-position').innerText()).includes('佐藤'), 10_000, 'the newest version');
    await slider.focus();
    await mod.page.keyboard.press('Home');
    await poll(async () => !(await mod.page.getByTestId('history-restore').isDisabled()), 5000, 'restore offered');
    await mod.page.getByTestId('history-restore').click();
    const dialog = mod.page.getByTestId('history-restore-confirm');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.innerText()).toContain('全員のメモ');
    await dialog.getByTestId('confirm-cancel').click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('the session page remembers what this device saw, so History offers “what I saw last” without History opened before', async () => {
    suite.server = await startAppServer();
    const { url } = suite.server;
    const fx = await createEventWithSession(url, 'E2E history seen');
    const SEEN = 'Ana wrote this before leaving';
    const AWAY = 'Ben added this while Ana was away';
    const list = async () => (await api<{ versions: unknown[]; latest: number }>(url, 'GET', `/api/sessions/${fx.session.id}/history`, { token: fx.event.tokens.view })).body;
    const ana = await newActor(suite.browser, 'Ana');
    suite.actors.push(ana);
    const key = `roundtable:history:seen:${fx.session.id}`;
    await ana.page.goto(sessionUrl(url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(ana.page).waitFor({ state: 'visible' });
    await typeAtEnd(ana.page, SEEN);
    await poll(async () => /saved/i.test(await ana.page.getByTestId('status').innerText()), 10_000, 'Ana saved');
    // Not per keystroke: when she leaves the page (here for the event page, inside the app) it asks which version it showed.
    expect(await ana.page.evaluate((k) => localStorage.getItem(k), key)).toBeNull();
    await ana.page.locator(`a[href="/e/${fx.event.event.slug}"]`).first().click();
    let seen = 0;
    await poll(async () => {
      seen = Number(await ana.page.evaluate((k) => localStorage.getItem(k), key));
      return seen > 0 && seen === (await list()).latest;
    }, 10_000, 'the session page remembered the version it showed');

    // Ben writes while Ana is away.
    const before = (await list()).versions.length;
    const ben = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
    try {
      ben.provider.awareness.setLocalStateField('user', { name: 'Ben', color: '#0550ae' });
      await waitForSync(ben);
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(AWAY)]);
      ben.doc.getXmlFragment(NOTES_FRAGMENT).push([p]);
      await poll(async () => (await list()).versions.length > before, 10_000, 'Ben’s version listed');
    } finally {
      ben.destroy();
    }

    // Ana opens History for the first time: "what I saw last" is offered, and shows Ben's line as new.
    await ana.page.goto(sessionUrl(url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit, '/history'));
    const compare = ana.page.getByTestId('history-compare');
    await compare.waitFor();
    expect(await compare.locator('option[value="seen"]').innerText()).toContain(`version ${seen}`);
    await compare.selectOption('seen');
    const view = ana.page.getByTestId('version-view');
    await poll(async () => (await view.locator('ins.change-inserted').allInnerTexts()).join(' ').includes(AWAY), 10_000, 'Ben’s line marked as added since');
    expect(await view.locator('ins.change-inserted').allInnerTexts()).not.toContain(SEEN);
  });
});
