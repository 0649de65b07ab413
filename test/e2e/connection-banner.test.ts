import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../shared/closeCodes.js';
import { api, createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { recordSockets, recordStatuses, socketLog, statusLog } from './connectionLog.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

const SHOT = process.env.RT_SCREENSHOTS;
const status = (page: Page) => page.getByTestId('status').getAttribute('data-status');
const banner = (page: Page) => page.getByTestId('connection-banner');

/** What an open editor does when the server ends its connection: a rotated link, damaged notes, a restart. */
describe('when the server ends the connection', () => {
  const suite = browserSuite();
  let fx: Fixture;

  async function open(name: string, token: string, lang: 'en' | 'ja' = 'en'): Promise<Actor> {
    const a = await newActor(suite.browser, name, { lang });
    suite.actors.push(a);
    await recordSockets(a.context);
    await recordStatuses(a.context);
    await a.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, token));
    await editorOf(a.page).waitFor();
    return a;
  }

  it('a rotated link (4409) turns the editor read-only at once, with a banner that takes the new link or a join code', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E rotated link');
    const ana = await open('Ana', fx.event.tokens.edit);
    const ben = await open('Ben', fx.event.tokens.edit, 'ja');
    await typeAtEnd(ana.page, 'written before the rotation');
    await poll(async () => (await status(ana.page)) === 'saved', 15_000, 'saved');

    const rotated = await api<{ link: string; token: string }>(suite.server.url, 'POST', `/api/events/${fx.event.event.id}/links/edit/rotate`, { token: fx.event.tokens.moderate });
    expect(rotated.status).toBe(200);
    await poll(async () => (await editorOf(ana.page).getAttribute('contenteditable')) === 'false', 10_000, 'Ana’s editor read-only');
    await banner(ana.page).waitFor();
    expect(await banner(ana.page).getAttribute('data-kind')).toBe('revoked');
    expect(await banner(ana.page).innerText()).toContain('A moderator replaced the link');
    expect(await banner(ben.page).innerText()).toContain('新しいリンク');
    if (SHOT) await ana.page.screenshot({ path: `screenshots/item4-rotated-${SHOT}.png` });
    // Typing does nothing: nothing can be typed that would never be saved.
    const before = await editorOf(ana.page).innerText();
    await editorOf(ana.page).click();
    await ana.page.keyboard.type('typed after the rotation');
    expect(await editorOf(ana.page).innerText()).toBe(before);
    expect((await socketLog(ana.page)).closes.map((c) => c.code)).toEqual([CLOSE_CODES.tokenRevoked]);

    // Something that is neither a link nor a code is refused in place.
    await ana.page.getByTestId('rejoin-input').fill('not a link');
    await ana.page.getByTestId('rejoin-submit').click();
    await poll(async () => (await banner(ana.page).innerText()).includes('neither a Roundtable link nor a join code'), 5000, 'refused input');

    // Ana pastes the new link: the page reloads with the new key, and she writes again.
    await ana.page.getByTestId('rejoin-input').fill(rotated.body.link);
    await ana.page.getByTestId('rejoin-submit').click();
    await poll(async () => ana.page.url().endsWith(`#k=${rotated.body.token}`), 10_000, 'new key in the address');
    await poll(async () => (await editorOf(ana.page).getAttribute('contenteditable').catch(() => null)) === 'true', 15_000, 'Ana can write again');
    expect(ana.page.url()).toContain(`/s/${fx.session.id}`);
    await typeAtEnd(ana.page, 'Ana is back with the new link');
    await poll(async () => (await status(ana.page)) === 'saved', 15_000, 'saved with the new link');

    // Ben types the join code read off the projector instead.
    const code = await api<{ code: string }>(suite.server.url, 'POST', `/api/sessions/${fx.session.id}/join-code`, { token: fx.event.tokens.moderate, body: { role: 'edit' } });
    expect(code.status).toBe(201);
    await ben.page.getByTestId('rejoin-input').fill(code.body.code.toLowerCase());
    await ben.page.getByTestId('rejoin-submit').click();
    await poll(async () => ben.page.url().endsWith(`#k=${rotated.body.token}`), 10_000, 'Ben redirected to the new link');
    await poll(async () => (await editorOf(ben.page).getAttribute('contenteditable').catch(() => null)) === 'true', 15_000, 'Ben can write again');
    await typeAtEnd(ben.page, 'ベンも新しいコードで戻りました');

    const check = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(check);
    await waitFor(() => notesText(check.doc).includes('ベンも新しいコードで戻りました'), 10_000, 'Ben’s edit stored');
    expect(notesText(check.doc)).toContain('Ana is back with the new link');
    expect(notesText(check.doc)).not.toContain('typed after the rotation');
    check.destroy();
  });

  it('damaged notes (4422) show the server’s reason, and the page comes back once as a reader so the notes stay readable', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E damaged notes');
    const ana = await open('Ana', fx.event.tokens.edit);
    await typeAtEnd(ana.page, 'Ana’s line');
    await poll(async () => (await status(ana.page)) === 'saved', 15_000, 'saved');

    suite.server.collab.closeSession(fx.session.id, CLOSE_CODES.documentDamaged, 'stored notes failed a consistency check');
    await banner(ana.page).waitFor();
    expect(await banner(ana.page).getAttribute('data-kind')).toBe('damaged');
    expect(await ana.page.getByTestId('banner-reason').innerText()).toContain('stored notes failed a consistency check');
    expect(await editorOf(ana.page).getAttribute('contenteditable')).toBe('false');
    // Once, as a reader: counted as one by the server.
    await poll(async () => (await socketLog(ana.page)).opens.length === 2, 10_000, 'reconnected');
    const { opens } = await socketLog(ana.page);
    expect(opens[0]).not.toContain('readonly=1');
    expect(opens[1]).toContain('readonly=1');
    await poll(() => suite.server.registry.get(fx.session.id)?.liveCounts().viewers === 1, 10_000, 'Ana counted as a reader');

    // The notes stay live and readable: an edit made elsewhere reaches her.
    const mo = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.moderate);
    await waitForSync(mo);
    appendParagraph(mo.doc, 'moderator restored a version');
    await poll(async () => (await editorOf(ana.page).innerText()).includes('moderator restored a version'), 10_000, 'live edit reaches the reader');
    mo.destroy();
    expect(await status(ana.page)).toBe('damaged');
    expect((await socketLog(ana.page)).closes.map((c) => c.code)).toEqual([CLOSE_CODES.documentDamaged]);
  });

  it('a graceful restart (1012) reconnects at once, with no Offline and no banner', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E restart');
    const ana = await open('Ana', fx.event.tokens.edit);
    await typeAtEnd(ana.page, 'before the restart');
    await poll(async () => (await status(ana.page)) === 'saved', 15_000, 'saved');

    suite.server.collab.closeSession(fx.session.id, CLOSE_CODES.serviceRestart, 'server restarting');
    await poll(async () => (await socketLog(ana.page)).opens.length === 2, 10_000, 'reconnected');
    await typeAtEnd(ana.page, 'after the restart');
    await poll(async () => (await status(ana.page)) === 'saved', 15_000, 'saved after the restart');
    expect(await statusLog(ana.page)).not.toContain('offline');
    expect(await banner(ana.page).count()).toBe(0);
    expect((await socketLog(ana.page)).closes.map((c) => c.code)).toEqual([CLOSE_CODES.serviceRestart]);
    const check = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(check);
    await waitFor(() => notesText(check.doc).includes('after the restart'), 10_000, 'stored');
    check.destroy();
  });
});
