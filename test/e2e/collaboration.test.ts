import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';
import { caretToEnd, editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer, type Actor } from './harness.js';
import { silentDropProxy } from './silentDropProxy.js';

const statusOf = (page: Page) => page.getByTestId('status');

/** The Tiptap editor the page hangs on its ProseMirror element, as much of it as tests read in the page. */
interface InPage {
  editor: {
    state: { doc: { descendants(f: (n: { isTextblock: boolean; textContent: string; nodeSize: number }, pos: number) => boolean | void): void } };
    commands: { setTextSelection(range: { from: number; to: number }): boolean };
  };
}

/** In the page: whether the y-indexeddb database holds an update containing `text` (Yjs stores inserted text as UTF-8). */
function storedUpdatesMention({ db, text }: { db: string; text: string }): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(db);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const conn = open.result;
      if (!conn.objectStoreNames.contains('updates')) return resolve(false), conn.close();
      const all = conn.transaction('updates').objectStore('updates').getAll();
      all.onerror = () => reject(all.error);
      all.onsuccess = () => {
        conn.close();
        const decoder = new TextDecoder();
        resolve((all.result as Uint8Array[]).some((u) => decoder.decode(u).includes(text)));
      };
    };
  });
}

describe('two note-takers and a reader in one session', () => {
  const suite = browserSuite();
  let fx: Fixture;

  async function open(name: string, token: string, lang: 'en' | 'ja' = 'en', base = suite.server.url): Promise<Actor> {
    const actor = await newActor(suite.browser, name, { lang });
    suite.actors.push(actor);
    await actor.page.goto(sessionUrl(base, fx.event.event.slug, fx.session.id, token));
    await editorOf(actor.page).waitFor({ state: 'visible' });
    return actor;
  }

  it('both type and see each other’s text and named carets; a view link follows live and cannot type', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E collaboration');
    const ana = await open('Ana', fx.event.tokens.edit);
    const ben = await open('Ben', fx.event.tokens.edit);
    const projector = await open('Projector', fx.event.tokens.view);

    await typeAtEnd(ana.page, 'Ana writes about cells v2');
    await typeAtEnd(ben.page, 'Ben adds OVS-DPDK notes');
    for (const actor of [ana, ben, projector]) {
      await poll(async () => {
        const text = await editorOf(actor.page).innerText();
        return text.includes('Ana writes about cells v2') && text.includes('Ben adds OVS-DPDK notes');
      }, 10_000, `${actor.name} sees both`);
    }
    // Named carets: Ana sees Ben's caret and vice versa.
    await poll(async () => (await ana.page.locator('.collaboration-carets__label', { hasText: 'Ben' }).count()) > 0, 10_000, 'Ana sees Ben’s caret');
    await poll(async () => (await ben.page.locator('.collaboration-carets__label', { hasText: 'Ana' }).count()) > 0, 10_000, 'Ben sees Ana’s caret');
    // Presence lists both note-takers.
    await poll(async () => {
      const p = await ana.page.getByTestId('presence').innerText();
      return p.includes('Ben') && p.includes('Ana');
    }, 10_000, 'presence list');

    // Saved means saved.
    await poll(async () => /saved/i.test(await statusOf(ana.page).innerText()), 10_000, 'Ana saved');

    // The reader cannot type.
    expect(await editorOf(projector.page).getAttribute('contenteditable')).toBe('false');
    // Said once, in the bar above the notes (issue 17: no separate badge any more).
    await expect(projector.page.getByTestId('editor-readonly').isVisible()).resolves.toBe(true);
    const before = await editorOf(projector.page).innerText();
    await editorOf(projector.page).click();
    await projector.page.keyboard.type('should not appear');
    // Barrier, not a sleep: the page has handled every key once it has rendered a frame after them.
    await projector.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    expect(await editorOf(projector.page).innerText()).toBe(before);
    // Barrier for the server: a line typed after the keys reaches Ana and the reader through the server.
    await typeAtEnd(ben.page, 'barrier after the reader typed');
    for (const actor of [ana, projector]) {
      await poll(async () => (await editorOf(actor.page).innerText()).includes('barrier after the reader typed'), 10_000, `${actor.name} sees the barrier line`);
    }
    expect(await editorOf(ana.page).innerText()).not.toContain('should not appear');
    expect(await editorOf(projector.page).innerText()).not.toContain('should not appear');

    // A reload keeps the text.
    await ben.page.reload();
    await editorOf(ben.page).waitFor({ state: 'visible' });
    await poll(async () => (await editorOf(ben.page).innerText()).includes('Ana writes about cells v2'), 10_000, 'text after reload');
  });

  it('while another note-taker types, one Ctrl+Z takes back the whole phrase just typed, not its last letter', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E undo while others type');
    const ana = await open('Ana', fx.event.tokens.edit);
    const ben = await open('Ben', fx.event.tokens.edit);
    await typeAtEnd(ben.page, 'Ben keeps typing ');
    // Ben goes on in the notes' first line (away from the end, where Ana will write), a letter every 40 ms:
    // his changes and his caret keep arriving at Ana's.
    await editorOf(ben.page).locator('h2, p').first().click();
    await ben.page.keyboard.press('End');
    await ben.page.waitForTimeout(100);
    let typing = true;
    const benTypes = (async () => {
      while (typing) {
        await ben.page.keyboard.type('b');
        await ben.page.waitForTimeout(40);
      }
    })().catch(() => undefined);
    await poll(async () => /bbb/.test(await editorOf(ana.page).innerText()), 10_000, 'Ben’s typing reaches Ana');
    await typeAtEnd(ana.page, 'undo this whole phrase', { delay: 60 });
    await poll(async () => (await editorOf(ana.page).innerText()).includes('undo this whole phrase'), 5000, 'Ana’s phrase');
    await ana.page.keyboard.press('Control+z');
    // Barrier: a rendered frame after the key.
    await ana.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    const after = await editorOf(ana.page).innerText();
    typing = false;
    await benTypes;
    // y-tiptap stopped capturing after every remote caret move: one undo took back "e" and left "undo this whole phras".
    expect(after).not.toContain('undo this');
    expect(after).toContain('Ben keeps typing');
    expect(after).toMatch(/bbb/);
  });

  it('on a tagged action line, text someone else inserts before my caret does not move it: my next keystroke lands where I left off', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E caret on action lines');
    const ana = await open('Ana', fx.event.tokens.edit);
    const ben = await open('Ben', fx.event.tokens.edit);
    await typeAtEnd(ana.page, 'ACTION: @ben do X by 2026-12-20');
    const line = (page: Page) => editorOf(page).locator('p', { hasText: 'ACTION: @ben' });
    // Tagged: the server wrote its id on the block (y-tiptap then finds the block by that id).
    await poll(async () => (await line(ben.page).getAttribute('class'))?.includes('action-item') ?? false, 10_000, 'the line tagged at Ben’s');
    await poll(async () => (await line(ana.page).getAttribute('class'))?.includes('action-item') ?? false, 10_000, 'the line tagged at Ana’s');
    // Ben puts his caret just after "X" and types there; Ana's caret stays at the end of the line.
    await line(ben.page).click({ position: { x: 2, y: 5 } });
    await ben.page.keyboard.press('Home');
    await ben.page.waitForTimeout(100);
    for (let i = 0; i < 'ACTION: @ben do X'.length; i++) await ben.page.keyboard.press('ArrowRight');
    await ben.page.waitForTimeout(100);
    await ben.page.keyboard.type('ZZZ');
    await poll(async () => (await line(ana.page).innerText()).includes('XZZZ'), 10_000, 'Ana sees Ben’s insert');
    await ana.page.keyboard.type('!');
    const expected = 'ACTION: @ben do XZZZ by 2026-12-20!';
    for (const actor of [ana, ben]) {
      // y-tiptap put Ana's caret back at its old offset: "… 2026-12!-20".
      const typed = () =>
        line(actor.page).evaluate((p) => {
          // The line's own text: without the tick, the chips and other people's carets.
          const copy = p.cloneNode(true) as HTMLElement;
          for (const widget of copy.querySelectorAll('[contenteditable="false"], .collaboration-carets__caret, .collaboration-carets__label')) widget.remove();
          return copy.textContent ?? '';
        });
      await poll(async () => (await typed()).includes('!'), 10_000, `${actor.name} sees Ana’s keystroke`);
      expect(await typed()).toBe(expected);
    }
  });

  it('everyone in the one empty Attendees bullet: when one types there, the others’ carets stay in it, and their names land there too', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E attendees');
    const ana = await open('Ana', fx.event.tokens.edit);
    const hana = await open('はな', fx.event.tokens.edit, 'ja');
    const textblocks = (page: Page) =>
      page.evaluate(() => {
        const out: string[] = [];
        (document.querySelector('[data-testid="editor"] .ProseMirror') as unknown as { editor: { state: { doc: { descendants(f: (n: { isTextblock: boolean; textContent: string }) => void): void } } } }).editor.state.doc.descendants((n) => {
          if (n.isTextblock) out.push(n.textContent);
        });
        return out;
      });
    const before = await textblocks(ana.page);
    // The template: a heading, then its empty bullet, for each section.
    const firstEmpty = before.indexOf('');
    expect(before.filter((t) => t === '').length).toBeGreaterThan(1);
    const bullet = (page: Page) => editorOf(page).locator('ul li p').first();
    await bullet(hana.page).click();
    await hana.page.waitForTimeout(300);
    await bullet(ana.page).click();
    await ana.page.keyboard.type('Ana Lee', { delay: 40 });
    await poll(async () => (await textblocks(hana.page))[firstEmpty] === 'Ana Lee', 10_000, 'Hana sees Ana’s name');
    await hana.page.waitForTimeout(300);
    await hana.page.keyboard.type('花子', { delay: 40 });
    await hana.page.keyboard.press('Enter');
    for (const actor of [ana, hana]) {
      await poll(async () => (await textblocks(actor.page)).includes('花子'), 10_000, `${actor.name} sees Hana’s name`);
      const now = await textblocks(actor.page);
      // Hana's caret stayed at the start of the line Ana typed into: her name, and after her Enter each name on its own line.
      expect(now.slice(firstEmpty, firstEmpty + 2)).toEqual(['花子', 'Ana Lee']);
      // Every other line is as it was (the old y-tiptap put Hana's caret in the next empty bullet, under the next heading).
      expect([...now.slice(0, firstEmpty), ...now.slice(firstEmpty + 2)]).toEqual([...before.slice(0, firstEmpty), ...before.slice(firstEmpty + 1)]);
    }
  });

  it('typing at the end of a line survives someone else turning it into a heading and a list item: every keystroke, its bold, and the caret', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E typing kept');
    const ana = await open('Ana', fx.event.tokens.edit);
    const ben = await open('Ben', fx.event.tokens.edit);
    const lineOf = (page: Page, start: string) =>
      editorOf(page).evaluate((pm, needle) => {
        const block = [...pm.querySelectorAll('p, h1, h2, h3')].find((b) => b.textContent?.includes(needle));
        if (!block) return null;
        const copy = block.cloneNode(true) as HTMLElement;
        for (const widget of copy.querySelectorAll('.collaboration-carets__caret, .collaboration-carets__label, [contenteditable="false"]')) widget.remove();
        return { text: copy.textContent ?? '', bold: [...copy.querySelectorAll('strong')].map((b) => b.textContent).join('') };
      }, start);
    // The heading first: Enter at the end of a heading starts a paragraph (in a list it would start an item).
    for (const [round, marker] of [['one', '## '], ['two', '- ']] as const) {
      const start = `Ben ${round}:`;
      const below = `Ana below ${round}`;
      await typeAtEnd(ben.page, start);
      await typeAtEnd(ana.page, below);
      await poll(async () => (await lineOf(ben.page, below))?.text === below, 10_000, `Ben sees the line below ${round}`);
      await editorOf(ben.page).getByText(start).click();
      await caretToEnd(ben.page, 'End', start);
      await editorOf(ana.page).getByText(start).click();
      await ana.page.keyboard.press('Home');
      await ana.page.waitForTimeout(100);
      // Ben keeps typing at the end of his line, the second half in bold; meanwhile Ana types the marker at
      // its start. The rewrite (block deleted, text copied) reaches Ben within a round trip, without his
      // latest keystrokes, and y-tiptap put his caret at the start of the line below.
      const plain = ' abcdefghijklm';
      const bold = 'nopqrstuvwxyz0123';
      const typing = (async () => {
        await ben.page.keyboard.type(plain, { delay: 30 });
        await ben.page.keyboard.press('Control+b');
        await ben.page.keyboard.type(bold, { delay: 30 });
      })();
      await Promise.all([typing, ana.page.waitForTimeout(450).then(() => ana.page.keyboard.type(marker))]);
      for (const actor of [ana, ben]) {
        await poll(async () => (await lineOf(actor.page, start))?.text === start + plain + bold, 10_000, `${actor.name} has every keystroke of line ${round}`);
      }
      // His next keystroke lands where he was typing, not in the line below.
      await ben.page.keyboard.type('!');
      for (const actor of [ana, ben]) {
        await poll(async () => (await lineOf(actor.page, start))?.text === `${start}${plain}${bold}!`, 10_000, `${actor.name} sees Ben's next keystroke in his line ${round}`);
        expect(await lineOf(actor.page, start)).toEqual({ text: `${start}${plain}${bold}!`, bold: `${bold}!` });
        expect((await lineOf(actor.page, below))?.text).toBe(below);
      }
      const block = marker === '- ' ? 'li p' : 'h2';
      await poll(async () => (await editorOf(ben.page).locator(block, { hasText: start }).count()) === 1, 10_000, `line ${round} rewritten as ${block}`);
      await ben.page.keyboard.press('Control+b');
    }
  });

  it('when someone deletes the line I am typing in, my next words start a line of their own instead of joining the next line', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E line deleted under the caret');
    const ana = await open('Ana', fx.event.tokens.edit);
    const ben = await open('Ben', fx.event.tokens.edit);
    const lines = (page: Page) =>
      editorOf(page).evaluate((pm) => {
        const out: string[] = [];
        (pm as unknown as InPage).editor.state.doc.descendants((n) => {
          if (n.isTextblock) out.push(n.textContent);
        });
        return out;
      });
    for (const [round, deleteFrom] of [['one', 'end of the line above'], ['two', 'start of the line']] as const) {
      const before = `Line before ${round}.`;
      const doomed = `Doomed line ${round} by Ana`;
      const after = `Line after ${round}.`;
      await typeAtEnd(ana.page, before);
      await ana.page.keyboard.press('Enter');
      await ana.page.keyboard.type(doomed, { delay: 10 });
      await ana.page.keyboard.press('Enter');
      await ana.page.keyboard.type(after, { delay: 10 });
      await poll(async () => (await lines(ben.page)).includes(after), 10_000, `Ben has Ana's lines ${round}`);
      // Ana's caret at the end of her line, idle for a moment, as when she pauses mid-sentence.
      await editorOf(ana.page).getByText(doomed).click();
      await caretToEnd(ana.page, 'End', doomed);
      // Ben selects the whole line (from the end of the line above, or from its start through its line break) and deletes it.
      await editorOf(ben.page).getByText(doomed).click();
      await editorOf(ben.page).evaluate((pm, [text, how]) => {
        const editor = (pm as unknown as InPage).editor;
        let from = -1;
        let size = 0;
        editor.state.doc.descendants((n, pos) => {
          if (n.isTextblock && n.textContent === text) {
            from = pos;
            size = n.nodeSize;
          }
          return from < 0;
        });
        editor.commands.setTextSelection(how === 'end of the line above' ? { from: from - 1, to: from + size - 1 } : { from: from + 1, to: from + size + 1 });
      }, [doomed, deleteFrom] as const);
      await ben.page.keyboard.press('Backspace');
      for (const actor of [ana, ben]) await poll(async () => !(await lines(actor.page)).includes(doomed), 10_000, `${actor.name} no longer has the line ${round}`);
      const next = `my next words ${round}`;
      await ana.page.keyboard.type(next, { delay: 20 });
      for (const actor of [ana, ben]) {
        await poll(async () => (await lines(actor.page)).includes(next), 10_000, `${actor.name} has Ana's next words on a line of their own (${round})`);
        const now = await lines(actor.page);
        expect(now.slice(now.indexOf(before), now.indexOf(before) + 3)).toEqual([before, next, after]);
      }
      // Only her first keystroke after the delete: the rest of her typing stays where it goes.
      await ana.page.keyboard.type('!');
      await poll(async () => (await lines(ben.page)).includes(`${next}!`), 10_000, `Ben has the keystroke after (${round})`);
    }
  });

  it('with the server stopped, typing and reloading keeps the edits, and they arrive once it is back', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E offline');
    const { port, dataDir } = suite.server;
    const carla = await open('Carla', fx.event.tokens.edit);
    await typeAtEnd(carla.page, 'online line');
    await poll(async () => /saved/i.test(await statusOf(carla.page).innerText()), 10_000, 'saved before outage');

    await suite.server.close();
    await poll(async () => /offline/i.test(await statusOf(carla.page).innerText()), 15_000, 'offline indicator');
    // One insertion, so that one stored update holds the whole line (checked below).
    await typeAtEnd(carla.page, 'written on bad conference wifi', { insert: true });
    expect(await statusOf(carla.page).innerText()).not.toMatch(/saved/i);
    // Reload while still offline once IndexedDB holds the line (y-indexeddb stores every update as it happens).
    await poll(() => carla.page.evaluate(storedUpdatesMention, { db: `roundtable:${fx.session.id}`, text: 'written on bad conference wifi' }), 10_000, 'the offline line in IndexedDB');
    // The service worker serves the app shell, the event comes from this device's cache and the notes from IndexedDB.
    await carla.page.reload();
    await editorOf(carla.page).waitFor({ state: 'visible', timeout: 15_000 });
    await poll(async () => (await editorOf(carla.page).innerText()).includes('written on bad conference wifi'), 10_000, 'offline edit after an offline reload');
    await poll(async () => /offline/i.test(await statusOf(carla.page).innerText()), 10_000, 'still offline after reload');
    suite.server = await startAppServer({ dataDir, port });
    await carla.page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.edit));
    await editorOf(carla.page).waitFor({ state: 'visible' });
    await poll(async () => (await editorOf(carla.page).innerText()).includes('written on bad conference wifi'), 10_000, 'offline edit kept');
    await poll(async () => /saved/i.test(await statusOf(carla.page).innerText()), 15_000, 'saved after reconnect');

    const check = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
    await waitForSync(check);
    await waitFor(() => notesText(check.doc).includes('written on bad conference wifi'), 10_000, 'server has the offline edit');
    check.destroy();
  });

  it('Japanese entered through IME composition lands as composed', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E IME');
    const hana = await open('はな', fx.event.tokens.edit, 'ja');
    const other = await open('Jun', fx.event.tokens.edit);
    await editorOf(hana.page).click();
    await hana.page.keyboard.press('Control+End');
    await hana.page.keyboard.press('Enter');
    const cdp = await hana.context.newCDPSession(hana.page);
    // Composition as an IME produces it: romaji → kana → kanji, then commit.
    for (const step of ['か', 'かい', 'かいぎ', '会議']) {
      await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
    }
    await cdp.send('Input.insertText', { text: '会議' });
    for (const step of ['の', 'のめ', 'のめも', 'のメモ']) {
      await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
    }
    await cdp.send('Input.insertText', { text: 'のメモ' });
    await poll(async () => (await editorOf(hana.page).innerText()).includes('会議のメモ'), 10_000, 'composed text locally');
    await poll(async () => (await editorOf(other.page).innerText()).includes('会議のメモ'), 10_000, 'composed text remotely');
    const text = await editorOf(other.page).innerText();
    expect(text).not.toMatch(/かいぎ|のめも/);
    await poll(async () => /保存済み/.test(await statusOf(hana.page).innerText()), 10_000, 'Japanese status');
  });

  it('an IME composition survives another note-taker adding and removing a line above it', async () => {
    suite.server = await startAppServer();
    fx = await createEventWithSession(suite.server.url, 'E2E IME remote Enter');
    const hana = await open('はな', fx.event.tokens.edit, 'ja');
    const jun = await open('Jun', fx.event.tokens.edit);
    await typeAtEnd(hana.page, 'Above.');
    await hana.page.keyboard.press('Enter');
    await hana.page.keyboard.insertText('メモ');
    await poll(async () => (await editorOf(jun.page).innerText()).includes('メモ'), 10_000, 'Jun sees the line');
    await editorOf(jun.page).getByText('Above.').click();
    await caretToEnd(jun.page, 'End', 'Above.');
    const blocks = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror > *').count();
    const cdp = await hana.context.newCDPSession(hana.page);
    const compose = async (steps: string[]) => {
      for (const step of steps) await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
    };

    // Half-way through a word, Jun splits the line above: one block more above Hana's.
    await compose(['し', 'しり']);
    await poll(async () => (await editorOf(jun.page).innerText()).includes('メモしり'), 10_000, 'the composition so far reaches Jun');
    const before = await blocks(hana.page);
    await jun.page.keyboard.press('Enter');
    await poll(async () => (await blocks(hana.page)) === before + 1, 10_000, 'Hana sees the new line');
    await compose(['しりょ', 'しりょう', '資料']);
    await cdp.send('Input.insertText', { text: '資料' });
    // Then he removes that line again while she composes the next word: one block fewer.
    await compose(['か', 'かく']);
    await poll(async () => (await editorOf(jun.page).innerText()).includes('資料かく'), 10_000, 'the second composition reaches Jun');
    await jun.page.keyboard.press('Backspace');
    await poll(async () => (await blocks(hana.page)) === before, 10_000, 'Hana sees the line removed');
    await compose(['かくに', 'かくにん', '確認']);
    await cdp.send('Input.insertText', { text: '確認' });

    for (const actor of [hana, jun]) {
      await poll(async () => (await editorOf(actor.page).innerText()).includes('メモ資料確認'), 10_000, `${actor.name} has the words as composed`);
    }
    // Before the fix the kana composed before the remote change stayed as text: 「メモしり資料…」.
    expect(await editorOf(jun.page).innerText()).not.toMatch(/しり|かく/);
  });

  /**
   * Hana composes 「資料」 at the end of her line 「今日のメモ」 while Jun types `- ` at its start: the paragraph is
   * deleted and a copy of its text inserted as a list item, and the paragraph's DOM, where Chrome composes,
   * leaves Hana's page. `seen` says how much of her composition reached Jun before his conversion: `all`
   * (the copy has her kana), `some` (the first kana only), `none` (the copy lacks them: her client's rescue
   * of lost typing would put them back); her messages to the server are held back for that. `committed`:
   * she commits the word while the conversion is on its way. `marker`: a list item, or a heading.
   */
  async function composeWhileConverted(seen: 'all' | 'some' | 'none' | 'committed', marker: '- ' | '## ' = '- ') {
    suite.server = await startAppServer();
    const proxy = await silentDropProxy(new URL(suite.server.url));
    try {
      fx = await createEventWithSession(suite.server.url, `E2E IME converted by ${marker.trim()}, ${seen} seen`);
      const hana = await open('はな', fx.event.tokens.edit, 'ja', proxy.url);
      const jun = await open('Jun', fx.event.tokens.edit);
      await typeAtEnd(hana.page, 'Above.');
      await hana.page.keyboard.press('Enter');
      // Long enough that lost typing at its end is put back after a conversion (see lostTyping.ts).
      await hana.page.keyboard.insertText('今日のメモ');
      await poll(async () => (await editorOf(jun.page).innerText()).includes('メモ'), 10_000, 'Jun sees the line');
      await editorOf(jun.page).getByText('メモ').click();
      await jun.page.keyboard.press('Home');
      await jun.page.waitForTimeout(100);
      const cdp = await hana.context.newCDPSession(hana.page);
      const compose = async (steps: string[]) => {
        for (const step of steps) await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
      };
      const converted = (page: Page) => editorOf(page).locator(marker === '- ' ? 'li' : 'h2', { hasText: 'メモ' }).count();
      /** The text of the line that holds メモ, without other people's carets, and what it is: `P in LI`, `H2`. */
      const lineOf = (page: Page) =>
        editorOf(page).evaluate((pm) => {
          const block = [...pm.querySelectorAll('p, h1, h2, h3')].find((b) => b.textContent?.includes('メモ'));
          if (!block) return null;
          const copy = block.cloneNode(true) as HTMLElement;
          for (const widget of copy.querySelectorAll('.collaboration-carets__caret, .collaboration-carets__label, [contenteditable="false"]')) widget.remove();
          return { text: copy.textContent ?? '', kind: block.tagName === 'P' ? `P in ${block.parentElement?.tagName}` : block.tagName };
        });
      const junConverts = async () => {
        await jun.page.keyboard.type(marker);
        await poll(async () => (await converted(hana.page)) === 1, 10_000, 'Hana sees her line converted');
      };

      if (seen === 'committed') {
        await compose(['し', 'しり', 'しりょ', 'しりょう', '資料']);
        await poll(async () => (await editorOf(jun.page).innerText()).includes('メモ資料'), 10_000, 'the composition reaches Jun');
        await Promise.all([jun.page.keyboard.type(marker), cdp.send('Input.insertText', { text: '資料' })]);
      } else {
        if (seen === 'none') proxy.hold();
        await compose(['し']);
        if (seen === 'some') {
          await poll(async () => (await editorOf(jun.page).innerText()).includes('メモし'), 10_000, 'the first kana reach Jun');
          proxy.hold();
        }
        await compose(['しり']);
        if (seen === 'all') await poll(async () => (await editorOf(jun.page).innerText()).includes('メモしり'), 10_000, 'the composition so far reaches Jun');
        await junConverts();
        proxy.release();
        await compose(['しりょ', 'しりょう', '資料']);
        await cdp.send('Input.insertText', { text: '資料' });
      }
      for (const actor of [hana, jun]) {
        await poll(async () => (await converted(actor.page)) === 1, 10_000, `${actor.name} sees the line converted`);
        // Before the fix: 「今日のメモしり資料」, the kana composed before the conversion left as text.
        await poll(async () => (await lineOf(actor.page))?.text === '今日のメモ資料', 10_000, `${actor.name} has 「今日のメモ資料」 once`).catch(async (e: Error) => {
          throw new Error(`${e.message}; the line reads ${JSON.stringify(await lineOf(actor.page))}`);
        });
      }
      // Her next keystroke goes on in the same line, and the line stays as composed everywhere.
      await hana.page.keyboard.insertText('。');
      for (const actor of [hana, jun]) {
        await poll(async () => (await lineOf(actor.page))?.text === '今日のメモ資料。', 10_000, `${actor.name} sees Hana’s next keystroke in her line`);
        expect(await lineOf(actor.page)).toEqual({ text: '今日のメモ資料。', kind: marker === '- ' ? 'P in LI' : 'H2' });
        expect(await editorOf(actor.page).innerText()).not.toMatch(/しり|りょ/);
      }
      const check = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.view);
      await waitForSync(check);
      await waitFor(() => notesText(check.doc).includes('メモ資料。'), 10_000, 'the server has the line');
      expect(notesText(check.doc)).not.toMatch(/しり|りょ|資料資料/);
      expect(notesText(check.doc).split('メモ').length).toBe(2);
      check.destroy();
    } finally {
      await proxy.close();
    }
  }

  it('an IME composition in the line someone else turns into a list item commits once (converted mid-composition)', async () => {
    await composeWhileConverted('all');
  });

  it('an IME composition in the line someone else turns into a list item commits once (converted before its first kana reached him)', async () => {
    await composeWhileConverted('none');
  });

  it('an IME composition in the line someone else turns into a list item commits once (converted when part of it reached him)', async () => {
    await composeWhileConverted('some');
  });

  it('an IME composition in the line someone else turns into a list item commits once (converted as the word is committed)', async () => {
    await composeWhileConverted('committed');
  });

  it('an IME composition in the line someone else turns into a heading commits once', async () => {
    await composeWhileConverted('all', '## ');
  });
});
