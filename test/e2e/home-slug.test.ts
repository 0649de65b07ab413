import { describe, expect, it } from 'vitest';
import { api } from '../helpers/testServer.js';
import { browserSuite, newActor, poll, startAppServer } from './harness.js';

describe('home page: the slug field', () => {
  const suite = browserSuite();

  it('loads without a console error, turns spaces into dashes as you type and says whether the name is free before submitting', async () => {
    suite.server = await startAppServer();
    await api(suite.server.url, 'POST', '/api/events', { body: { title: 'Existing', slug: 'ux-meetup', timezone: 'Asia/Tokyo' } });
    const org = await newActor(suite.browser, 'Olga');
    suite.actors.push(org);
    const problems: string[] = [];
    org.page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    org.page.on('pageerror', (e) => problems.push(e.message));
    await org.page.goto(`${suite.server.url}/`);
    await org.page.getByTestId('create-event-form').waitFor();
    expect(await org.page.title()).toBe('Roundtable');

    const slug = org.page.getByTestId('slug-input');
    const check = () => org.page.getByTestId('slug-status').getAttribute('data-check');
    await org.page.getByTestId('event-title-input').fill('UX Meetup');
    await slug.pressSequentially('UX Meetup', { delay: 20 });
    expect(await slug.inputValue()).toBe('ux-meetup');
    await poll(async () => (await check()) === 'taken', 10_000, 'taken shown inline');
    expect(await org.page.getByTestId('slug-status').innerText()).toContain('Already taken');
    expect(await org.page.getByTestId('create-event-submit').isDisabled()).toBe(true);

    await slug.pressSequentially(' 2026', { delay: 20 });
    expect(await slug.inputValue()).toBe('ux-meetup-2026');
    await poll(async () => (await check()) === 'available', 10_000, 'available shown inline');
    expect(await slug.evaluate((el: HTMLInputElement) => el.validity.valid)).toBe(true);
    await org.page.getByTestId('create-event-submit').click();
    await org.page.getByTestId('created-links').waitFor();
    expect(await org.page.getByTestId('link-edit').inputValue()).toContain('/e/ux-meetup-2026#k=');
    expect(problems).toEqual([]);
  });
});
