import { describe, expect, it } from 'vitest';
import { api, createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { caretToEnd, editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

/** Generous: other test suites may share the machine's two cores. */
const WAIT = 30_000;

describe('action items across browsers', () => {
  const suite = browserSuite();
  let fx: Fixture;

  async function actor(name: string, url: string, lang: 'en' | 'ja' = 'en'): Promise<Actor> {
    const a = await newActor(suite.browser, name, { lang });
    suite.actors.push(a);
    await a.page.goto(url);
    return a;
  }

  it('an ACTION line typed by one note-taker shows in a second browser’s panel and on the event board; the board’s toggle reaches the editor', { timeout: 240_000 }, async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E action items');
    const session = sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit);
    const ana = await actor('Ana', session);
    const ben = await actor('Ben', session, 'ja');
    const dana = await actor('Dana', `${suite.server.url}/e/${fx.event.event.slug}/actions#k=${fx.event.tokens.edit}`);
    await editorOf(ana.page).waitFor({ state: 'visible' });
    await editorOf(ben.page).waitFor({ state: 'visible' });
    await dana.page.getByTestId('action-board').waitFor({ state: 'visible' });

    await typeAtEnd(ana.page, 'ACTION: @dana send the summary by 2016-05-17');

    // Ben's side panel (in Japanese) lists it as written, owner and due date included, once (issue 17: no chips repeating them).
    const benItem = ben.page.getByTestId('panel-item').filter({ hasText: 'send the summary' });
    await poll(async () => (await benItem.count()) === 1 && (await benItem.innerText()).includes('2016-05-17'), WAIT, 'Ben’s panel shows the item');
    expect((await benItem.innerText()).trim()).toBe('@dana send the summary by 2016-05-17');
    expect(await benItem.locator('.chip').count()).toBe(0);
    // …and his editor marks the block with the same chips.
    const benBlock = editorOf(ben.page).locator('p.action-item', { hasText: 'send the summary' });
    await poll(async () => (await benBlock.locator('.action-chips .chip-owner').count()) === 1, WAIT, 'chips in Ben’s editor');
    expect(await benBlock.locator('.action-chips').innerText()).toContain('2016-05-17');

    // The event board shows it with owner, due date and session.
    const boardItem = dana.page.getByTestId('board-item').filter({ hasText: 'send the summary' });
    await poll(async () => (await boardItem.count()) === 1, WAIT, 'board shows the item');
    expect(await boardItem.locator('.chip-owner').allInnerTexts()).toEqual(['@dana']);
    expect(await boardItem.locator('.chip-due').innerText()).toContain('2016-05-17');
    expect(await boardItem.innerText()).toContain('Session one');

    // A checklist item typed as "[ ] " becomes a task; toggling it on the board ticks the box in Ana's editor.
    await typeAtEnd(ana.page, '[ ] @ben share the configs');
    const boardTask = dana.page.getByTestId('board-item').filter({ hasText: 'share the configs' });
    await poll(async () => (await boardTask.count()) === 1, WAIT, 'board shows the task');
    await boardTask.locator('input[type=checkbox]').check();
    const anaTask = editorOf(ana.page).locator('li[data-checked]', { hasText: 'share the configs' });
    await poll(async () => (await anaTask.getAttribute('data-checked')) === 'true', WAIT, 'checkbox ticked in Ana’s editor');
    await poll(async () => (await ben.page.getByTestId('panel-item').filter({ hasText: 'share the configs' }).locator('input[type=checkbox]').isChecked()), WAIT, 'Ben’s panel follows');

    // The paragraph item's state reaches the editor too (its highlight turns to done), and back.
    await boardItem.locator('input[type=checkbox]').check();
    const anaBlock = editorOf(ana.page).locator('p.action-item', { hasText: 'send the summary' });
    await poll(async () => (await anaBlock.getAttribute('class'))?.includes('action-done') ?? false, WAIT, 'done in Ana’s editor');
    await boardItem.locator('input[type=checkbox]').uncheck();
    await poll(async () => (await anaBlock.getAttribute('class'))?.includes('action-open') ?? false, WAIT, 'open again in Ana’s editor');

    // "My items" filters by the display name: Dana sees only hers.
    await dana.page.getByTestId('board-mine').click();
    await poll(async () => (await dana.page.getByTestId('board-item').count()) === 1, WAIT, 'my items');
    expect(await dana.page.getByTestId('board-item').innerText()).toContain('send the summary');
    // Her name is "Dana", the item's owner "@dana": one owner in the list, and it is the one selected.
    const ownerOptions = await dana.page.getByTestId('board-owner').locator('option').allInnerTexts();
    expect(ownerOptions.filter((o) => /dana/i.test(o))).toEqual(['@dana']);
    expect(await dana.page.getByTestId('board-owner').inputValue()).toBe('dana');
    await dana.page.getByTestId('board-mine').click();

    // A session's tags are its working groups: the board offers them and the filter lists the session's items.
    await api(suite.server.url, 'PATCH', `/api/sessions/${fx.session.id}`, { token: fx.event.tokens.moderate, body: { tags: ['nfv-telco'] } });
    const tagChoice = dana.page.getByTestId('board-tag').locator('option[value="nfv-telco"]');
    await poll(async () => (await tagChoice.count()) === 1, WAIT, 'the session tag is a choice');
    await dana.page.getByTestId('board-tag').selectOption('nfv-telco');
    await poll(async () => (await dana.page.getByTestId('board-item').count()) === 2, WAIT, 'both items of the tagged session');

    // An item's session link opens the notes at its line, marked as a search result's is.
    await boardItem.getByTestId('board-item-link').click();
    await editorOf(dana.page).waitFor({ state: 'visible' });
    const target = dana.page.getByTestId('search-target');
    await target.waitFor({ state: 'attached', timeout: WAIT });
    const danaBlock = editorOf(dana.page).locator('p.action-item', { hasText: 'send the summary' });
    const [box, line] = await Promise.all([target.boundingBox(), danaBlock.boundingBox()]);
    expect(box && line && Math.abs(box.y - line.y) < 12).toBe(true);
    await dana.page.goBack();
    await dana.page.getByTestId('action-board').waitFor({ state: 'visible' });

    // Someone who never took notes on this device has no name yet: My items asks for it, then filters.
    const eve = await newActor(suite.browser, 'Eve');
    suite.actors.push(eve);
    await eve.context.addInitScript(() => localStorage.removeItem('roundtable:name'));
    await eve.page.goto(`${suite.server.url}/e/${fx.event.event.slug}/actions#k=${fx.event.tokens.view}`);
    await poll(async () => (await eve.page.getByTestId('board-item').count()) === 2, WAIT, 'Eve sees both items');
    await eve.page.getByTestId('board-mine').click();
    await eve.page.getByTestId('name-dialog').waitFor();
    expect(await eve.page.getByRole('dialog').getAttribute('aria-labelledby')).toBeTruthy();
    await eve.page.getByTestId('name-input').fill('Ben');
    await eve.page.getByTestId('name-submit').click();
    await poll(async () => (await eve.page.getByTestId('board-item').count()) === 1, WAIT, 'Eve’s (Ben’s) items');
    expect(await eve.page.getByTestId('board-item').innerText()).toContain('share the configs');
    expect(await eve.page.evaluate(() => localStorage.getItem('roundtable:name'))).toBe('Ben');

    // Clicking an item in the panel scrolls the editor to its block.
    await ben.page.getByTestId('panel-item').filter({ hasText: 'send the summary' }).locator('button').click();
    await poll(async () => benBlock.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }), WAIT, 'block in view');
  });

  it('the server tags a line while a Japanese IME composition is open in it; the composition is committed once, not twice', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E IME');
    const hana = await actor('Hana', sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit), 'ja');
    await poll(async () => (await editorOf(hana.page).innerText()).includes('Action items'), WAIT, 'notes loaded');
    await editorOf(hana.page).click();
    await caretToEnd(hana.page, 'Control+End', null);
    await hana.page.keyboard.press('Enter');
    // Chromium's IME, driven through the DevTools protocol: committed text, then an open composition.
    const ime = await hana.context.newCDPSession(hana.page);
    await ime.send('Input.insertText', { text: '宿題：@はな ' });
    for (const reading of ['し', 'しり', 'しりょ', 'しりょう']) {
      await ime.send('Input.imeSetComposition', { text: reading, selectionStart: reading.length, selectionEnd: reading.length });
    }
    const line = editorOf(hana.page).locator('p', { hasText: '宿題' });
    // The server's mark arrives while the reading is still being composed.
    await poll(async () => (await line.getAttribute('data-action-item-id')) !== null, WAIT, 'tagged during the composition');
    await ime.send('Input.imeSetComposition', { text: '資料', selectionStart: 2, selectionEnd: 2 });
    await ime.send('Input.insertText', { text: '資料' });
    await ime.send('Input.insertText', { text: 'を共有' });
    const api = () =>
      fetch(`${suite.server.url}/api/sessions/${fx.session.id}/action-items`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } }).then((r) => r.json() as Promise<{ items: { text: string }[] }>);
    await poll(async () => (await api()).items[0]?.text === '@はな 資料を共有', WAIT, 'index has the committed text');
    // The chips sit in the same paragraph; the text itself has no stray reading.
    expect(await line.evaluate((p) => [...p.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(''))).toBe('宿題：@はな 資料を共有');
  });

  it('a view link sees the marks and chips but cannot toggle; a moderator carries open items forward', { timeout: 180_000 }, async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E carry forward');
    const followUp = await fetch(`${suite.server.url}/api/events/${fx.event.event.id}/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fx.event.tokens.moderate}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Follow-up meeting', startsAt: '2016-05-10T15:00:00Z' }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    const ana = await actor('Ana', sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(ana.page).waitFor({ state: 'visible' });
    await typeAtEnd(ana.page, '宿題：@はな 議事録を共有（期限：6月15日）');

    const reader = await actor('Reader', sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.view), 'ja');
    const readerBlock = editorOf(reader.page).locator('p.action-item', { hasText: '議事録を共有' });
    await poll(async () => (await readerBlock.locator('.action-chips .chip-owner').count()) === 1, WAIT, 'reader sees chips');
    // The year comes from the session's date (25 April 2016), as in the index.
    expect(await readerBlock.locator('.chip-due').innerText()).toBe('期限 2016-06-15');
    const readerItem = reader.page.getByTestId('panel-item').filter({ hasText: '議事録を共有' });
    await poll(async () => (await readerItem.count()) === 1, WAIT, 'reader’s panel');
    expect(await readerItem.locator('input[type=checkbox]').isDisabled()).toBe(true);

    const mod = await actor('Mod', sessionUrl(suite.server.url, fx.event.event.slug, followUp.id, fx.event.tokens.moderate));
    await editorOf(mod.page).waitFor({ state: 'visible' });
    await mod.page.getByTestId('carry-from').selectOption(fx.session.id);
    await mod.page.getByTestId('carry-submit').click();
    await poll(async () => (await mod.page.getByTestId('moderator-controls').innerText()).includes('Open items copied: 1'), WAIT, 'copied');
    const copied = editorOf(mod.page).locator('li[data-checked]', { hasText: '議事録を共有' });
    await poll(async () => (await copied.count()) === 1, WAIT, 'copy in the follow-up notes');
    expect(await editorOf(mod.page).innerText()).toContain('Carried forward from “Session one”');
    // Ticking the copy closes the original, which Ana sees in her panel.
    await copied.locator('input[type=checkbox]').check();
    await poll(async () => ana.page.getByTestId('panel-item').filter({ hasText: '議事録を共有' }).locator('input[type=checkbox]').isChecked(), WAIT, 'original closed');
  });

  /** The session's items as the server has them: text → status. */
  async function serverStatus(sessionId: string): Promise<Record<string, string>> {
    const r = await api<{ items: { id: string; text: string; status: string }[] }>(suite.server.url, 'GET', `/api/sessions/${sessionId}/action-items`, { token: fx.event.tokens.view });
    return Object.fromEntries(r.body.items.map((i) => [i.text, i.status]));
  }

  it('a tick in the side panel that cannot reach the server is taken back; back online the panel agrees with the server and the error goes', { timeout: 180_000 }, async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E offline panel tick');
    const ann = await actor('Ann', sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(ann.page).waitFor({ state: 'visible' });
    await typeAtEnd(ann.page, 'ACTION: @ann review the upgrade doc');
    await typeAtEnd(ann.page, 'ACTION: @hana translate the summary');
    const panel = ann.page.getByTestId('action-panel');
    const item = panel.getByTestId('panel-item').filter({ hasText: 'review the upgrade doc' });
    const other = panel.getByTestId('panel-item').filter({ hasText: 'translate the summary' });
    const box = item.locator('input[type=checkbox]');
    const count = panel.locator('h2 .count');
    await poll(async () => (await panel.getByTestId('panel-item').count()) === 2, WAIT, 'both items in the panel');
    expect(await count.innerText()).toBe('2');

    await ann.context.setOffline(true);
    await box.click();
    const alert = panel.getByRole('alert');
    await poll(async () => (await alert.count()) === 1, WAIT, 'the failure is shown');
    expect(await alert.innerText()).toContain('Cannot reach the server');
    // The optimistic tick is taken back: box, strike-through and open count as before.
    await poll(async () => !(await box.isChecked()), WAIT, 'the tick is taken back');
    expect(await item.getAttribute('class')).toContain('action-open');
    expect(await count.innerText()).toBe('2');

    // Meanwhile someone else closes the other item: Ann's panel learns of it once she is back.
    const ids = await api<{ items: { id: string; text: string }[] }>(suite.server.url, 'GET', `/api/sessions/${fx.session.id}/action-items`, { token: fx.event.tokens.view });
    const otherId = ids.body.items.find((i) => i.text.includes('translate the summary'))!.id;
    expect((await api(suite.server.url, 'PATCH', `/api/action-items/${otherId}`, { token: fx.event.tokens.edit, body: { status: 'done' } })).status).toBe(200);

    await ann.context.setOffline(false);
    await poll(async () => other.locator('input[type=checkbox]').isChecked(), WAIT, 'the panel re-syncs after reconnecting');
    await poll(async () => (await alert.count()) === 0, WAIT, 'the error goes once back online');
    expect(await box.isChecked()).toBe(false);
    expect(await count.innerText()).toBe('1');
    expect(await serverStatus(fx.session.id)).toEqual({ '@ann review the upgrade doc': 'open', '@hana translate the summary': 'done' });

    // Online, the same tick works and stays.
    await box.click();
    await poll(async () => (await serverStatus(fx.session.id))['@ann review the upgrade doc'] === 'done', WAIT, 'tick stored');
    await poll(async () => (await count.innerText()) === '0', WAIT, 'open count follows');
    expect(await box.isChecked()).toBe(true);
    expect(await alert.count()).toBe(0);
  });

  it('a tick in the notes that cannot reach the server is taken back, and its error goes once the connection is back', { timeout: 180_000 }, async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E offline inline tick');
    const ann = await actor('Ann', sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(ann.page).waitFor({ state: 'visible' });
    await typeAtEnd(ann.page, 'ACTION: @ann first thing');
    const line = editorOf(ann.page).locator('p.action-item', { hasText: 'first thing' });
    await poll(async () => (await line.getAttribute('data-action-status')) === 'open', WAIT, 'tagged');
    await line.getByTestId('action-tick').waitFor();

    await ann.context.setOffline(true);
    await line.getByTestId('action-tick').click();
    const failed = ann.page.getByText('Could not save. Try again.');
    await poll(async () => (await failed.count()) === 1, WAIT, 'the failure is shown');
    await poll(async () => (await line.getAttribute('data-action-status')) === 'open', WAIT, 'still open in the notes');

    await ann.context.setOffline(false);
    await poll(async () => (await failed.count()) === 0, WAIT, 'the error goes once the connection is back');
    await poll(async () => (await ann.page.getByTestId('status').innerText()).includes('Saved'), WAIT, 'saved again');
    expect(await serverStatus(fx.session.id)).toEqual({ '@ann first thing': 'open' });

    // Online, the tick works.
    await line.getByTestId('action-tick').click();
    await poll(async () => (await line.getAttribute('data-action-status')) === 'done', WAIT, 'done in the notes');
    expect(await failed.count()).toBe(0);
  });
});
