import { describe, expect, it } from 'vitest';
import type { EventWithSessionsDto } from '../../shared/schemas.js';
import { apiClient, api } from '../helpers/testServer.js';
import { browserSuite, newActor, poll, startAppServer } from './harness.js';

/** "Add a session" used to drop a time typed without a date (and a date without a start): the session landed under "No time yet". */
describe('the Add a session form checks its times like the Edit dialog', () => {
  const suite = browserSuite();

  it('refuses a time without a date and a date without a start, with a message; adds a session past midnight', async () => {
    suite.server = await startAppServer();
    const ev = await apiClient(suite.server.url).createEvent({ title: 'Add form', timezone: 'Asia/Tokyo' });
    const mo = await newActor(suite.browser, 'Mo');
    suite.actors.push(mo);
    await mo.page.goto(`${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`);
    const form = mo.page.getByTestId('add-session-form');
    await form.waitFor();
    const sessions = async () => (await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body.sessions;
    const error = form.getByTestId('add-session-time-error');

    await form.getByTestId('session-title-input').fill('Time without a date');
    await form.getByTestId('session-start-input').fill('10:00');
    await form.getByTestId('add-session-submit').click();
    await poll(async () => (await error.count()) === 1, 5000, 'the time-needs-date message');
    expect(await error.innerText()).toBe('A time needs a date.');
    expect(await form.getByTestId('session-date-input').getAttribute('aria-invalid')).toBe('true');

    await form.getByTestId('session-start-input').fill('');
    await form.getByTestId('session-date-input').fill('2025-11-22');
    expect(await error.count()).toBe(0);
    await form.getByTestId('add-session-submit').click();
    await poll(async () => (await error.count()) === 1, 5000, 'the date-needs-start message');
    expect(await error.innerText()).toBe('Give a start time too, or clear the date.');
    expect(await sessions()).toEqual([]);

    // 23:30–00:30 on one date: the end is on the next day.
    await form.getByTestId('session-start-input').fill('23:30');
    await form.getByTestId('session-end-input').fill('00:30');
    await form.getByTestId('add-session-submit').click();
    await poll(async () => (await sessions()).length === 1, 10_000, 'the session added');
    const [added] = await sessions();
    expect(added).toMatchObject({ title: 'Time without a date', startsAt: '2025-11-22T14:30:00.000Z', endsAt: '2025-11-22T15:30:00.000Z' });
    expect(await error.count()).toBe(0);
  }, 60_000);
});
