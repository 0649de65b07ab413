import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { strFromU8, unzipSync } from 'fflate';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventWithSession, type Fixture, type TestServer } from '../helpers/testServer.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { launchBrowser, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';


/** Opens the Export menu, picks a format and returns what the browser saved. */
async function exportVia(page: Page, format: string): Promise<{ name: string; bytes: Buffer }> {
  const menu = page.getByTestId('export-menu');
  await menu.getByRole('button', { name: /Export|エクスポート/ }).click();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId(`export-${format}`).click()]);
  const file = await download.path();
  // The menu closes itself only after the download is handed over, a moment after the browser's download event.
  await expect.poll(() => menu.getByRole('menu').count()).toBe(0);
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(file) };
}

async function pdfText(bytes: Buffer): Promise<string> {
  return (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;
}

describe('Export menu downloads minutes in every format', () => {
  let browser: Browser;
  let server: TestServer;
  let fx: Fixture;
  const actors: Actor[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startAppServer();
    fx = await createEventWithSession(server.url, 'E2E export 東京');
    // A note-taker writes through the real editor: a bullet list (input rule), a task and Japanese.
    const ana = await newActor(browser, 'Ana');
    actors.push(ana);
    await ana.page.goto(sessionUrl(server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    const editor = editorOf(ana.page);
    const status = () => ana.page.getByTestId('status').getAttribute('data-status');
    await editor.waitFor({ state: 'visible' });
    // The editor appears once the notes have arrived; wait for the saved state so the first line is stored.
    await poll(async () => (await status()) === 'saved' && (await editor.getAttribute('contenteditable')) === 'true', 30_000, 'editor synced and editable');
    await typeAtEnd(ana.page, 'Cells v2 is mandatory in Ocata', { delay: 5 });
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('国内の運用者が参加', { delay: 5 });
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('ACTION: @dana post the summary to the ML', { delay: 5 });
    await poll(async () => (await editor.innerText()).includes('ACTION: @dana post the summary to the ML'), 30_000, 'typed text in the editor');
    await poll(async () => (await status()) === 'saved', 30_000, 'saved');
  });

  afterAll(async () => {
    for (const a of actors.splice(0)) await a.context.close();
    await server?.close();
    await browser?.close();
  });

  it('on the session page, with a view link', async () => {
    const reader = await newActor(browser, 'Reader');
    actors.push(reader);
    const page = reader.page;
    await page.goto(sessionUrl(server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.view));
    await editorOf(page).waitFor({ state: 'visible' });

    const md = await exportVia(page, 'md');
    expect(md.name).toBe(`${fx.event.event.slug} - Session one.md`);
    const text = md.bytes.toString('utf8');
    expect(text).toContain('# Session one');
    expect(text).toContain('- **Note-takers:** Ana');
    expect(text).toContain('Cells v2 is mandatory in Ocata');
    expect(text).toContain('国内の運用者が参加');
    // Action items are indexed a moment after typing: poll by exporting again.
    let latest = text;
    await poll(async () => {
      if (!latest.includes('| dana | @dana post the summary to the ML |')) latest = (await exportVia(page, 'md')).bytes.toString('utf8');
      return latest.includes('| dana | @dana post the summary to the ML |');
    }, 30_000, 'action item in the minutes');

    const html = await exportVia(page, 'html');
    expect(html.name).toMatch(/\.html$/);
    expect(html.bytes.toString('utf8')).toMatch(/^<!doctype html>[\s\S]*@media print[\s\S]*Cells v2 is mandatory/);
    const txt = await exportVia(page, 'txt');
    expect(txt.bytes.toString('utf8')).toContain('Note-takers: Ana');
    const json = JSON.parse((await exportVia(page, 'json')).bytes.toString('utf8')) as { noteTakers: string[]; notes: { type: string } };
    expect(json.noteTakers).toEqual(['Ana']);
    expect(json.notes.type).toBe('doc');
    const docx = await exportVia(page, 'docx');
    expect(docx.name).toMatch(/\.docx$/);
    expect((await mammoth.convertToHtml({ buffer: docx.bytes })).value).toContain('国内の運用者が参加');
    const pdf = await exportVia(page, 'pdf');
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await pdfText(pdf.bytes)).toContain('国内の運用者が参加');
    const csv = await exportVia(page, 'csv');
    expect(csv.bytes.toString('utf8')).toContain('post the summary to the ML');
    const ics = await exportVia(page, 'ics');
    expect(ics.bytes.toString('utf8')).toContain('BEGIN:VCALENDAR');
    // The menu closes after a download and Escape closes it too.
    await page.getByTestId('export-menu').getByRole('button', { name: /Export/ }).click();
    await expect.poll(() => page.getByRole('menu').count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
  });

  it('on the event page, including the zip, in Japanese UI', async () => {
    const reader = await newActor(browser, '読者', { lang: 'ja' });
    actors.push(reader);
    const page = reader.page;
    await page.goto(`${server.url}/e/${fx.event.event.slug}#k=${fx.event.tokens.view}`);
    await page.getByTestId('export-menu').waitFor({ state: 'visible' });
    const expected = { md: 'E2E export 東京 minutes.md', html: 'E2E export 東京 minutes.html', txt: 'E2E export 東京 minutes.txt', docx: 'E2E export 東京 minutes.docx', pdf: 'E2E export 東京 minutes.pdf', json: 'E2E export 東京 minutes.json', zip: 'E2E export 東京 minutes.zip' };
    for (const [format, name] of Object.entries(expected)) {
      const got = await exportVia(page, format);
      expect(got.name).toBe(name);
      expect(got.bytes.length).toBeGreaterThan(100);
      if (format === 'md') {
        const md = got.bytes.toString('utf8');
        expect(md).toContain('## Contents');
        expect(md).toMatch(/^1 session · 1 contributor · 1 action item \(1 open\)$/m);
      }
      if (format === 'zip') {
        const files = unzipSync(new Uint8Array(got.bytes));
        expect(Object.keys(files).sort()).toEqual(['01 Session one.md', 'index.md']);
        expect(strFromU8(files['01 Session one.md']!)).toContain('国内の運用者が参加');
      }
    }
  });
});
