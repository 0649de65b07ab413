import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CreateEventResponse, EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import { apiClient, api } from '../helpers/testServer.js';
import { browserSuite, newActor, poll, startAppServer } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(root, 'screenshots');

/** One day with a plenary, a session across two neighbouring rooms, and one in two rooms that cannot be neighbours. */
const CSV = [
  'title,date,start,end,room,moderators,tags',
  'Opening,2025-11-22,09:00,09:30,All rooms,akiko,',
  'Upgrades,2025-11-22,09:45,10:30,Room A,akiko,upgrades',
  'Large deployments,2025-11-22,09:45,10:30,Room B,bruno,ldt',
  'NFV/Telco WG,2025-11-22,09:45,10:30,Room C,bruno,nfv',
  'Hands-on: Ceph,2025-11-22,10:45,12:15,Room A;Room B,emeka,storage',
  'Scientific WG,2025-11-22,10:45,11:30,Room C,chen,',
  'Joint WG: Ops + Telco,2025-11-22,13:00,14:00,Room A;Room C,dana,',
  'Hallway track,2025-11-22,13:00,14:00,Room B,,',
].join('\n');

const cards = (page: Page, title: string) => page.locator('[data-testid="session-row"]', { has: page.getByRole('heading', { name: title, exact: true }) });

describe('a session in several rooms', () => {
  const suite = browserSuite();
  beforeAll(() => fs.mkdirSync(SHOTS, { recursive: true }));

  async function event(): Promise<{ ev: CreateEventResponse; sessions: SessionDto[] }> {
    const ev = (await apiClient(suite.server.url).createEvent({ title: 'Rooms', timezone: 'Asia/Tokyo' }));
    const res = await api(suite.server.url, 'POST', `/api/events/${ev.event.slug}/schedule`, { token: ev.tokens.moderate, rawBody: CSV, contentType: 'text/csv' });
    expect(res.status).toBe(200);
    const sessions = (await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body.sessions;
    return { ev, sessions };
  }

  for (const lang of ['en', 'ja'] as const) {
    it(`(${lang}) spans neighbouring rooms, marks rooms that cannot be neighbours, runs a plenary across the row; a list on the phone (screenshots)`, async () => {
      suite.server = await startAppServer();
      const { ev, sessions } = await event();
      expect(sessions.find((s) => s.title === 'Hands-on: Ceph')!.rooms).toEqual(['Room A', 'Room B']);
      expect(sessions.find((s) => s.title === 'Opening')!.rooms).toEqual([]);
      const url = `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.view}`;

      const wide = await newActor(suite.browser, 'Wide', { lang, viewport: { width: 1920, height: 1080 } });
      suite.actors.push(wide);
      await wide.page.goto(url);
      await cards(wide.page, 'Hands-on: Ceph').first().waitFor();
      // Three room columns and no fake "Room A;Room B" or "—" column.
      expect(await wide.page.getByTestId('grid-room').allInnerTexts()).toEqual(['ROOM A', 'ROOM B', 'ROOM C']);
      const [a, b, c] = await Promise.all((await wide.page.getByTestId('grid-room').all()).map(async (h) => (await h.boundingBox())!));
      const box = async (title: string, nth = 0) => (await cards(wide.page, title).nth(nth).boundingBox())!;
      const near = (x: number, y: number) => Math.abs(x - y) <= 2;

      const ceph = await box('Hands-on: Ceph');
      expect(near(ceph.x, a!.x) && near(ceph.x + ceph.width, b!.x + b!.width)).toBe(true);
      expect(await cards(wide.page, 'Hands-on: Ceph').count()).toBe(1);
      const opening = await box('Opening');
      expect(near(opening.x, a!.x) && near(opening.x + opening.width, c!.x + c!.width)).toBe(true);
      // Room A and Room C cannot both sit next to Room B's neighbour: the session shows in each, marked.
      expect(await cards(wide.page, 'Joint WG: Ops + Telco').count()).toBe(2);
      const [jointA, jointC] = [await box('Joint WG: Ops + Telco', 0), await box('Joint WG: Ops + Telco', 1)];
      expect(near(jointA.x, a!.x) && near(jointA.width, a!.width)).toBe(true);
      expect(near(jointC.x, c!.x)).toBe(true);
      const markers = await cards(wide.page, 'Joint WG: Ops + Telco').getByTestId('also-in').allInnerTexts();
      expect(markers).toEqual(lang === 'ja' ? ['⇄ Room Cでも', '⇄ Room Aでも'] : ['⇄ also in Room C', '⇄ also in Room A']);
      // Neighbours stay in their own columns next to the spanning session.
      const scientific = await box('Scientific WG');
      expect(near(scientific.x, c!.x)).toBe(true);
      expect(scientific.y).toBeCloseTo(ceph.y, 0);
      const wideShot = PNG.sync.read(await wide.page.screenshot({ path: path.join(SHOTS, `rooms-${lang}-1920.png`) }));
      expect([wideShot.width, wideShot.height]).toEqual([1920, 1080]);

      const phone = await newActor(suite.browser, 'Phone', { lang, viewport: { width: 390, height: 844 } });
      suite.actors.push(phone);
      await phone.page.goto(url);
      await cards(phone.page, 'Hands-on: Ceph').first().waitFor();
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      // One card per session in the list: the second "Joint WG" card is hidden.
      const visibleJoint = await cards(phone.page, 'Joint WG: Ops + Telco').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length);
      expect(visibleJoint).toBe(1);
      const listed = await Promise.all((await phone.page.getByTestId('session-row').all()).map(async (c) => c.boundingBox()));
      const shown = listed.filter((x): x is NonNullable<typeof x> => x !== null);
      expect(shown).toHaveLength(sessions.length);
      expect(new Set(shown.map((x) => Math.round(x.x))).size).toBe(1);
      for (let i = 1; i < shown.length; i++) expect(shown[i]!.y).toBeGreaterThanOrEqual(shown[i - 1]!.y + shown[i - 1]!.height - 1);
      await poll(async () => (await phone.page.getByTestId('card-rooms').first().innerText()).length > 0, 5000, 'rooms on the cards');
      expect(await cards(phone.page, 'Hands-on: Ceph').getByTestId('card-rooms').innerText()).toBe('Room A, Room B');
      const phoneShot = PNG.sync.read(await phone.page.screenshot({ path: path.join(SHOTS, `rooms-${lang}-390.png`), fullPage: false }));
      expect([phoneShot.width, phoneShot.height]).toEqual([390, 844]);
    });
  }
});

