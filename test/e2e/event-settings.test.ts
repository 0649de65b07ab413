import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CreateEventResponse, EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { apiClient, api } from '../helpers/testServer.js';
import { connectClient, notesText, waitForSync } from '../helpers/yClient.js';
import { browserSuite, newActor, poll, startAppServer, type Actor } from './harness.js';

const cardTime = (page: Page, id: string) => page.locator(`[data-testid="session-row"][data-session-id="${id}"] .time`).innerText();

describe('event settings and the empty event, in the browser', () => {
  const suite = browserSuite();

  async function open(name: string, url: string, opts: Parameters<typeof newActor>[2] = {}): Promise<Actor> {
    const a = await newActor(suite.browser, name, opts);
    suite.actors.push(a);
    await a.page.goto(url);
    return a;
  }

  /** An event whose organiser left the zone on London while typing the times of a Tokyo event. */
  async function wrongZoneEvent(): Promise<{ ev: CreateEventResponse; keynote: SessionDto; storage: SessionDto }> {
    const ev = (await apiClient(suite.server.url).createEvent({ title: 'Ops Days', timezone: 'Europe/London' }));
    const add = async (body: Record<string, unknown>) => (await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body })).body;
    const keynote = await add({ title: 'Keynote', rooms: ['Hall'], startsAt: '2026-07-06T08:00:00.000Z', endsAt: '2026-07-06T08:45:00.000Z' });
    const storage = await add({ title: 'Storage operators', rooms: ['Room A'], startsAt: '2026-07-06T09:00:00.000Z', endsAt: '2026-07-06T09:40:00.000Z' });
    return { ev, keynote, storage };
  }

  it('a moderator renames the event and fixes its zone keeping the times on the schedule, after a preview; a reader’s page follows live', async () => {
    suite.server = await startAppServer();
    const { ev, keynote, storage } = await wrongZoneEvent();
    const mod = await open('Organiser', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`);
    const reader = await open('Reader', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.view}`, { lang: 'ja' });
    await reader.page.getByTestId('event-title').waitFor();
    expect(await cardTime(reader.page, keynote.id)).toBe('09:00–09:45');
    expect(await reader.page.getByTestId('open-settings').count()).toBe(0);
    await reader.page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));

    const page = mod.page;
    await page.getByTestId('open-settings').click();
    const dialog = page.getByTestId('event-settings');
    await dialog.waitFor();
    await dialog.getByTestId('settings-title').fill('Ops Days Tokyo');
    await dialog.getByTestId('settings-timezone').selectOption('Asia/Tokyo');
    // Keeping the times on the schedule is the default: the moments move, eight hours earlier.
    expect(await dialog.getByTestId('keep-local-times').isChecked()).toBe(true);
    const rows = dialog.getByTestId('zone-preview-row');
    await poll(async () => (await rows.count()) === 2, 5000, 'two preview rows');
    expect(await rows.allInnerTexts()).toEqual([expect.stringMatching(/Keynote\s+Mon 6 Jul 09:00–09:45 · 8 h earlier/), expect.stringMatching(/Storage operators\s+Mon 6 Jul 10:00–10:40 · 8 h earlier/)]);
    // The other choice, offered explicitly: same moments, new local times.
    await dialog.getByTestId('keep-instants').check();
    await poll(async () => (await rows.first().innerText()).includes('→'), 5000, 'the instant preview');
    expect(await rows.allInnerTexts()).toEqual([
      expect.stringMatching(/Keynote\s+Mon 6 Jul 09:00–09:45 → Mon 6 Jul 17:00–17:45/),
      expect.stringMatching(/Storage operators\s+Mon 6 Jul 10:00–10:40 → Mon 6 Jul 18:00–18:40/),
    ]);
    await dialog.getByTestId('keep-local-times').check();
    await dialog.getByTestId('settings-save').click();
    await dialog.waitFor({ state: 'detached' });

    // The reader's page: new title and zone, the same times on the schedule, without a reload.
    await poll(async () => (await reader.page.getByTestId('event-title').innerText()) === 'Ops Days Tokyo', 10_000, 'the rename on the reader’s page');
    await poll(async () => (await reader.page.getByTestId('event-meta').innerText()).startsWith('Asia/Tokyo'), 10_000, 'the zone on the reader’s page');
    expect(await reader.page.getByTestId('event-meta').innerText()).toBe('Asia/Tokyo · セッション 2 件');
    expect(await cardTime(reader.page, keynote.id)).toBe('09:00–09:45');
    expect(await cardTime(reader.page, storage.id)).toBe('10:00–10:40');
    expect(await reader.page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
    expect(await page.getByTestId('event-title').innerText()).toBe('Ops Days Tokyo');
    // What moved is the moment: 09:00 in Tokyo.
    const stored = (await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body;
    expect(stored.sessions.find((s) => s.id === keynote.id)!.startsAt).toBe('2026-07-06T00:00:00.000Z');
  });

  it('keeping the moments shows new local times on every page', async () => {
    suite.server = await startAppServer();
    const { ev, keynote } = await wrongZoneEvent();
    const mod = await open('Organiser', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`);
    const reader = await open('Reader', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.edit}`);
    await reader.page.getByTestId('event-title').waitFor();
    await mod.page.getByTestId('open-settings').click();
    const dialog = mod.page.getByTestId('event-settings');
    await dialog.getByTestId('settings-timezone').selectOption('Asia/Tokyo');
    await dialog.getByTestId('keep-instants').check();
    await dialog.getByTestId('settings-save').click();
    await dialog.waitFor({ state: 'detached' });
    await poll(async () => (await cardTime(reader.page, keynote.id)) === '17:00–17:45', 10_000, 'new local time on the other page');
    expect(await cardTime(mod.page, keynote.id)).toBe('17:00–17:45');
    const stored = (await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body;
    expect(stored.sessions.find((s) => s.id === keynote.id)!.startsAt).toBe(keynote.startsAt);
  });

  it('on a phone, in Japanese: every tab of the event page is in sight, the moderator’s tools wait behind one button, and a long zone preview keeps the dialog’s buttons on screen', async () => {
    suite.server = await startAppServer();
    const ev = await apiClient(suite.server.url).createEvent({ title: 'Ops Days', timezone: 'Europe/London' });
    for (let i = 0; i < 12; i++) {
      const hour = String(8 + (i % 8)).padStart(2, '0');
      const created = await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, {
        token: ev.tokens.moderate,
        body: { title: `Working group session ${i + 1}`, rooms: [`Room ${i % 3}`], startsAt: `2026-07-0${6 + Math.floor(i / 8)}T${hour}:00:00.000Z`, endsAt: `2026-07-0${6 + Math.floor(i / 8)}T${hour}:40:00.000Z` },
      });
      expect(created.status).toBe(201);
    }
    const mod = await open('Organiser', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`, { lang: 'ja', viewport: { width: 390, height: 844 } });
    const page = mod.page;
    await page.getByTestId('event-title').waitFor();
    // The tabs wrap rather than scroll: the last one (貢献者) used to sit past the right edge.
    const tabs = await page.locator('.tabs[role="tablist"] .tab').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => r.left >= 0 && r.right <= window.innerWidth));
    expect(tabs.length).toBe(4);
    expect(tabs).toEqual([true, true, true, true]);
    // The calendar button, short-labelled, shares the day tabs' row instead of taking one of its own.
    const rowTop = (sel: string) => page.locator(sel).first().evaluate((el) => Math.round(el.getBoundingClientRect().top));
    expect(Math.abs((await rowTop('[data-testid="calendar-subscribe"]')) - (await rowTop('.day-tabs .tab')))).toBeLessThan(8);
    expect(await page.getByTestId('calendar-subscribe').innerText()).toBe('カレンダー');
    expect(await page.getByTestId('calendar-subscribe').getAttribute('aria-label')).toBe('カレンダーに登録');

    // The moderator's tools wait behind one "Manage event" button, so the schedule starts higher up.
    expect(await page.getByTestId('open-settings').isVisible()).toBe(false);
    await page.getByTestId('event-manage').locator('summary').click();
    await page.getByTestId('open-settings').click();
    const dialog = page.getByTestId('event-settings');
    await dialog.getByTestId('settings-timezone').selectOption('Asia/Tokyo');
    await poll(async () => (await dialog.getByTestId('zone-preview-row').count()) === 12, 5000, 'twelve preview rows');
    // The dialog is taller than the phone; its buttons stay on screen, on top of what scrolls under them.
    const save = dialog.getByTestId('settings-save');
    const shown = await save.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return r.bottom <= window.innerHeight && (hit === el || el.contains(hit));
    });
    expect(shown).toBe(true);
    await save.click();
    await dialog.waitFor({ state: 'detached' });
    await poll(async () => (await page.getByTestId('event-meta').innerText()).startsWith('Asia/Tokyo'), 10_000, 'the new zone');

    // In English, the longest labels: the four tabs still fit one row (Contributors used to wrap to a second).
    const en = await open('Organiser EN', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`, { lang: 'en', viewport: { width: 390, height: 844 } });
    await en.page.getByTestId('event-title').waitFor();
    const tops = await en.page.locator('.tabs[role="tablist"] .tab').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(tops.length).toBe(4);
    expect(new Set(tops).size).toBe(1);
  });

  it('an empty event explains the three ways to add sessions, and each button starts one; readers are told to wait', async () => {
    suite.server = await startAppServer();
    const ev = (await apiClient(suite.server.url).createEvent({ title: 'Empty meetup', timezone: 'America/Chicago' }));
    const { page } = await open('Organiser', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`);
    const reader = await open('Reader', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.view}`);
    await page.getByTestId('empty-event').waitFor();
    expect(await page.getByTestId('event-meta').innerText()).toBe('America/Chicago · 0 sessions');
    const help = await page.getByTestId('empty-event').innerText();
    for (const text of ['Import a file', 'Paste a schedule', 'Add sessions by hand']) expect(help).toContain(text);
    expect(await reader.page.getByTestId('empty-event').innerText()).toContain('the organiser has not added the schedule');
    expect(await reader.page.getByTestId('empty-import').count()).toBe(0);

    await page.getByTestId('empty-manual').click();
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'session-title-input'), 5000, 'focus in the add-session title');

    await page.getByTestId('empty-import').click();
    const dialog = page.getByTestId('import-dialog');
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'import-file'), 5000, 'focus on the file input');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByTestId('empty-paste').click();
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'import-text'), 5000, 'focus in the paste box');
    await page.keyboard.insertText('title\tdate\tstart\tend\troom\nWelcome\t2016-04-25\t09:00\t09:30\tSalon A\n');
    await dialog.getByTestId('import-preview-button').click();
    await dialog.getByTestId('import-apply').click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-testid="session-row"]').first().waitFor();
    expect(await page.getByTestId('empty-event').count()).toBe(0);
    await reader.page.locator('[data-testid="session-row"]').first().waitFor();
    expect(await reader.page.getByTestId('event-meta').innerText()).toBe('America/Chicago · 1 session');
  });

  it('an event created from a Japanese UI is a Japanese event; one created from an English UI is English', async () => {
    suite.server = await startAppServer();
    for (const [lang, title] of [['ja', '勉強会'], ['en', 'Meetup']] as const) {
      const { page } = await open(`Creator ${lang}`, `${suite.server.url}/`, { lang });
      await page.getByTestId('event-title-input').fill(title);
      await page.getByTestId('create-event-submit').click();
      await page.getByTestId('created-links').waitFor();
      const moderate = await page.getByTestId('link-moderate').inputValue();
      const token = /#k=(.+)$/.exec(moderate)![1]!;
      const slug = /\/e\/([^#]+)#/.exec(moderate)![1]!;
      const ev = (await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${slug}`, { token })).body;
      expect([ev.title, ev.language]).toEqual([title, lang]);
    }
  });

  it('the event language chooses the template of new sessions; errors read in the UI language', async () => {
    suite.server = await startAppServer();
    const ev = (await apiClient(suite.server.url).createEvent({ title: 'Tokyo meetup', timezone: 'Asia/Tokyo' }));
    const { page } = await open('主催者', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`, { lang: 'ja' });
    const template = page.getByTestId('template-editor');
    await poll(async () => (await template.innerText()).includes('Attendees'), 10_000, 'the English template');
    await page.getByTestId('open-settings').click();
    const dialog = page.getByTestId('event-settings');
    expect(await dialog.getByTestId('settings-language').inputValue()).toBe('en');
    await dialog.getByTestId('settings-language').selectOption('ja');
    await dialog.getByTestId('settings-save').click();
    await dialog.waitFor({ state: 'detached' });
    await poll(async () => (await page.getByTestId('template-editor').innerText()).includes('決定事項'), 10_000, 'the Japanese template in the editor');

    const form = page.getByTestId('add-session-form');
    await form.getByTestId('session-title-input').fill('ストレージ運用');
    await form.getByLabel('日付').fill('2026-07-06');
    await form.getByLabel('開始').fill('10:00');
    await form.getByLabel('終了').fill('09:00');
    await form.getByTestId('add-session-submit').click();
    await poll(async () => (await form.getByTestId('add-session-error').count()) === 1, 10_000, 'the error');
    expect(await form.getByTestId('add-session-error').innerText()).toBe('終了時刻が開始時刻より前になっています。時刻を確認してください。');

    await form.getByLabel('終了').fill('10:40');
    await form.getByTestId('add-session-submit').click();
    await page.locator('[data-testid="session-row"]').first().waitFor();
    const sessions = (await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body.sessions;
    const writer = connectClient(suite.server.wsUrl, sessions[0]!.id, ev.tokens.view);
    try {
      await waitForSync(writer, 10_000);
      expect(notesText(writer.doc).split('\n').filter((l) => l.trim())).toEqual(['参加者', '議題', 'メモ', '決定事項', 'アクションアイテム']);
    } finally {
      writer.destroy();
    }
  });
});
