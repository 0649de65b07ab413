import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

const WAIT = 10_000;

type Item = [kind: string, checked: string | null, text: string];

/**
 * The notes' list items as [kind, checked, text]: `task` for a task item, `bullet` for a bullet-list item, with
 * their first paragraph's own text (without widgets). The template's empty bullets are left out.
 */
async function listItems(page: Page): Promise<Item[]> {
  const items = await editorOf(page).evaluate((pm) =>
    [...pm.querySelectorAll('li')].map((li) => {
      const kind = li.parentElement?.getAttribute('data-type') === 'taskList' ? 'task' : 'bullet';
      const p = li.querySelector('p');
      const copy = (p?.cloneNode(true) ?? document.createElement('p')) as HTMLElement;
      for (const widget of copy.querySelectorAll('.ProseMirror-widget, [contenteditable="false"], .collaboration-carets__caret, .collaboration-carets__label')) widget.remove();
      return [kind, li.getAttribute('data-checked'), copy.textContent ?? ''] as [string, string | null, string];
    }),
  );
  return items.filter(([kind, , text]) => kind === 'task' || text !== '');
}

/** Waits until the page's list items are `expected`; says what they were if they never are. */
async function expectItems(page: Page, expected: Item[], what: string): Promise<void> {
  let last: Item[] = [];
  await poll(async () => JSON.stringify((last = await listItems(page))) === JSON.stringify(expected), WAIT, what).catch((err: Error) => {
    throw new Error(`${err.message}: the list items are ${JSON.stringify(last)}`);
  });
}

/** Waits for a rendered frame after the keys just sent: the page has handled them. */
const frame = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));

describe('task items typed GitHub-style', () => {
  const suite = browserSuite();
  let fx: Fixture;

  async function open(name: string, token: string): Promise<Actor> {
    const actor = await newActor(suite.browser, name);
    suite.actors.push(actor);
    await actor.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, token));
    await editorOf(actor.page).waitFor({ state: 'visible' });
    return actor;
  }

  it('"- [ ] " and "- [x] " make task items (unchecked, checked) that a second browser and the Markdown minutes show as tasks', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E task items');
    const ana = await open('Ana', fx.event.tokens.edit);
    const ben = await open('Ben', fx.event.tokens.edit);

    await typeAtEnd(ana.page, '- [ ] share the configs');
    // Enter in a task item starts the next task item, Enter again leaves the list: a new bullet, ticked this time.
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('- [x] post the etherpad link', { delay: 20 });
    // A plain paragraph still works as before.
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('[ ] plain paragraph task', { delay: 20 });

    const expected: Item[] = [
      ['task', 'false', 'share the configs'],
      ['task', 'true', 'post the etherpad link'],
      ['task', 'false', 'plain paragraph task'],
    ];
    for (const actor of [ana, ben]) await expectItems(actor.page, expected, `${actor.name} sees three task items`);
    // Not left as a bullet line that starts with a literal box (which the tagger read as an action paragraph).
    expect(await editorOf(ana.page).innerText()).not.toContain('[ ]');

    let md = '';
    await poll(async () => {
      const res = await api<string>(suite.server.url, 'GET', `/api/sessions/${fx.session.id}/minutes?format=md`, { token: fx.event.tokens.view });
      md = res.body;
      return res.status === 200 && md.includes('plain paragraph task');
    }, WAIT, 'minutes with every line');
    expect(md).toMatch(/^- \[ \] share the configs$/m);
    expect(md).toMatch(/^- \[x\] post the etherpad link$/m);
    expect(md).toMatch(/^- \[ \] plain paragraph task$/m);
    expect(md).not.toContain('\\[');
  });

  it('"[ ] " in a bullet item between others, or nested in one, makes only that item a task; Ctrl+Z right after gives back the literal text', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E task items in lists');
    const ana = await open('Ana', fx.event.tokens.edit);

    await typeAtEnd(ana.page, '- first bullet');
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('[ ] a task among bullets', { delay: 20 });
    await ana.page.keyboard.press('Enter');
    // Enter in the task item makes another task item; Enter again leaves the list, "- " starts a bullet list again.
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('- last bullet', { delay: 20 });
    const middle: Item[] = [
      ['bullet', null, 'first bullet'],
      ['task', 'false', 'a task among bullets'],
      ['bullet', null, 'last bullet'],
    ];
    await expectItems(ana.page, middle, 'only the middle item is a task');

    // Undo right after the conversion: the bullet item is back, with the text as typed.
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('- ', { delay: 20 });
    await ana.page.waitForTimeout(700);
    await ana.page.keyboard.type('[ ] ', { delay: 20 });
    await expectItems(ana.page, [...middle, ['task', 'false', '']], 'the new bullet converted');
    await ana.page.keyboard.press('Control+z');
    await frame(ana.page);
    await expectItems(ana.page, [...middle, ['bullet', null, '[ ] ']], 'undone to the literal text');

    // In a bullet item nested under another one (Tab), only the nested item becomes a task.
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.press('Tab');
    await ana.page.keyboard.type('[x] nested task', { delay: 20 });
    await expectItems(ana.page, [...middle, ['bullet', null, '[ ] '], ['task', 'true', 'nested task']], 'the nested item is a task');
    expect(await editorOf(ana.page).locator('ul:not([data-type]) > li > ul[data-type="taskList"] > li', { hasText: 'nested task' }).count()).toBe(1);
  });
});
