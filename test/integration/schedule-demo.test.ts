import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ActionItemDto, CreateEventResponse, EventWithSessionsDto } from '../../shared/schemas.js';
import { api, startTestServer, tempDataDir, serverSuite } from '../helpers/testServer.js';
import { connectClient, notesText, waitForSync } from '../helpers/yClient.js';

describe('demo event on first start', () => {
  const suite = serverSuite();

  it('creates the 26-session, 4-room, 2-day schedule with the template, two sessions of real notes, and writes the links to DATA_DIR/demo-links.txt', async () => {
    let created: CreateEventResponse | undefined;
    suite.server = await startTestServer({ demo: true, onDemoCreated: (c) => (created = c) });
    expect(created).toBeDefined();
    const { event, tokens } = created!;

    const linksFile = fs.readFileSync(path.join(suite.server.dataDir, 'demo-links.txt'), 'utf8');
    for (const role of ['moderate', 'edit', 'view'] as const) expect(linksFile).toContain(created!.links[role]);
    expect(fs.statSync(path.join(suite.server.dataDir, 'demo-links.txt')).mode & 0o077).toBe(0);
    const token = (role: 'moderate' | 'edit' | 'view') => /#k=([\w-]+)/.exec(linksFile.split('\n').find((l) => l.startsWith(role))!)![1]!;
    const asModerator = await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${event.slug}`, { token: token('moderate') });
    expect(asModerator.body.role).toBe('moderate');
    expect((await api<EventWithSessionsDto>(suite.server.url, 'GET', `/api/events/${event.slug}`, { token: token('view') })).body.role).toBe('view');

    const sessions = asModerator.body.sessions;
    expect(event).toMatchObject({ slug: 'aus-ops-2016', timezone: 'America/Chicago' });
    expect(sessions).toHaveLength(26);
    expect(new Set(sessions.flatMap((s) => s.rooms)).size).toBe(4);
    expect(new Set(sessions.map((s) => s.startsAt!.slice(0, 10))).size).toBe(2);

    const nfv = sessions.find((s) => s.title === 'NFV/Telco Working Group')!;
    const jp = sessions.find((s) => s.title.includes('国内OpsWorkshop報告'))!;
    expect(nfv).toMatchObject({ state: 'ended', notesUpdatedAt: expect.any(String) });
    expect(jp).toMatchObject({ state: 'live', nowDiscussing: '本家OpsMeetupへの参加促進', notesUpdatedAt: expect.any(String) });
    expect(sessions.filter((s) => s.notesUpdatedAt !== null)).toHaveLength(2);

    const items = await api<{ items: ActionItemDto[] }>(suite.server.url, 'GET', `/api/events/${event.slug}/action-items`, { token: tokens.view });
    const bySession = (id: string) => items.body.items.filter((i) => i.sessionId === id);
    expect(bySession(nfv.id).map((i) => i.owners)).toContainEqual(['dana']);
    expect(bySession(nfv.id).find((i) => i.owners.includes('dana'))).toMatchObject({ due: '2016-05-17', tags: ['product-wg'] });
    expect(bySession(jp.id).find((i) => i.owners.includes('jun'))).toMatchObject({ due: '2016-06-15' });
    expect(bySession(nfv.id).length).toBeGreaterThanOrEqual(6);
    expect(bySession(jp.id).length).toBeGreaterThanOrEqual(4);

    const reader = connectClient(suite.server.wsUrl, nfv.id, tokens.view);
    const blank = connectClient(suite.server.wsUrl, sessions.find((s) => s.title === 'Scientific WG')!.id, tokens.view);
    await Promise.all([waitForSync(reader, 10_000), waitForSync(blank, 10_000)]);
    expect(notesText(reader.doc)).toContain('OVS-DPDK upgrades break the data plane');
    expect(notesText(reader.doc)).not.toContain('NFV/Telco Working Group — Austin 2016');
    expect(notesText(blank.doc)).toMatch(/Attendees[\s\S]*Agenda[\s\S]*Notes[\s\S]*Decisions[\s\S]*Action items/);
    reader.destroy();
    blank.destroy();

    // History names the demo's writer the same way in the list of versions and on the text itself.
    const history = await api<{ versions: { rev: number; authors: string[] }[] }>(suite.server.url, 'GET', `/api/sessions/${nfv.id}/history`, { token: tokens.view });
    const newest = history.body.versions[0]!;
    const shown = await api<{ authors: { name: string; kind: string }[] }>(suite.server.url, 'GET', `/api/sessions/${nfv.id}/history/${newest.rev}?format=json`, { token: tokens.view });
    expect(newest.authors).toEqual(['Roundtable']);
    expect(shown.body.authors.map((a) => `${a.kind}:${a.name}`)).toEqual(['server:Roundtable']);
  });

  it('happens only once per data directory, and not at all with demo off', async () => {
    const dataDir = tempDataDir();
    let demos = 0;
    suite.server = await startTestServer({ dataDir, demo: true, onDemoCreated: () => demos++ });
    await suite.server.close();
    suite.server = await startTestServer({ dataDir, demo: true, onDemoCreated: () => demos++ });
    expect(demos).toBe(1);
    await suite.server.close();

    suite.server = await startTestServer({ demo: false, onDemoCreated: () => demos++ });
    expect(demos).toBe(1);
    expect(fs.existsSync(path.join(suite.server.dataDir, 'demo-links.txt'))).toBe(false);
    expect(await suite.server.storage.events.hasAny()).toBe(false);
  });
});
