import { zonedToUtc } from '../../shared/schedule/timezone.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CreateEventResponse, SessionDto } from '../../shared/schemas.js';
import { api } from '../helpers/testServer.js';
import { connectClient, notesText, waitForSync } from '../helpers/yClient.js';
import { browserSuite, newActor, poll, startAppServer, type Actor } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(root, 'test-results', 'schedule');
const fixture = (ext: string) => fs.readFileSync(path.join(root, 'test', 'fixtures', `ops-meetup-austin-2016.${ext}`), 'utf8');
/** A zone where it is about noon now, so "now" and "an hour later" fall on the same day tab whenever the test runs. */
function noonZone(): string {
  let offset = 12 - new Date().getUTCHours();
  if (offset > 12) offset -= 24;
  return offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}
const cardOf = (page: Page, id: string) => page.locator(`[data-testid="session-row"][data-session-id="${id}"]`);

describe('the schedule page', () => {
  const suite = browserSuite();
  beforeAll(() => {
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  async function open(name: string, url: string, opts: Parameters<typeof newActor>[2] = {}): Promise<Actor> {
    const a = await newActor(suite.browser, name, opts);
    suite.actors.push(a);
    await a.page.goto(url);
    return a;
  }

  async function eventHappeningNow(): Promise<{ ev: CreateEventResponse; now: SessionDto; later: SessionDto; long: SessionDto }> {
    const created = await api<CreateEventResponse>(suite.server.url, 'POST', '/api/events', { body: { title: 'Live grid', timezone: noonZone() } });
    const ev = created.body;
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const add = async (body: Record<string, unknown>) => (await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body })).body;
    const now = await add({ title: 'Happening now', rooms: ['Salon A'], startsAt: at(-20), endsAt: at(40), moderators: ['akiko'], tags: ['nfv-telco'] });
    const later = await add({ title: 'Later today', rooms: ['Salon B'], startsAt: at(60), endsAt: at(100), tags: ['product-wg'] });
    const long = await add({ title: 'Hacking room', rooms: ['Salon C'], startsAt: at(-30), endsAt: at(120) });
    return { ev, now, later, long };
  }

  it('shows live counts that rise when two clients join a session and fall when they leave, without a reload; marks what is happening now', async () => {
    suite.server = await startAppServer();
    const { ev, now, later, long } = await eventHappeningNow();
    const { page } = await open('Viewer', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.view}`);
    const count = cardOf(page, now.id).getByTestId('live-count');
    await count.waitFor({ state: 'attached' });
    expect(await count.getAttribute('data-editors')).toBe('0');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    const writer = connectClient(suite.server.wsUrl, now.id, ev.tokens.edit);
    const reader = connectClient(suite.server.wsUrl, now.id, ev.tokens.view);
    await Promise.all([waitForSync(writer, 10_000), waitForSync(reader, 10_000)]);
    await poll(async () => (await count.getAttribute('data-editors')) === '1' && (await count.getAttribute('data-viewers')) === '1', 20_000, 'counts rise on the page');
    expect(await count.innerText()).toBe('1 note-taker · 1 reader');
    expect(await cardOf(page, later.id).getByTestId('live-count').getAttribute('data-editors')).toBe('0');

    writer.destroy();
    reader.destroy();
    await poll(async () => (await count.getAttribute('data-editors')) === '0' && (await count.getAttribute('data-viewers')) === '0', 20_000, 'counts fall on the page');
    expect(await count.innerText()).toBe('');
    // Same document all along: the page was never reloaded.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

    expect(await cardOf(page, now.id).locator('.badge-now').count()).toBe(1);
    expect(await cardOf(page, later.id).locator('.badge-now').count()).toBe(0);
    const line = page.getByTestId('now-line');
    expect(await line.count()).toBe(1);
    const [lineBox, nowBox, laterBox] = await Promise.all([line.boundingBox(), cardOf(page, now.id).boundingBox(), cardOf(page, later.id).boundingBox()]);
    expect(lineBox!.y).toBeGreaterThan(nowBox!.y);
    expect(lineBox!.y).toBeLessThan(laterBox!.y);
    // A session runs down the grid until it ends: the long one spans the rows of both others.
    const longBox = (await cardOf(page, long.id).boundingBox())!;
    expect(longBox.y).toBeLessThanOrEqual(nowBox!.y + 1);
    expect(longBox.y + longBox.height).toBeGreaterThanOrEqual(laterBox!.y + laterBox!.height - 1);
    await page.screenshot({ path: path.join(SHOTS, 'grid-now-line.png') });
  });

  it('shows state, now discussing and notes of today as moderators change them; filters by tag and title; hovering a time shows the viewer’s own time', async () => {
    suite.server = await startAppServer();
    const { ev, now, later } = await eventHappeningNow();
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Tokyo' });
    await context.addInitScript(() => localStorage.setItem('roundtable:lang', 'en'));
    const page = await context.newPage();
    suite.actors.push({ name: 'Tokyo', context, page, console: [] });
    await page.goto(`${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.view}`);
    await cardOf(page, later.id).waitFor();

    await api(suite.server.url, 'PATCH', `/api/sessions/${later.id}`, { token: ev.tokens.moderate, body: { state: 'live', nowDiscussing: 'OVS-DPDK upgrades' } });
    await poll(async () => (await cardOf(page, later.id).locator('.now-discussing').count()) === 1, 15_000, 'now discussing arrives');
    expect(await cardOf(page, later.id).locator('.now-discussing').innerText()).toBe('Now discussing: OVS-DPDK upgrades');
    expect(await cardOf(page, later.id).locator('.badge-now').count()).toBe(1);
    await api(suite.server.url, 'PATCH', `/api/sessions/${now.id}`, { token: ev.tokens.moderate, body: { state: 'ended' } });
    await poll(async () => (await cardOf(page, now.id).locator('.badge-ended').count()) === 1, 15_000, 'ended state arrives');
    expect(await cardOf(page, now.id).locator('.badge-now').count()).toBe(0);

    const writer = connectClient(suite.server.wsUrl, later.id, ev.tokens.edit);
    await waitForSync(writer, 10_000);
    writer.doc.transact(() => writer.doc.getXmlFragment('default').delete(0, 1));
    await poll(async () => (await cardOf(page, later.id).getAttribute('data-notes-today')) === 'true', 15_000, 'notes today');
    expect(await cardOf(page, later.id).locator('.badge-notes-today').innerText()).toContain('Notes today');
    expect(await cardOf(page, now.id).getAttribute('data-notes-today')).toBe('false');
    writer.destroy();

    // The grid shows the event's time; the title attribute (hover) gives the viewer's own, Tokyo, time.
    const time = cardOf(page, now.id).locator('.time');
    const eventTime = new Intl.DateTimeFormat('en-GB', { timeZone: ev.event.timezone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(now.startsAt!));
    const tokyo = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(now.startsAt!));
    expect(await time.innerText()).toMatch(new RegExp(`^${eventTime}–`));
    expect(await time.getAttribute('title')).toContain(tokyo);
    expect(await time.getAttribute('title')).toMatch(/GMT\+9|JST/);

    await page.getByLabel('All tags').selectOption('product-wg');
    await poll(async () => (await page.getByTestId('session-row').count()) === 1, 5000, 'tag filter');
    expect(await page.getByTestId('session-row').first().getAttribute('data-session-id')).toBe(later.id);
    await page.getByLabel('All tags').selectOption('');
    await page.getByPlaceholder('Search titles').fill('happening');
    await poll(async () => (await page.getByTestId('session-row').count()) === 1, 5000, 'title search');
    expect(await page.getByTestId('session-row').first().getAttribute('data-session-id')).toBe(now.id);
  });

  it('a moderator uploads an .ics file and imports it after a dry-run preview; a bad pasted CSV shows its lines and changes nothing', async () => {
    suite.server = await startAppServer();
    const created = await api<CreateEventResponse>(suite.server.url, 'POST', '/api/events', { body: { title: 'Import e2e', timezone: 'America/Chicago' } });
    const ev = created.body;
    const { page } = await open('Organiser', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`);
    await page.getByTestId('open-import').click();
    const dialog = page.getByTestId('import-dialog');

    const bad = fixture('csv').replace('Fleet Management,2016-04-25,12:05', 'Fleet Management,2016-04-25,12:95');
    await dialog.getByTestId('import-text').fill(bad);
    await dialog.getByTestId('import-preview-button').click();
    await dialog.getByTestId('import-error').waitFor();
    // Rendered from the problem's code: a spreadsheet's row, the column in words, no internal field names.
    expect(await dialog.getByTestId('import-error').innerText()).toContain('Nothing was imported: the file has a problem.');
    expect(await dialog.getByTestId('import-error').innerText()).toContain('row 7: the start time "12:95" is not a time (use HH:MM)');

    await dialog.getByTestId('import-file').setInputFiles(path.join(root, 'test', 'fixtures', 'ops-meetup-austin-2016.ics'));
    await poll(async () => (await dialog.getByTestId('import-text').inputValue()).startsWith('BEGIN:VCALENDAR'), 5000, 'the uploaded file in the text box');
    await dialog.getByTestId('import-preview-button').click();
    await dialog.getByTestId('import-preview').waitFor();
    expect(await dialog.getByTestId('import-preview').innerText()).toContain('26 new · 0 updated · 0 unchanged');
    const stored = await api<{ sessions: SessionDto[] }>(suite.server.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view });
    expect(stored.body.sessions).toEqual([]);

    await dialog.getByTestId('import-apply').click();
    await dialog.waitFor({ state: 'detached' });
    await poll(async () => (await page.getByTestId('session-row').count()) === 16, 15_000, 'day one in the grid');
    expect(await page.locator('.grid-room').allInnerTexts()).toEqual(['SALON A', 'SALON B', 'SALON C', 'SALON D']);
    await page.getByRole('tab', { name: /29 Apr/ }).click();
    await poll(async () => (await page.getByTestId('session-row').count()) === 10, 5000, 'day two in the grid');
    await page.getByPlaceholder('Search titles').fill('WG');
    await poll(async () => (await page.getByRole('tab', { name: /25 Apr/ }).innerText()).endsWith('· 1'), 5000, 'match count on the other day');
    expect(await page.getByRole('tab', { name: /29 Apr/ }).innerText()).toMatch(/· 3$/);
    // A filter that matches nothing says so (the event is not empty) and can be cleared from there.
    await page.getByPlaceholder('Search titles').fill('zzz-nothing');
    const noMatch = page.getByTestId('schedule-no-match');
    await noMatch.waitFor();
    expect(await noMatch.innerText()).toContain('No session matches “zzz-nothing”.');
    expect(await page.getByText('No sessions yet.').count()).toBe(0);
    await noMatch.getByTestId('schedule-clear-filter').click();
    await poll(async () => (await page.getByTestId('session-row').count()) === 10, 5000, 'the day back after clearing');
    expect(await page.getByPlaceholder('Search titles').inputValue()).toBe('');
  });

  it('a moderator edits the template; only sessions created afterwards start from it', async () => {
    suite.server = await startAppServer();
    const { ev, now } = await eventHappeningNow();
    const { page } = await open('Organiser', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`);
    const editor = page.getByTestId('template-editor');
    await poll(async () => (await editor.innerText()).includes('Attendees'), 10_000, 'template loads');
    await editor.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('Etherpad etiquette: write your name next to your notes', { delay: 2 });
    await page.keyboard.press('Enter');
    await page.getByTestId('template-save').click();
    await page.getByTestId('template-saved').waitFor();

    const fresh = await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title: 'Created after' } });
    const [newer, older] = [connectClient(suite.server.wsUrl, fresh.body.id, ev.tokens.view), connectClient(suite.server.wsUrl, now.id, ev.tokens.view)];
    await Promise.all([waitForSync(newer, 10_000), waitForSync(older, 10_000)]);
    expect(notesText(newer.doc)).toMatch(/^Etherpad etiquette: write your name next to your notes\n[\s\S]*Attendees/);
    expect(notesText(older.doc)).not.toContain('Etherpad etiquette');
    newer.destroy();
    older.destroy();

    // The same organiser adds a session by hand: its local time is read in the event's zone.
    const form = page.getByTestId('add-session-form');
    await form.getByTestId('session-title-input').fill('Hallway track recap');
    await form.getByLabel('Date').fill('2016-04-25');
    await form.getByLabel('Start').fill('11:15');
    await form.getByLabel('End').fill('11:55');
    await form.getByLabel('Room').fill('Salon D');
    await form.locator('button[type=submit]').click();
    let added: SessionDto | undefined;
    await poll(async () => {
      const list = await api<{ sessions: SessionDto[] }>(suite.server.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view });
      added = list.body.sessions.find((s) => s.title === 'Hallway track recap');
      return added !== undefined;
    }, 10_000, 'session added through the form');
    expect(added!.startsAt).toBe(new Date(zonedToUtc({ year: 2016, month: 4, day: 25, hour: 11, minute: 15, second: 0 }, ev.event.timezone)).toISOString());
    expect(Date.parse(added!.endsAt!) - Date.parse(added!.startsAt!)).toBe(40 * 60_000);
    expect(added!.rooms).toEqual(['Salon D']);
  });

  it('the index lists every session, title → link, with shareable (never moderator) links', async () => {
    let demo: CreateEventResponse | undefined;
    suite.server = await startAppServer({ demo: true, onDemoCreated: (c) => (demo = c) });
    const { page } = await open('Organiser', `${suite.server.url}/e/${demo!.event.slug}/index#k=${demo!.tokens.moderate}`);
    await poll(async () => (await page.getByTestId('index-row').count()) === 26, 10_000, 'index rows');
    const hrefs = await page.getByTestId('index-row').locator('a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    // Read-only links first (the index goes to mailing lists); edit links are a choice.
    await poll(async () => (await page.getByTestId('index-row').locator('a').first().getAttribute('href'))!.endsWith(`#k=${demo!.tokens.view}`), 10_000, 'view links');
    expect(hrefs.join(' ')).not.toContain(demo!.tokens.moderate);
    await page.getByTestId('index-audience').selectOption('edit');
    await poll(async () => (await page.getByTestId('index-row').locator('a').first().getAttribute('href'))!.includes(demo!.tokens.edit), 5000, 'edit links');
    expect(await page.getByTestId('index-row').first().innerText()).toContain('Ops Meetup Welcome & Agenda');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.getByTestId('index-page').isVisible()).toBe(true);
  });

  for (const lang of ['en', 'ja'] as const) {
    it(`screenshots of the demo grid (${lang}): four rooms side by side at 1920×1080, one list by time at 390×844`, async () => {
      let demo: CreateEventResponse | undefined;
      suite.server = await startAppServer({ demo: true, onDemoCreated: (c) => (demo = c) });
      const url = `${suite.server.url}/e/${demo!.event.slug}#k=${demo!.tokens.view}`;
      const nfv = (await suite.server.events.sessionsOf(demo!.event.id)).find((s) => s.title.startsWith('NFV'))!;
      const people = [connectClient(suite.server.wsUrl, nfv.id, demo!.tokens.edit), connectClient(suite.server.wsUrl, nfv.id, demo!.tokens.view)];
      await Promise.all(people.map((p) => waitForSync(p, 10_000)));

      const wide = await open('Wide', url, { lang, viewport: { width: 1920, height: 1080 } });
      await poll(async () => (await cardOf(wide.page, nfv.id).getByTestId('live-count').getAttribute('data-editors')) === '1', 15_000, 'live count on the wide page');
      const wideShot = PNG.sync.read(await wide.page.screenshot({ path: path.join(SHOTS, `grid-${lang}-1920.png`) }));
      expect([wideShot.width, wideShot.height]).toEqual([1920, 1080]);
      const cards = wide.page.getByTestId('session-row');
      expect(await cards.count()).toBe(16);
      const firstRow = await Promise.all([0, 1, 2, 3].map(async (i) => (await cards.nth(i).boundingBox())!));
      expect(new Set(firstRow.map((b) => Math.round(b.y))).size).toBe(1);
      for (let i = 1; i < 4; i++) expect(firstRow[i]!.x).toBeGreaterThanOrEqual(firstRow[i - 1]!.x + firstRow[i - 1]!.width);
      const headers = await Promise.all((await wide.page.locator('.grid-room').all()).map(async (h) => (await h.boundingBox())!));
      expect(headers).toHaveLength(4);
      for (const h of headers) expect(h.y + h.height).toBeLessThanOrEqual(firstRow[0]!.y);
      expect(await wide.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1920);

      const phone = await open('Phone', url, { lang, viewport: { width: 390, height: 844 } });
      await poll(async () => (await cardOf(phone.page, nfv.id).getByTestId('live-count').getAttribute('data-viewers')) === '1', 15_000, 'live count on the phone');
      const phoneShot = PNG.sync.read(await phone.page.screenshot({ path: path.join(SHOTS, `grid-${lang}-390.png`) }));
      expect([phoneShot.width, phoneShot.height]).toEqual([390, 844]);
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await phone.page.locator('.grid-room').first().isVisible()).toBe(false);
      const phoneCards = await Promise.all((await phone.page.getByTestId('session-row').all()).slice(0, 6).map(async (c) => (await c.boundingBox())!));
      expect(new Set(phoneCards.map((b) => Math.round(b.x))).size).toBe(1);
      for (let i = 1; i < phoneCards.length; i++) expect(phoneCards[i]!.y).toBeGreaterThanOrEqual(phoneCards[i - 1]!.y + phoneCards[i - 1]!.height);
      for (const b of phoneCards) expect(b.x + b.width).toBeLessThanOrEqual(390);
      const label = lang === 'ja' ? '書記 1人 · 閲覧者 1人' : '1 note-taker · 1 reader';
      expect((await cardOf(phone.page, nfv.id).getByTestId('live-count').innerText()).replace(/\s/g, '')).toBe(label.replace(/\s/g, ''));
      for (const p of people) p.destroy();
    });
  }
});
