import type { Browser, Page } from 'playwright-core';
import * as Y from 'yjs';
import { NOTES_FRAGMENT } from '../shared/protocol.js';
import { writeBigNotes } from '../test/helpers/bigNotes.js';
import { browserPrerequisites, CLIENT_DIR, launchChromium } from '../test/helpers/chromium.js';
import { createEventWithSession, startTestServer, type TestServer } from '../test/helpers/testServer.js';
import { connectClient, waitForSync, type YClient } from '../test/helpers/yClient.js';
import { envInt, quantile } from './lib/numbers.js';
import { type Bench, type BenchTable } from './table.js';

/**
 * Typing in the browser: the time from a key press to the end of the frame
 * that shows it, in headless Chromium (software rendering, so a desktop
 * browser with a GPU does better), in the built client (dist/client).
 *
 * Cases: the template's short note; a long note of BENCH_TYPING_LINES [3000]
 * lines (lists, bold, action lines), typing in its middle; the same with
 * another note-taker typing elsewhere in it BENCH_TYPING_REMOTE_HZ [5]
 * keystrokes a second (each one re-renders the note in y-tiptap). Per case,
 * BENCH_TYPING_RUNS [3] runs of BENCH_TYPING_KEYS [100] keystrokes 40 ms
 * apart, after 10 unmeasured ones; the median of the runs' p50 and p95, with
 * their range. The page's main-thread busy time per keystroke comes from the
 * DevTools protocol's Performance metrics (TaskDuration).
 */


const KEYS = envInt('BENCH_TYPING_KEYS', 100);
const RUNS = envInt('BENCH_TYPING_RUNS', 3);
const LINES = envInt('BENCH_TYPING_LINES', 3000);
const REMOTE_HZ = envInt('BENCH_TYPING_REMOTE_HZ', 5);

interface Case {
  name: string;
  long: boolean;
  remote: boolean;
}

/** In the page: from each keydown to the first task after the next frame. */
function installProbe(): void {
  const w = window as unknown as { __keyToFrame: number[] };
  w.__keyToFrame = [];
  document.addEventListener(
    'keydown',
    (e) => {
      const t0 = e.timeStamp;
      requestAnimationFrame(() => setTimeout(() => w.__keyToFrame.push(performance.now() - t0), 0));
    },
    true,
  );
}

/** Puts the caret at the end of the block in the middle of the note (of the last one when short), as a user does. */
async function caretInMiddle(page: Page, long: boolean): Promise<void> {
  const blocks = page.locator('[data-testid="editor"] .ProseMirror > *');
  const count = await blocks.count();
  const block = blocks.nth(long ? Math.floor(count / 2) : count - 1);
  await block.scrollIntoViewIfNeeded();
  await block.click();
  await page.keyboard.press('End');
}

/** Another note-taker typing at the top of the note, through a stock y-websocket client. */
function remoteTypist(client: YClient, hz: number): () => void {
  const fragment = client.doc.getXmlFragment(NOTES_FRAGMENT);
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  p.insert(0, [t]);
  fragment.insert(0, [p]);
  const timer = setInterval(() => t.insert(t.length, 'x'), 1000 / hz);
  return () => clearInterval(timer);
}

async function measure(browser: Browser, server: TestServer, c: Case): Promise<{ p50: number; p95: number; busyMs: number }> {
  const fx = await createEventWithSession(server.url, `Typing bench: ${c.name}`);
  const helpers: YClient[] = [];
  if (c.long) helpers.push(...(await writeBigNotes(server.wsUrl, fx.session.id, fx.event.tokens.edit, LINES * 200)).clients);
  let stopRemote = () => {};
  if (c.remote) {
    const other = connectClient(server.wsUrl, fx.session.id, fx.event.tokens.edit);
    helpers.push(other);
    await waitForSync(other, 60_000);
    stopRemote = remoteTypist(other, REMOTE_HZ);
  }
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(() => {
    localStorage.setItem('roundtable:name', 'Bench');
    localStorage.setItem('roundtable:lang', 'en');
  });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/e/${fx.event.event.slug}/s/${fx.session.id}#k=${fx.event.tokens.edit}`);
    await page.locator('[data-testid="editor"] .ProseMirror').waitFor({ state: 'visible', timeout: 120_000 });
    await page.waitForFunction((min) => (document.querySelector('[data-testid="editor"] .ProseMirror')?.childElementCount ?? 0) > min, c.long ? Math.floor(LINES / 3) : 3, { timeout: 120_000 });
    await caretInMiddle(page, c.long);
    await page.evaluate(installProbe);
    await page.keyboard.type(' warm up ', { delay: 40 });
    await page.waitForTimeout(300);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
    await page.evaluate(() => ((window as unknown as { __keyToFrame: number[] }).__keyToFrame = []));
    const before = await busy();
    const text = 'the operators agreed to share their upgrade notes '.repeat(10).slice(0, KEYS);
    await page.keyboard.type(text, { delay: 40 });
    await page.waitForTimeout(300);
    const busyMs = ((await busy()) - before) / KEYS;
    const samples = await page.evaluate(() => (window as unknown as { __keyToFrame: number[] }).__keyToFrame);
    return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95), busyMs };
  } finally {
    stopRemote();
    await context.close();
    for (const h of helpers) h.destroy();
  }
}

const median = (xs: number[]) => quantile(xs, 0.5);
const range = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

const bench: Bench = {
  name: 'typing',
  async run(): Promise<BenchTable[]> {
    const missing = browserPrerequisites();
    if (missing.length) return [{ title: 'Typing in the browser: skipped', columns: ['reason'], rows: missing.map((m) => [m]) }];
    const cases: Case[] = [
      { name: 'short note (the template)', long: false, remote: false },
      { name: `${LINES.toLocaleString('en-US')}-line note, typing in its middle`, long: true, remote: false },
      { name: `${LINES.toLocaleString('en-US')}-line note, another note-taker typing ${REMOTE_HZ}/s`, long: true, remote: true },
    ];
    const server = await startTestServer({ clientDir: CLIENT_DIR });
    const browser = await launchChromium();
    const results = new Map<string, { p50: number; p95: number; busyMs: number }[]>(cases.map((c) => [c.name, []]));
    try {
      // Round by round, so a slow minute on a shared machine hits every case alike.
      for (let run = 0; run < RUNS; run++) for (const c of cases) results.get(c.name)!.push(await measure(browser, server, c));
    } finally {
      await browser.close();
      await server.close();
    }
    return [
      {
        title: 'Typing in the browser: key press to frame (headless Chromium, software rendering)',
        columns: ['case', 'p50 ms', 'p50 range', 'p95 ms', 'p95 range', 'main thread ms / key'],
        rows: cases.map((c) => {
          const r = results.get(c.name)!;
          return [c.name, median(r.map((x) => x.p50)), range(r.map((x) => x.p50)), median(r.map((x) => x.p95)), range(r.map((x) => x.p95)), median(r.map((x) => x.busyMs))];
        }),
        notes: [`${RUNS} runs of ${KEYS} keystrokes 40 ms apart per case, round by round; median of the runs, and their range. The page's main-thread time per keystroke includes rendering other people's keystrokes.`],
      },
    ];
  },
};

export default bench;
