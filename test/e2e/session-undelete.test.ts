import { describe, expect, it } from 'vitest';
import { api, createEventWithSession } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { caretToEnd, editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer } from './harness.js';

/**
 * A moderator deletes a session by mistake while people write in it and the
 * projector shows it, then presses Undo: the open pages come back by
 * themselves, with nothing typed lost.
 */
describe('a deleted session that is brought back (Undo)', () => {
  const suite = browserSuite();

  it('the projector says the session was removed; after Undo the note-taker and the projector reconnect without a reload and keep every keystroke', async () => {
    suite.server = await startAppServer();
    const fx = await createEventWithSession(suite.server.url, 'E2E undelete');
    const url = (token: string, suffix = '') => sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, token, suffix);
    const ann = await newActor(suite.browser, 'Ann');
    const proj = await newActor(suite.browser, 'Projector', { viewport: { width: 1920, height: 1080 } });
    suite.actors.push(ann, proj);
    await ann.page.goto(url(fx.event.tokens.edit));
    await proj.page.goto(url(fx.event.tokens.view, '/present'));
    await editorOf(ann.page).waitFor({ state: 'visible' });
    await proj.page.getByTestId('projector').waitFor();
    await poll(async () => (await ann.page.getByTestId('status').getAttribute('data-status')) === 'saved', 15_000, 'Ann saved');

    // Ann types while the moderator deletes the session.
    const typing = typeAtEnd(ann.page, 'Ann types while the session is deleted by mistake', { delay: 40 }).catch(() => undefined);
    await poll(async () => (await editorOf(ann.page).innerText()).includes('Ann types while'), 10_000, 'Ann is typing');
    expect((await api(suite.server.url, 'DELETE', `/api/sessions/${fx.session.id}`, { token: fx.event.tokens.moderate })).status).toBe(204);
    await typing;

    // The projector says so in words instead of "Loading…" forever.
    await proj.page.getByTestId('projector-gone').waitFor({ timeout: 10_000 });
    // Room-sized, in the projector's look: which event, which session went, and that the screen comes back by itself.
    const gone = await proj.page.getByTestId('projector-gone').innerText();
    expect(gone).toContain('E2E undelete');
    expect(gone).toContain('“Session one” was removed from the schedule');
    expect(gone).toMatch(/undoes the removal, the notes come back here by themselves/);
    expect(await proj.page.locator('.projector [data-testid="projector-gone"] h1').evaluate((h) => parseFloat(getComputedStyle(h).fontSize))).toBeGreaterThan(48);
    // Ann's page stays, read-only: the notes as they were, and the banner that says why, with the way back to the event.
    const banner = ann.page.getByTestId('connection-banner');
    await poll(async () => (await banner.getAttribute('data-kind').catch(() => null)) === 'gone', 10_000, 'Ann told the session is gone');
    const bannerText = await banner.innerText();
    expect(bannerText).toContain('This session no longer exists');
    expect(bannerText).toContain('If it is restored, this page comes back by itself');
    expect(await banner.getByTestId('gone-back').getAttribute('href')).toBe(`/e/${fx.event.event.slug}`);
    expect(await banner.getByTestId('gone-back').innerText()).toContain('E2E undelete');
    expect(await editorOf(ann.page).innerText()).toContain('Ann types while');
    expect(await ann.page.getByTestId('session-title').innerText()).toBe('Session one');
    await poll(async () => (await editorOf(ann.page).getAttribute('contenteditable')) === 'false', 5000, 'Ann’s editor read-only');
    await poll(async () => (await ann.page.getByTestId('status').getAttribute('data-status')) === 'gone', 10_000, 'Ann’s notes connection closed (4404)');
    // Keys typed now change nothing.
    const frozen = await editorOf(ann.page).innerText();
    await ann.page.keyboard.type('lost', { delay: 10 });
    expect(await editorOf(ann.page).innerText()).toBe(frozen);

    expect((await api(suite.server.url, 'POST', `/api/sessions/${fx.session.id}/undelete`, { token: fx.event.tokens.moderate })).status).toBe(200);

    // Both pages come back by themselves, quickly: the event stream announces the session.
    await proj.page.getByTestId('projector-scroller').waitFor({ timeout: 8000 });
    await poll(async () => (await proj.page.getByTestId('connection-banner').count()) === 0, 8000, 'projector banner gone');
    await editorOf(ann.page).waitFor({ state: 'visible', timeout: 8000 });
    await poll(async () => (await ann.page.getByTestId('status').getAttribute('data-status')) === 'saved', 8000, 'Ann saved again');
    expect(await ann.page.getByTestId('connection-banner').count()).toBe(0);
    expect(await editorOf(ann.page).getAttribute('contenteditable')).toBe('true');

    // What Ann's page shows is what the server holds, and it can be written to again: the caret is back in the
    // editor, as it was when the session went, so her next keystrokes land without a click.
    await poll(async () => ann.page.evaluate(() => document.activeElement?.classList.contains('ProseMirror') ?? false), 5000, 'focus back in Ann’s editor');
    await caretToEnd(ann.page, 'Control+End', null);
    await ann.page.keyboard.type(' and back.', { delay: 20 });
    await poll(async () => (await ann.page.getByTestId('status').getAttribute('data-status')) === 'saved', 8000, 'Ann saved after Undo');
    const annText = await editorOf(ann.page).innerText();
    const annLine = annText.split('\n').find((l) => l.includes('Ann types')) ?? annText;
    expect(annLine).toMatch(/^Ann types while.* and back\.$/);
    const reader = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(reader);
    await waitFor(() => notesText(reader.doc).includes(annLine), 5000, 'server holds Ann’s line');
    reader.destroy();
    await poll(async () => (await proj.page.getByTestId('projector-scroller').innerText()).includes(annLine), 8000, 'projector shows Ann’s line');
  });

  it('a page that cannot hear the event stream still comes back by itself: it looks again every few seconds, backing off', async () => {
    suite.server = await startAppServer();
    const fx = await createEventWithSession(suite.server.url, 'E2E undelete without stream');
    const ann = await newActor(suite.browser, 'Ann');
    suite.actors.push(ann);
    // No event stream for this page: only the notes connection can find out the session is back.
    await ann.page.route('**/api/events/*/stream', (route) => route.abort());
    await ann.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(ann.page).waitFor({ state: 'visible' });
    await typeAtEnd(ann.page, 'Written before the delete', { delay: 10 });
    await poll(async () => (await ann.page.getByTestId('status').getAttribute('data-status')) === 'saved', 15_000, 'Ann saved');

    expect((await api(suite.server.url, 'DELETE', `/api/sessions/${fx.session.id}`, { token: fx.event.tokens.moderate })).status).toBe(204);
    await poll(async () => (await ann.page.getByTestId('status').getAttribute('data-status')) === 'gone', 10_000, 'Ann sees the session is gone');
    // Still gone a while later: the looks in between are refused again and change nothing on the page.
    await new Promise((r) => setTimeout(r, 6000));
    expect(await ann.page.getByTestId('status').getAttribute('data-status')).toBe('gone');
    expect(await ann.page.getByTestId('connection-banner').getAttribute('data-kind')).toBe('gone');

    expect((await api(suite.server.url, 'POST', `/api/sessions/${fx.session.id}/undelete`, { token: fx.event.tokens.moderate })).status).toBe(200);
    await poll(async () => (await ann.page.getByTestId('status').getAttribute('data-status')) === 'saved', 25_000, 'Ann back without the stream');
    expect(await ann.page.getByTestId('connection-banner').count()).toBe(0);
    expect(await editorOf(ann.page).getAttribute('contenteditable')).toBe('true');
  });
});
