import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, createEventWithSession, type Fixture } from '../helpers/testServer.js';
import { appendParagraph, connectClient, waitForSync } from '../helpers/yClient.js';
import { editorOf, typeAtEnd } from './editorKeys.js';
import { browserSuite, newActor, poll, sessionUrl, startAppServer } from './harness.js';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core on the page as it is now and returns its serious and critical
 * violations. Evaluated through the DevTools protocol, so the page's strict CSP
 * (no inline scripts) does not stop it.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(', ')}`);
}

describe('accessibility: no serious or critical axe-core violations', () => {
  const suite = browserSuite();
  let fx: Fixture;

  for (const lang of ['en', 'ja'] as const) {
    it(`home, event, board, import dialog, session and projector pages (${lang})`, async () => {
      suite.server = await startAppServer();
      fx = await createEventWithSession(suite.server.url, lang === 'ja' ? 'アクセシビリティ確認' : 'Accessibility check');
      const seeder = connectClient(suite.server.wsUrl, fx.session.id, fx.event.tokens.edit);
      await waitForSync(seeder);
      appendParagraph(seeder.doc, 'ACTION: @dana send the summary by 2016-05-17 ##ops');
      seeder.destroy();
      const mo = await newActor(suite.browser, lang === 'ja' ? 'はな' : 'Mo', { lang });
      suite.actors.push(mo);
      const page = mo.page;
      const found: Record<string, string[]> = {};
      const check = async (name: string) => {
        found[name] = await seriousViolations(page);
      };

      await page.goto(`${suite.server.url}/`);
      await page.getByTestId('create-event-form').waitFor();
      await check('home');

      const event = `${suite.server.url}/e/${fx.event.event.slug}`;
      await page.goto(`${event}#k=${fx.event.tokens.moderate}`);
      await page.locator('[data-testid="session-row"]').first().waitFor();
      await check('event (schedule)');

      await page.getByTestId('open-import').click();
      await page.getByTestId('import-dialog').waitFor();
      await check('import dialog');
      await page.keyboard.press('Escape');

      await page.goto(`${event}/actions#k=${fx.event.tokens.moderate}`);
      await poll(async () => (await page.locator('body').innerText()).includes('send the summary'), 15_000, 'board items');
      await check('action-items board');

      await page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.moderate));
      await editorOf(page).waitFor();
      await typeAtEnd(page, 'TODO: @mo book the room');
      await poll(async () => (await page.getByTestId('action-tick').count()) >= 1, 15_000, 'action line marked');
      await check('session');

      await page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.view, '/present'));
      await page.getByTestId('projector').waitFor();
      await poll(async () => (await editorOf(page).innerText()).includes('send the summary'), 15_000, 'projector notes');
      await check('projector');
      await page.keyboard.press('t');
      await poll(async () => (await page.getByTestId('projector').getAttribute('data-theme')) === 'dark', 5000, 'dark theme');
      await check('projector (dark)');

      // A reader on the view link, and the banner a rotated link shows.
      await page.goto(sessionUrl(suite.server.url, fx.event.event.slug, fx.session.id, fx.event.tokens.view));
      await editorOf(page).waitFor();
      await check('session (reader)');
      await api(suite.server.url, 'POST', `/api/events/${fx.event.event.id}/links/view/rotate`, { token: fx.event.tokens.moderate });
      await page.getByTestId('connection-banner').waitFor();
      await check('session (link replaced)');

      expect(found).toEqual({
        home: [],
        'event (schedule)': [],
        'import dialog': [],
        'action-items board': [],
        session: [],
        projector: [],
        'projector (dark)': [],
        'session (reader)': [],
        'session (link replaced)': [],
      });
    });
  }
});
