import { describe, expect, it } from 'vitest';
import type { SessionDto } from '../../shared/schemas.js';
import { apiClient, api, createEventWithSession, startTestServer } from '../helpers/testServer.js';
import { connectClient, waitForSync, type YClient } from '../helpers/yClient.js';
import { browserSuite, CLIENT_DIR, newActor, poll, startAppServer } from './harness.js';

describe('event page kept current by stream deltas', () => {
  const suite = browserSuite();

  it('applies deltas (changed, live, added, removed, renamed), and reconnects to a fresh list after the stream drops', async () => {
    suite.server = await startTestServer({ clientDir: CLIENT_DIR });
    const { port, dataDir } = suite.server;
    const ev = (await apiClient(suite.server.url).createEvent({ title: 'Stream deltas', timezone: 'UTC' }));
    const mod = ev.tokens.moderate;
    const add = async (title: string, startsAt: string) => (await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: mod, body: { title, startsAt, rooms: ['Salon A'] } })).body;
    const first = await add('Quota planning', '2026-05-01T09:00:00Z');
    const second = await add('Upgrades 議論', '2026-05-01T10:00:00Z');

    const reader = await newActor(suite.browser, 'Reader');
    suite.actors.push(reader);
    const streamRequests: string[] = [];
    reader.page.on('request', (r) => {
      if (r.url().endsWith('/stream')) streamRequests.push(r.url());
    });
    await reader.page.goto(`${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.view}`);
    const rows = reader.page.getByTestId('session-row');
    await poll(async () => (await rows.count()) === 2, 15_000, 'two sessions listed');
    const card = (id: string) => reader.page.locator(`[data-testid="session-row"][data-session-id="${id}"]`);

    await api(suite.server.url, 'PATCH', `/api/sessions/${first.id}`, { token: mod, body: { nowDiscussing: 'Default quotas' } });
    await poll(async () => (await card(first.id).innerText()).includes('Default quotas'), 10_000, 'a changed session');

    const writer: YClient = connectClient(suite.server.wsUrl, second.id, ev.tokens.edit);
    await waitForSync(writer);
    await poll(async () => (await card(second.id).getByTestId('live-count').getAttribute('data-editors')) === '1', 10_000, 'live counts');
    writer.destroy();

    const third = await add('Late addition', '2026-05-01T11:00:00Z');
    await poll(async () => (await card(third.id).count()) === 1, 10_000, 'an added session');
    await api(suite.server.url, 'DELETE', `/api/sessions/${second.id}`, { token: mod });
    await poll(async () => (await card(second.id).count()) === 0, 10_000, 'a removed session');
    await api(suite.server.url, 'PATCH', `/api/events/${ev.event.id}`, { token: mod, body: { title: 'Stream deltas — renamed' } });
    await poll(async () => (await reader.page.getByTestId('event-title').innerText()) === 'Stream deltas — renamed', 10_000, 'the event renamed');

    // The stream drops (here: the server restarts on the same port); the page reconnects, gets a fresh list and hears changes again.
    const before = streamRequests.length;
    await suite.server.close();
    suite.server = await startTestServer({ clientDir: CLIENT_DIR, port, dataDir });
    await poll(() => streamRequests.length > before, 30_000, 'the page reconnects');
    await api(suite.server.url, 'PATCH', `/api/sessions/${third.id}`, { token: mod, body: { nowDiscussing: 'After the restart' } });
    await poll(async () => (await card(third.id).innerText()).includes('After the restart'), 30_000, 'deltas on the new stream');

  }, 120_000);
  it('a link another moderator rotates is replaced in the Links panel and on the Index tab, so Copy and Print never hand out the dead one', async () => {
    suite.server = await startAppServer();
    const fx = await createEventWithSession(suite.server.url, 'E2E rotated links');
    const { tokens } = fx.event;
    const rotate = async (role: 'edit' | 'view') => {
      const res = await api<{ token: string }>(suite.server.url, 'POST', `/api/events/${fx.event.event.id}/links/${role}/rotate`, { token: tokens.moderate });
      if (res.status !== 200) throw new Error(`rotate ${role}: ${res.status}`);
      return res.body.token;
    };
    const mo = await newActor(suite.browser, 'Mo');
    suite.actors.push(mo);

    // The Links panel (schedule page): another moderator rotates the edit link; the panel shows the new one.
    await mo.page.goto(`${suite.server.url}/e/${fx.event.event.slug}#k=${tokens.moderate}`);
    const editLink = mo.page.getByTestId('link-edit');
    await poll(async () => (await editLink.count()) === 1 && (await editLink.inputValue()).includes(tokens.edit), 15_000, 'the edit link shown');
    const newEdit = await rotate('edit');
    await poll(async () => (await editLink.inputValue()).includes(newEdit), 10_000, 'the Links panel shows the rotated edit link');
    expect(await editLink.inputValue()).not.toContain(tokens.edit);
    expect(await mo.page.getByTestId('link-view').inputValue()).toContain(tokens.view);

    // The Index tab (view links by default for a moderator): the view link rotates; every row follows.
    await mo.page.goto(`${suite.server.url}/e/${fx.event.event.slug}/index#k=${tokens.moderate}`);
    const url = mo.page.locator('.index-url').first();
    await poll(async () => (await url.count()) === 1 && (await url.innerText()).includes(tokens.view), 15_000, 'the index lists view links');
    const newView = await rotate('view');
    await poll(async () => (await url.innerText()).includes(newView), 10_000, 'the index shows the rotated view link');
    // And the edit links it offers are the current ones too.
    await mo.page.getByTestId('index-audience').selectOption('edit');
    await poll(async () => (await url.innerText()).includes(newEdit), 5000, 'the index offers the current edit link');
  }, 60_000);
  it('a link rotated while the schedule is open: the page says so with the banner and takes the new link, instead of freezing', async () => {
    suite.server = await startAppServer();
    const fx = await createEventWithSession(suite.server.url, 'E2E rotated while on the schedule');
    const { tokens } = fx.event;
    const ed = await newActor(suite.browser, 'Ed');
    suite.actors.push(ed);
    await ed.page.goto(`${suite.server.url}/e/${fx.event.event.slug}#k=${tokens.edit}`);
    await ed.page.getByTestId('session-row').first().waitFor();
    // The stream is open before the rotation (otherwise the page would only see it on opening).
    await poll(async () => (await ed.page.locator('.role-pill').count()) === 1, 10_000, 'the role shown');
    await new Promise((r) => setTimeout(r, 500));
    const rotated = await api<{ link: string; token: string }>(suite.server.url, 'POST', `/api/events/${fx.event.event.id}/links/edit/rotate`, { token: tokens.moderate });
    expect(rotated.status).toBe(200);
    const banner = ed.page.getByTestId('connection-banner');
    await poll(async () => (await banner.count()) === 1, 10_000, 'the "link replaced" banner');
    expect(await banner.getAttribute('data-kind')).toBe('revoked');
    if (process.env.RT_SHOT_DIR) await ed.page.screenshot({ path: `${process.env.RT_SHOT_DIR}/event-link-replaced.png` });
    // No longer claims note-taker access; the schedule stays readable underneath.
    expect(await ed.page.locator('.role-pill').count()).toBe(0);
    expect(await ed.page.getByTestId('session-row').count()).toBe(1);
    // The new link, pasted in the banner, opens the schedule again with it.
    await ed.page.getByTestId('rejoin-input').fill(rotated.body.link);
    await ed.page.getByTestId('rejoin-submit').click();
    await poll(async () => ed.page.url().endsWith(`#k=${rotated.body.token}`), 10_000, 'the new key in the address');
    await ed.page.getByTestId('session-row').first().waitFor();
    await poll(async () => (await banner.count()) === 0 && (await ed.page.locator('.role-pill').count()) === 1, 10_000, 'back in, without the banner');
  }, 60_000);
});
