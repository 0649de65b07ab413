import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { browserPrerequisites, CLIENT_DIR, launchChromium } from '../helpers/chromium.js';
import { eventually } from '../helpers/eventually.js';
import { startTestServer, type TestServer } from '../helpers/testServer.js';
import type { ServerOptions } from '../../server/createServer.js';

export { CLIENT_DIR };

export async function launchBrowser(): Promise<Browser> {
  const missing = browserPrerequisites();
  if (missing.length) throw new Error(missing.join('; '));
  return launchChromium();
}

export async function startAppServer(opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  return startTestServer({ clientDir: CLIENT_DIR, taggerDebounceMs: 150, ...opts });
}

export interface Actor {
  name: string;
  context: BrowserContext;
  page: Page;
  /** The page's console warnings and errors, as printed. */
  console: string[];
}

/**
 * A named person in their own browser context (own storage, own IndexedDB),
 * with their display name already chosen and the UI language fixed.
 */
export async function newActor(
  browser: Browser,
  name: string,
  opts: { lang?: 'en' | 'ja'; viewport?: { width: number; height: number } } = {},
): Promise<Actor> {
  const lang = opts.lang ?? 'en';
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    locale: lang === 'ja' ? 'ja-JP' : 'en-US',
    timezoneId: 'America/Chicago',
  });
  await context.addInitScript(
    ([n, l]) => {
      if (!localStorage.getItem('roundtable:name')) localStorage.setItem('roundtable:name', n);
      if (!localStorage.getItem('roundtable:lang')) localStorage.setItem('roundtable:lang', l);
    },
    [name, lang] as const,
  );
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${name}] page error:`, err.message));
  const printed: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') printed.push(m.text());
  });
  return { name, context, page, console: printed };
}

/** The tests' one polling helper (test/helpers/eventually.ts), with the longer default a browser needs. */
export const poll = (check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what?: string): Promise<void> => eventually(check, timeoutMs, what);

export function sessionUrl(base: string, eventSlug: string, sessionId: string, token: string, suffix = ''): string {
  return `${base}/e/${eventSlug}/s/${sessionId}${suffix}#k=${token}`;
}

export interface BrowserSuite {
  /** One Chromium for the whole file. */
  browser: Browser;
  /** The server of the current test; closed after each test. */
  server: TestServer;
  /** Everyone who opened a page in the current test; their contexts close after each test. */
  actors: Actor[];
}

/**
 * Registers the hooks every multi-user browser suite needs: one browser per
 * file, and after each test every actor's context and the test's server closed.
 */
export function browserSuite(): BrowserSuite {
  const suite: BrowserSuite = { browser: undefined as unknown as Browser, server: undefined as unknown as TestServer, actors: [] };
  beforeAll(async () => {
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
  });
  afterEach(async () => {
    for (const a of suite.actors.splice(0)) await a.context.close();
    await suite.server?.close();
    suite.server = undefined as unknown as TestServer;
  });
  return suite;
}
