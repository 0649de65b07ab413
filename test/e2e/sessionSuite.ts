import type { Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { recordSockets, recordStatuses } from './connectionLog.js';
import { browserSuite, newActor, sessionUrl, startAppServer, type Actor, type BrowserSuite } from './harness.js';
import { silentDropProxy, type SilentDropProxy } from './silentDropProxy.js';

/** The status badge's state ("saved", "saving", "offline", …). */
export const statusOf = (page: Page) => page.getByTestId('status').getAttribute('data-status');

export interface SessionSuite extends BrowserSuite {
  /** The current test's event and session, set by start(). */
  fx: Fixture;
  /** A new app server for this test, with one event and session titled `title`. */
  start(title: string): Promise<void>;
  /** A proxy in front of this test's server whose drop() silences the open WebSockets; closed after the test. */
  silentDropProxy(): Promise<SilentDropProxy>;
  /**
   * A named note-taker on the session's page (edit link) at `base`, the server
   * or a proxy in front of it, once the editor shows. `record` installs the
   * socket and status logs of ./connectionLog.ts before the page loads.
   */
  open(base: string, name: string, opts?: { record?: boolean }): Promise<Actor>;
}

/**
 * browserSuite() for tests of one session whose note-takers' networks drop
 * and come back: the set-up the client-id and presence-reconnect suites share.
 */
export function sessionSuite(): SessionSuite {
  const browser = browserSuite();
  let proxy: SilentDropProxy | null = null;
  // Registered after browserSuite's hooks, so (hooks run as a stack) the proxy closes before the pages and the server.
  afterEach(async () => {
    await proxy?.close();
    proxy = null;
  });
  const suite: SessionSuite = Object.assign(browser, {
    fx: undefined as unknown as Fixture,
    async start(title: string) {
      suite.server = await startAppServer();
      suite.fx = await createEventWithSession(suite.server.url, title);
    },
    async silentDropProxy() {
      proxy = await silentDropProxy(new URL(suite.server.url));
      return proxy;
    },
    async open(base: string, name: string, opts: { record?: boolean } = {}) {
      const a = await newActor(suite.browser, name);
      suite.actors.push(a);
      if (opts.record) {
        await recordSockets(a.context);
        await recordStatuses(a.context);
      }
      await a.page.goto(sessionUrl(base, suite.fx.event.event.slug, suite.fx.session.id, suite.fx.event.tokens.edit));
      await a.page.getByTestId('editor').waitFor();
      return a;
    },
  });
  return suite;
}
