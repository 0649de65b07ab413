import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CreateEventResponse, EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { apiClient, api } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitForSync } from '../helpers/yClient.js';
import { browserSuite, newActor, poll, startAppServer, type Actor } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(root, 'screenshots');
const card = (page: Page, id: string) => page.locator(`[data-testid="session-row"][data-session-id="${id}"]`);

describe('editing the schedule in the UI', () => {
  const suite = browserSuite();
  beforeAll(() => fs.mkdirSync(SHOTS, { recursive: true }));

  async function open(name: string, url: string, opts: Parameters<typeof newActor>[2] = {}): Promise<Actor> {
    const a = await newActor(suite.browser, name, opts);
    suite.actors.push(a);
    await a.page.goto(url);
    return a;
  }

  async function event() {
    const ev = (await apiClient(suite.server.url).createEvent({ title: 'Fixes on the day', timezone: 'Asia/Tokyo' }));
    const add = async (body: Record<string, unknown>) => (await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body })).body;
    const typo = await add({ title: 'Cepf hands-on', rooms: ['Room A'], startsAt: '2025-11-22T01:00:00Z', endsAt: '2025-11-22T02:00:00Z', moderators: ['emeka'] });
    const upgrades = await add({ title: 'Upgrades', rooms: ['Room A'], startsAt: '2025-11-22T02:00:00Z', endsAt: '2025-11-22T03:00:00Z' });
    const lunch = await add({ title: 'Lunch and BoFs', rooms: ['Room B'], startsAt: '2025-11-22T03:00:00Z', endsAt: '2025-11-22T04:00:00Z' });
    return { ev, typo, upgrades, lunch };
  }
  const stored = async (ev: CreateEventResponse) => (await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body.sessions;

  it('a moderator fixes a title, moves a session to another room and time, deletes one and undoes it; a second browser sees each change live', async () => {
    suite.server = await startAppServer();
    const { ev, typo, upgrades, lunch } = await event();
    // Notes in the session that will be deleted: they must survive the delete and the undo.
    const writer = connectClient(suite.server.wsUrl, lunch.id, ev.tokens.edit);
    await waitForSync(writer, 10_000);
    appendParagraph(writer.doc, 'BoF sign-up sheet at the desk');
    await poll(async () => (await stored(ev)).find((s) => s.id === lunch.id)!.notesUpdatedAt !== null, 10_000, 'notes stored');
    writer.destroy();

    const mod = await open('Moderator', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`, { viewport: { width: 1920, height: 1080 } });
    const viewer = await open('Viewer', `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.view}`);
    await card(viewer.page, typo.id).waitFor();
    expect(await viewer.page.getByTestId('edit-session').count()).toBe(0);
    await viewer.page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));

    // 1. Fix a title.
    await mod.page.locator(`[data-testid="edit-session"][data-session-id="${typo.id}"]`).click();
    const dialog = mod.page.getByTestId('session-edit-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('edit-title').inputValue()).toBe('Cepf hands-on');
    expect(await dialog.getByTestId('edit-start').inputValue()).toBe('10:00');
    await dialog.getByTestId('edit-title').fill('Ceph hands-on');
    await mod.page.screenshot({ path: path.join(SHOTS, 'edit-dialog-en-1920.png') });
    await dialog.getByTestId('edit-save').click();
    await dialog.waitFor({ state: 'detached' });
    await poll(async () => (await card(viewer.page, typo.id).locator('h3').innerText()) === 'Ceph hands-on', 15_000, 'the new title on the second browser');

    // 2. Move a session to another room and time.
    await mod.page.locator(`[data-testid="edit-session"][data-session-id="${upgrades.id}"]`).click();
    await dialog.getByTestId('edit-rooms').fill('Room C');
    await dialog.getByTestId('edit-start').fill('15:00');
    await dialog.getByTestId('edit-end').fill('16:30');
    await dialog.getByTestId('edit-save').click();
    await dialog.waitFor({ state: 'detached' });
    await poll(async () => (await card(viewer.page, upgrades.id).locator('.time').innerText()) === '15:00–16:30', 15_000, 'the moved time on the second browser');
    expect(await card(viewer.page, upgrades.id).getByTestId('card-rooms').innerText()).toBe('Room C');
    expect(await viewer.page.getByTestId('grid-room').allInnerTexts()).toEqual(['ROOM A', 'ROOM B', 'ROOM C']);
    expect(await viewer.page.locator('.grid-cell', { has: card(viewer.page, upgrades.id) }).getAttribute('data-room')).toBe('Room C');
    expect((await stored(ev)).find((s) => s.id === upgrades.id)).toMatchObject({ rooms: ['Room C'], startsAt: '2025-11-22T06:00:00.000Z', endsAt: '2025-11-22T07:30:00.000Z' });

    // A bad edit is refused in the form, before anything is sent.
    await mod.page.locator(`[data-testid="edit-session"][data-session-id="${lunch.id}"]`).click();
    await dialog.getByTestId('edit-title').fill('');
    await dialog.getByTestId('edit-end').fill('11:00');
    await dialog.getByTestId('edit-save').click();
    expect(await dialog.getByTestId('edit-error-title').innerText()).toBe('Enter a title.');
    expect(await dialog.getByTestId('edit-error-end').innerText()).toBe('The end is before the start.');
    expect((await stored(ev)).find((s) => s.id === lunch.id)!.title).toBe('Lunch and BoFs');

    // 3. Delete one: it asks first, and Cancel deletes nothing.
    await dialog.getByTestId('edit-delete').click();
    const confirm = mod.page.getByTestId('delete-confirm');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('Delete “Lunch and BoFs”?');
    expect(await confirm.innerText()).toContain('Its notes are kept');
    await confirm.getByTestId('confirm-cancel').click();
    await confirm.waitFor({ state: 'detached' });
    expect((await stored(ev)).some((s) => s.id === lunch.id)).toBe(true);
    await dialog.getByTestId('edit-delete').click();
    await confirm.getByTestId('confirm-ok').click();
    await dialog.waitFor({ state: 'detached' });
    const toasts = mod.page.getByTestId('undo-toast');
    const toastOf = (id: string) => mod.page.locator(`[data-testid="undo-toast"][data-session-id="${id}"]`);
    const toast = toastOf(lunch.id);
    await toast.waitFor();
    expect(await toast.innerText()).toContain('“Lunch and BoFs” was deleted.');
    await poll(async () => (await card(viewer.page, lunch.id).count()) === 0, 15_000, 'the deletion on the second browser');

    // 4. Delete a second one before undoing the first: each keeps its own Undo.
    await mod.page.locator(`[data-testid="edit-session"][data-session-id="${upgrades.id}"]`).click();
    await dialog.getByTestId('edit-delete').click();
    await confirm.getByTestId('confirm-ok').click();
    await dialog.waitFor({ state: 'detached' });
    await toastOf(upgrades.id).waitFor();
    expect(await toasts.count()).toBe(2);
    expect(await toastOf(upgrades.id).innerText()).toContain('“Upgrades” was deleted.');
    expect(await toast.innerText()).toContain('“Lunch and BoFs” was deleted.');
    await mod.page.screenshot({ path: path.join(SHOTS, 'undo-toast-en-1920.png') });
    await poll(async () => (await card(viewer.page, upgrades.id).count()) === 0, 15_000, 'the second deletion on the second browser');
    // Both toasts can be clicked: neither covers the other.
    const [boxA, boxB] = [await toast.boundingBox(), await toastOf(upgrades.id).boundingBox()];
    expect(boxA!.y + boxA!.height).toBeLessThanOrEqual(boxB!.y);
    await toast.getByTestId('undo-delete').click();
    await poll(async () => (await toast.innerText()).includes('is back, with its notes'), 10_000, 'undo confirmed');
    await poll(async () => (await card(viewer.page, lunch.id).count()) === 1, 15_000, 'the undone deletion on the second browser');
    expect(await card(viewer.page, lunch.id).locator('h3').innerText()).toBe('Lunch and BoFs');
    await toastOf(upgrades.id).getByTestId('undo-delete').click();
    await poll(async () => (await toastOf(upgrades.id).innerText()).includes('is back, with its notes'), 10_000, 'second undo confirmed');
    await poll(async () => (await card(viewer.page, upgrades.id).count()) === 1, 15_000, 'the second undone deletion on the second browser');
    expect((await stored(ev)).map((s) => s.id).sort()).toEqual([typo.id, upgrades.id, lunch.id].sort());
    // Same page all along on the second browser: it saw everything live.
    expect(await viewer.page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);

    const reader = connectClient(suite.server.wsUrl, lunch.id, ev.tokens.view);
    await waitForSync(reader, 10_000);
    expect(notesText(reader.doc)).toContain('BoF sign-up sheet at the desk');
    reader.destroy();
  });

  it('from the session page too; the form speaks Japanese, and works on a phone', async () => {
    suite.server = await startAppServer();
    const { ev, typo } = await event();
    const mod = await open('モデレーター', `${suite.server.url}/e/${ev.event.slug}/s/${typo.id}#k=${ev.tokens.moderate}`, { lang: 'ja', viewport: { width: 390, height: 844 } });
    await mod.page.getByTestId('edit-session-page').click();
    const dialog = mod.page.getByTestId('session-edit-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('h2').innerText()).toBe('セッションを編集');
    await dialog.getByTestId('edit-start').fill('');
    await dialog.getByTestId('edit-rooms').fill(Array.from({ length: 21 }, (_, i) => `R${i}`).join(';'));
    await dialog.getByTestId('edit-save').click();
    expect(await dialog.getByTestId('edit-error-start').innerText()).toBe('開始時刻も入力するか、日付を消してください。');
    expect(await dialog.getByTestId('edit-error-rooms').innerText()).toBe('20 個までです。');
    expect(await mod.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await mod.page.screenshot({ path: path.join(SHOTS, 'edit-dialog-ja-390.png') });

    // Deleting from the session page goes back to the schedule, which offers the undo.
    await dialog.getByTestId('edit-start').fill('10:00');
    await dialog.getByTestId('edit-rooms').fill('Room A');
    await dialog.getByTestId('edit-delete').click();
    const confirm = mod.page.getByTestId('delete-confirm');
    expect(await confirm.innerText()).toContain('メモは残ります');
    await confirm.getByTestId('confirm-ok').click();
    const toast = mod.page.getByTestId('undo-toast');
    await toast.waitFor();
    expect(new URL(mod.page.url()).pathname).toBe(`/e/${ev.event.slug}`);
    expect(await toast.innerText()).toContain('「Cepf hands-on」を削除しました。');
    await mod.page.screenshot({ path: path.join(SHOTS, 'undo-toast-ja-390.png') });
    await toast.getByTestId('undo-delete').click();
    await poll(async () => (await card(mod.page, typo.id).count()) === 1, 15_000, 'the session back on the schedule');
  });
});
