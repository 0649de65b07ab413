import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';

const WAIT = 10_000;

type Item = [kind: string, checked: string | null, text: string];

/**
 * The notes' list items as [kind, checked, text]: `task` for a task item, `bullet` for a bullet-list item, `ordered`
 * for an ordered-list item, with their first paragraph's own text (without widgets). The template's empty bullets
 * are left out.
 */
async function listItems(page: Page): Promise<Item[]> {
  const items = await editorOf(page).evaluate((pm) =>
    [...pm.querySelectorAll('li')].map((li) => {
      const kind = li.parentElement?.getAttribute('data-type') === 'taskList' ? 'task' : li.parentElement?.tagName === 'OL' ? 'ordered' : 'bullet';
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

/** Pastes plain text at the caret, the way Chromium delivers a paste from the clipboard. */
async function pasteText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.querySelector('[data-testid="editor"] .ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
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

  it('"[ ] " / "[x] " after "1. " make that ordered item a task item; Ctrl+Z right after gives it back; pasted, a box stays text', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E task items in ordered lists');
    const ana = await open('Ana', fx.event.tokens.edit);
    const ben = await open('Ben', fx.event.tokens.edit);

    await typeAtEnd(ana.page, '1. first step');
    await ana.page.keyboard.press('Enter');
    // "1. [x] " in Markdown is a task in an ordered list: here the item becomes a task item (Tiptap's are unordered).
    await ana.page.keyboard.type('[x] ordered task', { delay: 20 });
    const typed: Item[] = [
      ['ordered', null, 'first step'],
      ['task', 'true', 'ordered task'],
    ];
    for (const actor of [ana, ben]) await expectItems(actor.page, typed, `${actor.name} sees an ordered item and a task item`);
    expect(await editorOf(ana.page).innerText()).not.toContain('[x]');
    let md = '';
    await poll(async () => {
      const res = await api<string>(suite.server.url, 'GET', `/api/sessions/${fx.session.id}/minutes?format=md`, { token: fx.event.tokens.view });
      md = res.body;
      return res.status === 200 && md.includes('ordered task');
    }, WAIT, 'minutes with every line');
    expect(md).toMatch(/^1\. first step$/m);
    expect(md).toMatch(/^- \[x\] ordered task$/m);

    // Ctrl+Z right after the conversion: the ordered item is back, with "[ ] " as typed.
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('1. ', { delay: 20 });
    await ana.page.waitForTimeout(700);
    await ana.page.keyboard.type('[ ] ', { delay: 20 });
    await expectItems(ana.page, [...typed, ['task', 'false', '']], 'the new ordered item converted');
    await ana.page.keyboard.press('Control+z');
    await frame(ana.page);
    const undone: Item[] = [...typed, ['ordered', null, '[ ] ']];
    await expectItems(ana.page, undone, 'undone to the literal text');

    // Pasted (as plain text, it is not Markdown), a box at the start of an ordered item stays text.
    await ana.page.keyboard.press('Enter');
    await pasteText(ana.page, '[ ] pasted into an ordered item');
    const pasted: Item[] = [...undone, ['ordered', null, '[ ] pasted into an ordered item']];
    for (const actor of [ana, ben]) await expectItems(actor.page, pasted, `${actor.name} sees the pasted box as text`);
  });

  it('"[x] " at the start of an empty task item ticks it, "[ ] " just goes; Ctrl+Z right after gives back the text; pasted, a box stays text', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E ticking task items');
    const ana = await open('Ana', fx.event.tokens.edit);
    const ben = await open('Ben', fx.event.tokens.edit);

    await typeAtEnd(ana.page, '- [ ] first task');
    // Enter in a task item makes an empty task item: "[x] " at its start ticks it, "[ ] " is removed.
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('[x] ticked in place', { delay: 20 });
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('[ ] still open', { delay: 20 });
    const typed: Item[] = [
      ['task', 'false', 'first task'],
      ['task', 'true', 'ticked in place'],
      ['task', 'false', 'still open'],
    ];
    for (const actor of [ana, ben]) await expectItems(actor.page, typed, `${actor.name} sees three task items`);
    const text = await editorOf(ana.page).innerText();
    expect(text).not.toContain('[x]');
    expect(text).not.toContain('[ ]');
    let md = '';
    await poll(async () => {
      const res = await api<string>(suite.server.url, 'GET', `/api/sessions/${fx.session.id}/minutes?format=md`, { token: fx.event.tokens.view });
      md = res.body;
      return res.status === 200 && md.includes('still open');
    }, WAIT, 'minutes with every line');
    expect(md).toMatch(/^- \[x\] ticked in place$/m);
    expect(md).toMatch(/^- \[ \] still open$/m);

    // Ctrl+Z right after ticking: unchecked again, with "[x] " as typed.
    await ana.page.keyboard.press('Enter');
    await ana.page.waitForTimeout(700);
    await ana.page.keyboard.type('[x] ', { delay: 20 });
    await expectItems(ana.page, [...typed, ['task', 'true', '']], 'the empty task item ticked');
    await ana.page.keyboard.press('Control+z');
    await frame(ana.page);
    const undone: Item[] = [...typed, ['task', 'false', '[x] ']];
    await expectItems(ana.page, undone, 'undone to the literal text');

    // Pasted into an empty task item, a box is text: the item is not ticked.
    await ana.page.keyboard.press('Enter');
    await pasteText(ana.page, '[x] ');
    const pasted: Item[] = [...undone, ['task', 'false', '[x] ']];
    for (const actor of [ana, ben]) await expectItems(actor.page, pasted, `${actor.name} sees the pasted box as text`);
  });
});