describe('sessions that overlap in one room', () => {
  const suite = browserSuite();
  beforeAll(() => fs.mkdirSync(SHOTS, { recursive: true }));

  /** 10 Dec in Chicago: in Salon C a session runs long into the next one; in Salon D a 10-minute lightning talk follows a long one. */
  async function event() {
    const ev = await apiClient(suite.server.url).createEvent({ title: 'Overlaps', timezone: 'America/Chicago' });
    const base = Date.parse('2026-12-10T16:00:00Z');
    const at = (min: number) => new Date(base + min * 60_000).toISOString();
    const add = async (title: string, rooms: string[], from: number, to: number) =>
      (await api<SessionDto>(suite.server.url, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title, rooms, startsAt: at(from), endsAt: at(to) } })).body;
    await add('Ops war stories (runs long)', ['Salon C'], 0, 50);
    await add('Monitoring working group', ['Salon C'], 40, 90);
    await add('Billing and metering', ['Salon D'], 0, 90);
    await add('Lightning: ten-minute upgrade tips from the field', ['Salon D'], 90, 100);
    await add('Closing', ['Salon C'], 100, 115);
    return ev;
  }

  /** The heading is on screen, inside its own card, and nothing else is painted over its first line. */
  async function titleReadable(page: Page, title: string) {
    const card = cards(page, title);
    const heading = card.getByRole('heading', { name: title, exact: true });
    expect(await heading.isVisible()).toBe(true);
    const [c, h] = [(await card.boundingBox())!, (await heading.boundingBox())!];
    expect(h.height).toBeGreaterThanOrEqual(12);
    expect(h.x >= c.x - 1 && h.y >= c.y - 1 && h.x + h.width <= c.x + c.width + 1 && h.y + h.height <= c.y + c.height + 1).toBe(true);
    const onTop = await heading.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + 4, r.top + Math.min(8, r.height / 2));
      return hit !== null && el.contains(hit);
    });
    expect(onTop, `${title} is not covered`).toBe(true);
  }

  for (const lang of ['en', 'ja'] as const) {
    it(`(${lang}) sit side by side within the room's column, every title readable, a 10-minute session too; a list on the phone (screenshots)`, async () => {
      suite.server = await startAppServer();
      const ev = await event();
      const url = `${suite.server.url}/e/${ev.event.slug}#k=${ev.tokens.moderate}`;
      for (const viewport of [{ width: 1920, height: 1080 }, { width: 1366, height: 768 }]) {
        const a = await newActor(suite.browser, `Wide ${viewport.width}`, { lang, viewport });
        suite.actors.push(a);
        await a.page.goto(url);
        await cards(a.page, 'Monitoring working group').waitFor();
        expect(await a.page.getByTestId('grid-room').allInnerTexts()).toEqual(['SALON C', 'SALON D']);
        const [salonC, salonD] = await Promise.all((await a.page.getByTestId('grid-room').all()).map(async (h) => (await h.boundingBox())!));
        const war = (await cards(a.page, 'Ops war stories (runs long)').boundingBox())!;
        const monitoring = (await cards(a.page, 'Monitoring working group').boundingBox())!;
        // The two boxes do not overlap, and both stay within Salon C's column.
        const apart = war.x + war.width <= monitoring.x || monitoring.x + monitoring.width <= war.x || war.y + war.height <= monitoring.y || monitoring.y + monitoring.height <= war.y;
        expect(apart, JSON.stringify({ war, monitoring })).toBe(true);
        for (const b of [war, monitoring]) expect(b.x >= salonC!.x - 2 && b.x + b.width <= salonC!.x + salonC!.width + 2).toBe(true);
        expect(monitoring.x).toBeGreaterThan(war.x);
        // Sessions that overlap nothing keep the whole width of their room.
        const billing = (await cards(a.page, 'Billing and metering').boundingBox())!;
        expect(Math.abs(billing.x - salonD!.x) <= 2 && Math.abs(billing.width - salonD!.width) <= 2).toBe(true);
        const closing = (await cards(a.page, 'Closing').boundingBox())!;
        expect(Math.abs(closing.x - salonC!.x) <= 2 && Math.abs(closing.width - salonC!.width) <= 2).toBe(true);
        for (const title of ['Ops war stories (runs long)', 'Monitoring working group', 'Billing and metering', 'Lightning: ten-minute upgrade tips from the field', 'Closing']) await titleReadable(a.page, title);
        // Each card still shows its time.
        expect(await cards(a.page, 'Ops war stories (runs long)').locator('.time').innerText()).toBe('10:00–10:50');
        await a.page.screenshot({ path: path.join(SHOTS, `overlap-${lang}-${viewport.width}.png`) });
      }

      const phone = await newActor(suite.browser, 'Phone', { lang, viewport: { width: 390, height: 844 } });
      suite.actors.push(phone);
      await phone.page.goto(url);
      await cards(phone.page, 'Monitoring working group').waitFor();
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const listed = (await Promise.all((await phone.page.getByTestId('session-row').all()).map(async (c) => c.boundingBox()))).filter((x): x is NonNullable<typeof x> => x !== null);
      expect(listed).toHaveLength(5);
      expect(new Set(listed.map((x) => Math.round(x.x))).size).toBe(1);
      for (let i = 1; i < listed.length; i++) expect(listed[i]!.y).toBeGreaterThanOrEqual(listed[i - 1]!.y + listed[i - 1]!.height - 1);
      await titleReadable(phone.page, 'Ops war stories (runs long)');
      await phone.page.screenshot({ path: path.join(SHOTS, `overlap-${lang}-390.png`) });
    });
  }
});
