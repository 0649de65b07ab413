import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ActionItemDto, SessionDto } from '../../shared/schemas.js';
import { apiClient, api, createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { caretToEnd, editorOf } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

const WAIT = 30_000;
const etherpad = (name: string) => fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/etherpad', name));

/** A paste the way Chromium delivers one from the clipboard: a ClipboardEvent carrying a DataTransfer. */
async function paste(page: Page, data: Record<string, string>): Promise<void> {
  await editorOf(page).click();
  await caretToEnd(page, 'Control+End', null);
  await page.keyboard.press('Enter');
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const [type, value] of Object.entries(items)) dt.setData(type, value);
    document.querySelector('[data-testid="editor"] .ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, data);
}

/** The notes' HTML as a browser renders them, without other people's carets. */
const notesHtml = (page: Page) =>
  page.evaluate(() => {
    const pm = document.querySelector('[data-testid="editor"] .ProseMirror')!.cloneNode(true) as HTMLElement;
    for (const el of pm.querySelectorAll('.collaboration-carets__caret, .ProseMirror-widget, [contenteditable="false"]')) el.remove();
    return pm.innerHTML;
  });

describe('bringing notes people already have', () => {
  const suite = browserSuite();
  let fx: Fixture;

  async function open(name: string, url: string, opts: { lang?: 'en' | 'ja'; viewport?: { width: number; height: number } } = {}): Promise<Actor> {
    const a = await newActor(suite.browser, name, opts);
    suite.actors.push(a);
    await a.page.goto(url);
    return a;
  }
  const sessionPage = (token: string) => sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, token);

  it('pasted Markdown becomes headings, lists, tasks, links and code, in a second browser too; its action line is tagged', { timeout: 180_000 }, async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E paste');
    const ana = await open('Ana', sessionPage(fx.event.tokens.edit));
    const ben = await open('Ben', sessionPage(fx.event.tokens.edit));
    await editorOf(ana.page).waitFor({ state: 'visible' });
    await editorOf(ben.page).waitFor({ state: 'visible' });

    await paste(ana.page, {
      'text/plain': '## Pasted agenda\n- cells v2\n  - placement\n- [ ] @dana collect configs by 2016-06-01\n\nSee [the wiki](https://wiki.openstack.org/wiki/LDT) and `nova-manage`, not [this](javascript:alert(1)).',
    });
    await poll(async () => (await notesHtml(ben.page)).includes('Pasted agenda'), WAIT, 'Ben sees the paste');
    const ben2 = ben.page;
    await poll(async () => (await editorOf(ben2).locator('h2', { hasText: 'Pasted agenda' }).count()) === 1, WAIT, 'heading');
    expect(await editorOf(ben2).locator('ul:not([data-type]) > li ul > li', { hasText: 'placement' }).count()).toBe(1);
    expect(await editorOf(ben2).locator('ul[data-type="taskList"] > li', { hasText: '@dana collect configs' }).count()).toBe(1);
    expect(await editorOf(ben2).locator('a[href="https://wiki.openstack.org/wiki/LDT"]').innerText()).toBe('the wiki');
    expect(await editorOf(ben2).locator('code').innerText()).toBe('nova-manage');
    expect(await notesHtml(ben2)).not.toContain('javascript:');
    expect(await notesHtml(ben2)).not.toContain('## Pasted');
    // The server tagged the pasted task like a typed one: Ben's panel lists it.
    await poll(async () => (await ben2.getByTestId('panel-item').filter({ hasText: 'collect configs' }).count()) === 1, WAIT, 'tagged');
  });

  it('pasted HTML from a web page or Word keeps headings, lists and emphasis and drops colours, fonts, classes and styles', { timeout: 180_000 }, async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E paste html');
    const ana = await open('Ana', sessionPage(fx.event.tokens.edit));
    const ben = await open('Ben', sessionPage(fx.event.tokens.edit));
    await editorOf(ana.page).waitFor({ state: 'visible' });
    await editorOf(ben.page).waitFor({ state: 'visible' });
    const word = (level: number, text: string) =>
      `<p class=MsoListParagraph style='margin-left:.5in;text-indent:-.25in;mso-list:l0 level${level} lfo1;color:#c00000'><![if !supportLists]><span style='font-family:Symbol;mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span><![endif]>${text}</p>`;
    await paste(ana.page, {
      'text/plain': 'Web decisions\nKeep the WG\nCells',
      'text/html': `<meta charset="utf-8"><h3 class="page-title" style="color: rgb(200, 0, 0); font-family: Georgia">Web decisions</h3><p class="lead" style="font-size: 22px; background: yellow">Keep the <span style="font-weight: 700; color: blue">WG</span> <font color="red" face="Comic Sans MS">going</font></p>${word(1, 'Cells')}${word(2, 'Placement')}`,
    });
    await poll(async () => (await editorOf(ben.page).locator('h3', { hasText: 'Web decisions' }).count()) === 1, WAIT, 'Ben sees the pasted heading');
    await poll(async () => (await editorOf(ben.page).locator('li li', { hasText: 'Placement' }).count()) === 1, WAIT, 'Word list nested');
    expect(await editorOf(ben.page).locator('strong', { hasText: 'WG' }).count()).toBe(1);
    const html = await notesHtml(ben.page);
    for (const gone of ['style=', 'class="page-title"', 'lead', 'color', 'Georgia', 'Comic', 'mso-', 'Symbol', '·']) expect(html, gone).not.toContain(gone);
  });

  it('a paste larger than the server takes (60,000 lines; one 300,000-character line) is refused with a message, and typing after it still saves', { timeout: 180_000 }, async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E paste too large');
    const ana = await open('Ana', sessionPage(fx.event.tokens.edit));
    const ben = await open('Ben', sessionPage(fx.event.tokens.edit));
    await editorOf(ana.page).waitFor({ state: 'visible' });
    await editorOf(ben.page).waitFor({ state: 'visible' });
    const cases = [
      ['many lines', Array.from({ length: 60_000 }, (_, i) => `log line ${i} nova-compute ERROR something went wrong here`).join('\n'), /too large/],
      ['one line', `{"blob":"${'x'.repeat(300_000)}"}`, /longer than/],
    ] as const;
    for (const [what, text, message] of cases) {
      await paste(ana.page, { 'text/plain': text });
      const alert = ana.page.getByTestId('editor-too-large');
      await poll(async () => message.test(await alert.innerText().catch(() => '')), WAIT, `the refusal of ${what} is shown`);
      expect(await editorOf(ana.page).innerText()).not.toContain(what === 'many lines' ? 'log line 59999' : 'xxxxxxxxxx');
      const typed = `typed after the ${what}`;
      await ana.page.keyboard.type(typed);
      await poll(async () => (await editorOf(ben.page).innerText()).includes(typed), WAIT, `Ben gets what Ana typed after the ${what}`);
      await poll(async () => /saved/i.test(await ana.page.getByTestId('status').innerText()), WAIT, `Ana saved after the ${what}`);
    }
  });

  it('the import dialog previews an Etherpad export, then replaces the notes live for everyone', { timeout: 180_000 }, async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E import dialog');
    const ana = await open('Ana', sessionPage(fx.event.tokens.edit), { lang: 'ja' });
    const ben = await open('Ben', sessionPage(fx.event.tokens.edit));
    await editorOf(ben.page).waitFor({ state: 'visible' });
    await ana.page.getByTestId('open-notes-import').click();
    const dialog = ana.page.getByTestId('notes-import-dialog');
    await dialog.waitFor({ state: 'visible' });
    await ana.page.getByTestId('notes-import-file').setInputFiles({ name: 'AUS-ops-nova-scheduler.etherpad', mimeType: '', buffer: etherpad('AUS-ops-nova-scheduler.etherpad') });
    const preview = ana.page.getByTestId('notes-import-preview');
    await preview.waitFor({ state: 'visible', timeout: WAIT });
    expect(await preview.innerText()).toContain('Etherpad のエクスポート');
    expect(await preview.innerText()).toContain('アクションアイテム 3');
    expect(await preview.innerText()).toContain('書いた人: akiko, bruno');
    await ana.page.getByTestId('import-mode-replace').check();
    await ana.page.getByTestId('notes-import-apply').click();
    await dialog.waitFor({ state: 'hidden', timeout: WAIT });
    await poll(async () => (await editorOf(ben.page).locator('h1', { hasText: 'Nova Scheduler & Cells Feedback' }).count()) === 1, WAIT, 'Ben sees the import');
    expect(await editorOf(ben.page).locator('h2', { hasText: 'Attendees' }).count()).toBe(0);
    expect(await editorOf(ben.page).locator('pre code').innerText()).toBe('nova-manage cell_v2 list_cells\nopenstack resource provider list');
    await poll(async () => (await ben.page.getByTestId('panel-item').count()) === 3, WAIT, 'three items in Ben’s panel');
    const items = (await api<{ items: ActionItemDto[] }>(suite.server.url, 'GET', `/api/sessions/${fx.session.id}/action-items`, { token: fx.event.tokens.view })).body.items;
    expect(items.map((i) => i.owners[0]).sort()).toEqual(['akiko', 'bruno', 'bruno']);
  });

  it('(ja) a damaged .etherpad, alone or in a zip, is refused in Japanese; the parser\'s English is only a small detail line', { timeout: 180_000 }, async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E damaged');
    const damaged = Buffer.from('{"pad:x": {"atext": {"text": "Nova scheduler\\n", "attribs": "|1+f"}, "pool": {"numToAttrib": {}, "nextNum": 0}, "head": 0, "x": "unterminated');
    const mia = await open('Mia', sessionPage(fx.event.tokens.moderate), { lang: 'ja' });
    await mia.page.getByTestId('open-notes-import').click();
    await mia.page.getByTestId('notes-import-file').setInputFiles({ name: 'damaged.etherpad', mimeType: '', buffer: damaged });
    const error = mia.page.getByTestId('notes-import-error');
    await error.waitFor({ state: 'visible', timeout: WAIT });
    expect(await error.locator('p').first().innerText()).toBe('この .etherpad ファイルは壊れています（JSON として読めません）。Etherpad からもう一度エクスポートしてください。');
    const detail = error.getByTestId('notes-import-error-detail');
    expect(await detail.innerText()).toMatch(/^詳細（ファイルの読み取り結果）: .*JSON/);
    expect(await detail.locator('[lang="en"]').count()).toBe(1);
    await mia.page.screenshot({ path: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/notes-import-damaged-ja.png') });

    await mia.page.goto(`${suite.server.url}/e/${fx.event.event.slug}#k=${fx.event.tokens.moderate}`);
    await mia.page.getByTestId('open-pads-import').click();
    const zip = zipSync({ 'AUS-ops-nova-scheduler.etherpad': etherpad('AUS-ops-nova-scheduler.etherpad'), 'pads/broken.etherpad': new Uint8Array(damaged) });
    await mia.page.getByTestId('pads-import-file').setInputFiles({ name: 'pads.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
    const zipError = mia.page.getByTestId('notes-import-error');
    await zipError.waitFor({ state: 'visible', timeout: WAIT });
    expect(await zipError.locator('p').first().innerText()).toBe('何も取り込んでいません: zip 内の 1 個のファイルが取り込めません。');
    expect(await zipError.locator('li').allInnerTexts()).toEqual(['pads/broken.etherpad: この .etherpad ファイルは壊れています（JSON として読めません）。Etherpad からもう一度エクスポートしてください。']);
    expect(await zipError.innerText()).not.toMatch(/cannot|not valid|file\(s\)/);

    // Files that go into no session say why in Japanese too.
    const others = zipSync({ 'notes.txt': strToU8('hello'), 'photo.png': new Uint8Array([137, 80, 78, 71]) });
    await mia.page.getByTestId('pads-import-file').setInputFiles({ name: 'other.zip', mimeType: 'application/zip', buffer: Buffer.from(others) });
    const unmatched = mia.page.getByTestId('pads-import-unmatched');
    await unmatched.waitFor({ state: 'visible', timeout: WAIT });
    expect((await unmatched.locator('li').allInnerTexts()).sort()).toEqual(['notes.txt: このタイトルのセッションがありません', 'photo.png: メモのファイルではありません（.etherpad・.html・.md・.txt）']);
  });

  it('a moderator imports a zip of pads for the whole event after a preview of which file goes where', { timeout: 180_000 }, async () => {
    suite.server = await startAppServer();
    const ev = (await apiClient(suite.server.url).createEvent({ title: 'E2E pads', timezone: 'America/Chicago' }));
    const add = async (title: string) => (await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title } })).body;
    const ldt = await add('Large Deployments Team');
    await add('Nova Scheduler & Cells Feedback');
    await add('Scientific WG');
    const mod = await open('Mo', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`);
    await mod.page.getByTestId('open-pads-import').click();
    const zip = zipSync({ 'AUS-ops-large-deployments.etherpad': etherpad('large-deployments.etherpad'), 'AUS-ops-nova-scheduler.etherpad': etherpad('AUS-ops-nova-scheduler.etherpad'), 'notes.txt': strToU8('hello') });
    await mod.page.getByTestId('pads-import-file').setInputFiles({ name: 'pads.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
    const preview = mod.page.getByTestId('pads-import-preview');
    await preview.waitFor({ state: 'visible', timeout: WAIT });
    const text = await preview.innerText();
    expect(text).toContain('2 files match a session · 1 match nothing · 1 sessions get nothing');
    expect(text).toMatch(/AUS-ops-large-deployments\.etherpad\s+Large Deployments Team\s+2/);
    expect(await mod.page.getByTestId('pads-import-unmatched').innerText()).toContain('notes.txt: no session has this title');
    await mod.page.getByTestId('pads-import-apply').click();
    await mod.page.getByTestId('pads-import-done').waitFor({ state: 'visible', timeout: WAIT });
    expect(await mod.page.getByTestId('pads-import-done').innerText()).toContain('Imported 2 files.');
    const reader = await open('Reader', sessionUrl(suite.server.url, ev.event.slug, ldt.id, ev.tokens.view));
    await poll(async () => (await editorOf(reader.page).innerText()).includes('Large Deployments Team (moderator: dana)'), WAIT, 'imported notes readable');
  });
});
