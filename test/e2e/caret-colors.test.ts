import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { colorFor } from '../../client/lib/identity.js';
import { createEventWithSession } from '../helpers/testServer.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer } from './harness.js';

/** The background of the caret label `name` shows on `page`, as #rrggbb (or null while it is not there). */
async function caretColorOf(page: Page, name: string): Promise<string | null> {
  const label = page.locator('.collaboration-carets__label', { hasText: name }).first();
  if ((await label.count()) === 0) return null;
  const rgb = await label.evaluate((el) => getComputedStyle(el).backgroundColor);
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  return '#' + [r, g, b].map((n) => (n ?? 0).toString(16).padStart(2, '0')).join('');
}

describe('caret colours', () => {
  const suite = browserSuite();

  it('two note-takers whose names give the same colour are shown in different ones, and one keeps the name’s colour', async () => {
    // "Ben" and "Wes" hash to the same palette colour (in the old palette too): the clash the review saw with Alice Anders and Bob Brown.
    expect(colorFor('Ben')).toBe(colorFor('Wes'));
    suite.server = await startAppServer();
    const fx = await createEventWithSession(suite.server.url, 'E2E caret colours');
    const ben = await newActor(suite.browser, 'Ben');
    const wes = await newActor(suite.browser, 'Wes');
    suite.actors.push(ben, wes);
    for (const a of [ben, wes]) {
      await a.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
      await editorOf(a.page).waitFor({ state: 'visible' });
    }
    await typeAtEnd(ben.page, 'Ben writes');
    await typeAtEnd(wes.page, 'Wes writes');
    let seen: [string | null, string | null] = [null, null];
    await poll(async () => {
      seen = [await caretColorOf(wes.page, 'Ben'), await caretColorOf(ben.page, 'Wes')];
      return seen[0] !== null && seen[1] !== null && seen[0] !== seen[1];
    }, 10_000, 'Ben’s and Wes’s carets in different colours');
    expect(seen).toContain(colorFor('Ben'));
  });
});
