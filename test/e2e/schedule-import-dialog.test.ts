import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CreateEventResponse, EventWithSessionsDto } from '../../shared/schemas.js';
import { apiClient, api } from '../helpers/testServer.js';
import { browserSuite, newActor, poll, startAppServer } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(root, 'screenshots');

describe('the import dialog helps a first-time organiser', () => {
  const suite = browserSuite();
  beforeAll(() => fs.mkdirSync(SHOTS, { recursive: true }));

  async function organiser(lang: 'en' | 'ja', viewport = { width: 1280, height: 900 }) {
    suite.server = await startAppServer();
    const ev = (await apiClient(suite.server.url).createEvent({ title: 'First event', timezone: 'Asia/Tokyo' }));
    const actor = await newActor(suite.browser, 'Organiser', { lang, viewport });
    suite.actors.push(actor);
    await actor.page.goto(`${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`);
    await actor.page.getByTestId('open-import').click();
    const dialog = actor.page.getByTestId('import-dialog');
    await dialog.waitFor();
    return { ev, page: actor.page, dialog };
  }
  const stored = async (ev: CreateEventResponse) => (await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body.sessions;

  it('(ja) lists the CSV columns with their Japanese names, and its sample CSV downloads and imports as it is', async () => {
    const { ev, page, dialog } = await organiser('ja');
    expect(await dialog.getAttribute('open')).not.toBeNull();
    await dialog.getByTestId('import-help').locator('summary').click();
    const rows = await dialog.locator('.import-columns tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').slice(0, 2))).toEqual([['title', 'タイトル'], ['date', '日付'], ['start', '開始'], ['end', '終了'], ['room', '部屋'], ['moderators', 'モデレーター'], ['tags', 'タグ']]);
    await page.screenshot({ path: path.join(SHOTS, 'import-help-ja-1280.png') });

    const icsHref = await dialog.getByTestId('sample-ics').getAttribute('href');
    expect(icsHref).toBe('/api/schedule/sample.ics?lang=ja&tz=Asia%2FTokyo');
    expect(await (await fetch(suite.server.url + icsHref)).text()).toMatch(/^BEGIN:VCALENDAR\r\n/);
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('sample-csv').click()]);
    expect(download.suggestedFilename()).toBe('roundtable-sample-ja.csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('タイトル,日付,開始,終了,部屋,モデレーター,タグ');
    await dialog.getByTestId('import-text').fill(csv);
    await dialog.getByTestId('import-preview-button').click();
    await dialog.getByTestId('import-preview').waitFor();
    expect(await dialog.getByTestId('import-preview').innerText()).toContain('新規 7 件・更新 0 件・変更なし 0 件');
    expect(await dialog.getByTestId('import-warnings').count()).toBe(0);
    await dialog.getByTestId('import-apply').click();
    await dialog.waitFor({ state: 'detached' });
    await poll(async () => (await stored(ev)).length === 7, 10_000, 'the sample imported');
    expect((await stored(ev)).find((s) => s.title === 'ハンズオン: Ceph')!.rooms).toEqual(['ルームA', 'ルームB']);

  });

  it('(ja) lists the sessions the file leaves out with those that hold notes first and marked, as they are what to check', async () => {
    const { ev, dialog } = await organiser('ja');
    const add = async (title: string) =>
      (await api<{ id: string }>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title, startsAt: '2025-11-20T01:00:00Z', endsAt: '2025-11-20T02:00:00Z', rooms: ['Room A'] } })).body.id;
    await add('Empty session');
    const written = await add('Session with notes');
    const imported = await api(suite.server.url, 'POST', `/api/sessions/${written}/import?format=md`, { token: ev.tokens.moderate, rawBody: '# Notes\n\nWe agreed on the quota.\n', contentType: 'text/markdown' });
    expect(imported.status).toBe(200);
    await dialog.getByTestId('import-text').fill('title,date,start,end,room\nOpening,2025-11-21,09:00,09:30,Room A\n');
    await dialog.getByTestId('import-preview-button').click();
    await dialog.getByTestId('import-preview').waitFor();
    const missing = dialog.getByTestId('import-missing');
    expect(await missing.allInnerTexts()).toEqual(['Session with notes メモあり', 'Empty session']);
    expect(await missing.first().getAttribute('data-has-notes')).toBe('true');
  });

  it("(en) tells a recurring event's occurrences apart in the preview by their date and time in the event's zone", async () => {
    const { page, dialog } = await organiser('en');
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:ops-sync', 'SUMMARY:Ops sync', 'DTSTART:20251120T010000Z', 'DTEND:20251120T013000Z', 'RRULE:FREQ=WEEKLY;COUNT=3', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    await dialog.getByTestId('import-text').fill(ics);
    await dialog.getByTestId('import-preview-button').click();
    await dialog.getByTestId('import-preview').waitFor();
    const rows = await dialog.getByTestId('import-preview').locator('li').allInnerTexts();
    // 01:00 UTC is 10:00 in Tokyo, the event's zone.
    expect(rows.map((r) => r.replace(/\s*\(line \d+\)$/, ''))).toEqual(['+ Ops sync · Thu 20 Nov 10:00–10:30', '+ Ops sync · Thu 27 Nov 10:00–10:30', '+ Ops sync · Thu 4 Dec 10:00–10:30']);
    await page.screenshot({ path: path.join(SHOTS, 'import-recurring-preview-en-1280.png') });
  });

  it('(en and ja) warns per row about rows without a start time, lets the organiser leave them out, and blames a bad date on the date column', async () => {
    const { ev, page, dialog } = await organiser('en');
    const csv = 'title,date,start,end,room\nOpening,2025-11-22,09:00,09:30,All rooms\nLightning talks,2025-11-22,,,Room A\nBoF (time tba),,,,\n';
    await dialog.getByTestId('import-text').fill(csv);
    await dialog.getByTestId('import-preview-button').click();
    await dialog.getByTestId('import-warnings').waitFor();
    expect(await dialog.getByTestId('import-warnings').locator('li').allInnerTexts()).toEqual(['row 3: no start time', 'row 4: no start time']);
    expect(await dialog.getByTestId('import-preview').innerText()).toContain('3 new · 0 updated · 0 unchanged');
    await dialog.getByText('Leave them out').click();
    await poll(async () => (await dialog.getByTestId('import-preview').innerText()).includes('1 new · 0 updated · 0 unchanged'), 10_000, 'preview without the rows');
    await page.screenshot({ path: path.join(SHOTS, 'import-unscheduled-en-1280.png') });
    await dialog.getByTestId('import-apply').click();
    await dialog.waitFor({ state: 'detached' });
    await poll(async () => (await stored(ev)).length === 1, 10_000, 'only the scheduled row imported');

    // The same organiser in Japanese, with a bad date: one problem, on the date, in Japanese only.
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByTestId('open-import').click();
    const again = page.getByTestId('import-dialog');
    // A row repeated by mistake: a warning naming the row it repeats, in Japanese.
    await again.getByTestId('import-text').fill('title,date,start,end,room\nKeynote,2025-11-22,09:00,10:00,Hall\nKeynote,2025-11-22,09:00,10:00,Hall\n');
    await again.getByTestId('import-preview-button').click();
    await again.getByTestId('import-warnings').waitFor();
    expect(await again.getByTestId('import-warnings').locator('li').allInnerTexts()).toEqual(['3 行目: 2 行目とタイトル・開始・部屋が同じです。両方とも取り込みます（誤りなら一方を削除してください）']);
    await again.getByTestId('import-text').fill('title,date,start,end\nKeynote,31/11/2025,09:00,10:00\n');
    await again.getByTestId('import-preview-button').click();
    await again.getByTestId('import-error').waitFor();
    const text = await again.getByTestId('import-error').innerText();
    expect(text).toContain('取り込んでいません: ファイルに問題が 1 つあります。');
    expect(text).toContain('2 行目: 「31/11/2025」は日付として読めません（YYYY-MM-DD で書いてください）');
    expect(text).not.toMatch(/startsAt|endsAt|is not a|problem\(s\)/);
    await page.screenshot({ path: path.join(SHOTS, 'import-error-ja-1280.png') });
    // Escape closes the dialog and changes nothing.
    await page.keyboard.press('Escape');
    await again.waitFor({ state: 'detached' });
    expect(await stored(ev)).toHaveLength(1);
  });
});
