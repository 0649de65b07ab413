import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient, api } from '../helpers/testServer.js';
import { browserSuite, newActor, poll, startAppServer } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = process.env.RT_SHOT_DIR ?? path.join(root, 'screenshots');

/** Six days, one session each: six day tabs (long ones in Japanese, 11月22日(土) …). */
const CSV = ['title,date,start,end,room,moderators,tags', ...[22, 23, 24, 25, 26, 27].map((d) => `Day ${d} keynote,2025-11-${d},09:00,10:00,Room A,akiko,`)].join('\n');

describe('the schedule at phone width', () => {
  const suite = browserSuite();
  beforeAll(() => fs.mkdirSync(SHOTS, { recursive: true }));

  for (const lang of ['en', 'ja'] as const) {
    it(`(${lang}) six day tabs and the view tabs wrap: the page is never wider than the screen, and every tab is on screen`, async () => {
      suite.server = await startAppServer();
      const ev = await apiClient(suite.server.url).createEvent({ title: 'Six days', timezone: 'Asia/Tokyo' });
      const res = await api(suite.server.url, 'POST', `/api/events/${ev.event.slug}/schedule`, { token: ev.tokens.moderate, rawBody: CSV, contentType: 'text/csv' });
      expect(res.status).toBe(200);
      for (const [who, token] of [['edit', ev.tokens.edit], ['moderate', ev.tokens.moderate]] as const) {
        const phone = await newActor(suite.browser, `Phone ${who}`, { lang, viewport: { width: 390, height: 844 } });
        suite.actors.push(phone);
        await phone.page.goto(`${suite.server.url}/e/${ev.event.slug}#k=${token}`);
        const dayTabs = phone.page.locator('.day-tabs [role="tab"]');
        await poll(async () => (await dayTabs.count()) === 6, 15_000, 'six day tabs');
        await phone.page.screenshot({ path: path.join(SHOTS, `day-tabs-${lang}-390-${who}.png`), fullPage: true });
        expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        // Every day tab and every view tab lies within the screen's width (none pushed off to the side).
        for (const tab of [...(await dayTabs.all()), ...(await phone.page.locator('.tabs [role="tab"]').all())]) {
          const box = (await tab.boundingBox())!;
          expect(box.x).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width).toBeLessThanOrEqual(390);
        }
        // The last day is reachable: a tap shows its session.
        await dayTabs.last().click();
        await poll(async () => (await phone.page.getByText('Day 27 keynote').count()) > 0, 10_000, 'the last day shown');
      }
    }, 60_000);
  }
});
