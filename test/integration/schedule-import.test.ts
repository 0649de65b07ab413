import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CreateEventResponse, EventWithSessionsDto, SessionDto } from '../../shared/schemas.js';
import type { NewSession, SessionUpdate, StoragePorts } from '../../server/storage/ports.js';
import { eventually } from '../helpers/eventually.js';
import { api, startTestServer, type TestServer, serverSuite } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitForSync } from '../helpers/yClient.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const fixture = (ext: string) => fs.readFileSync(path.join(fixtures, `ops-meetup-austin-2016.${ext}`), 'utf8');
const TYPES = { json: 'application/json', csv: 'text/csv', ics: 'text/calendar' } as const;

interface ImportBody {
  dryRun: boolean;
  created: { id?: string; title: string }[];
  updated: { id: string; title: string; changes: string[] }[];
  unchanged: { id: string; title: string }[];
  missing: { id: string; title: string; hasNotes: boolean }[];
}
interface ErrorBody {
  error: { code: string; message: string; details?: { line?: number; path?: string; message: string }[] };
}

describe('schedule import', () => {
  const suite = serverSuite();

  async function newEvent(s: TestServer, title = 'Ops Meetup'): Promise<CreateEventResponse> {
    const res = await api<CreateEventResponse>(s.url, 'POST', '/api/events', { body: { title, timezone: 'America/Chicago' } });
    expect(res.status).toBe(201);
    return res.body;
  }
  const importFile = <T = ImportBody>(s: TestServer, ev: CreateEventResponse, body: string, type: string, dryRun = false, token = ev.tokens.moderate) =>
    api<T>(s.url, 'POST', `/api/events/${ev.event.slug}/schedule${dryRun ? '?dryRun=true' : ''}`, { token, rawBody: body, contentType: type });
  const sessionsOf = async (s: TestServer, ev: CreateEventResponse) =>
    (await api<EventWithSessionsDto>(s.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body.sessions;

  it('imports each of the three fixtures as 26 sessions with DST-correct instants, rooms, moderators and tags', async () => {
    suite.server = await startTestServer();
    const results: Record<string, SessionDto[]> = {};
    for (const ext of ['json', 'csv', 'ics'] as const) {
      const ev = await newEvent(suite.server, `Import ${ext}`);
      const res = await importFile(suite.server, ev, fixture(ext), TYPES[ext]);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.created).toHaveLength(26);
      results[ext] = await sessionsOf(suite.server, ev);
    }
    const summary = (list: SessionDto[]) => list.map((s) => [s.title, s.startsAt, s.endsAt, s.rooms, s.moderators, s.tags]);
    for (const ext of ['csv', 'ics']) expect(summary(results[ext]!)).toEqual(summary(results.json!));
    const json = results.json!;
    expect(json).toHaveLength(26);
    // 11:15 in Austin on 25 April 2016 is CDT (UTC-5): 16:15Z, not 17:15Z.
    expect(json.find((s) => s.title === 'Ops Meetup Welcome & Agenda')).toMatchObject({ startsAt: '2016-04-25T16:15:00.000Z', endsAt: '2016-04-25T16:55:00.000Z', rooms: ['Salon A'], moderators: ['akiko'] });
    expect(json.find((s) => s.title === 'Bare Metal with Ironic')).toMatchObject({ rooms: ['Salon C'], tags: ['product-wg', 'scientific-wg'] });
    expect(new Set(json.flatMap((s) => s.rooms))).toEqual(new Set(['Salon A', 'Salon B', 'Salon C', 'Salon D']));
    expect(new Set(json.map((s) => s.startsAt!.slice(0, 10)))).toEqual(new Set(['2016-04-25', '2016-04-29']));
    for (const s of json) expect(s.live).toEqual({ editors: 0, viewers: 0 });
  });

  it('re-import is idempotent, also across formats (JSON, then ICS adds UIDs, then ICS again)', async () => {
    suite.server = await startTestServer();
    const ev = await newEvent(suite.server);
    expect((await importFile(suite.server, ev, fixture('json'), TYPES.json)).body.created).toHaveLength(26);
    const ids = (await sessionsOf(suite.server, ev)).map((s) => s.id).sort();

    const again = await importFile(suite.server, ev, fixture('json'), TYPES.json);
    expect(again.body).toMatchObject({ created: [], updated: [], missing: [] });
    expect(again.body.unchanged).toHaveLength(26);

    const ics = await importFile(suite.server, ev, fixture('ics'), TYPES.ics);
    expect(ics.body.created).toEqual([]);
    expect(ics.body.updated).toHaveLength(26);
    expect(ics.body.updated.every((u) => u.changes.includes('uid'))).toBe(true);
    const icsAgain = await importFile(suite.server, ev, fixture('ics'), TYPES.ics);
    expect(icsAgain.body.unchanged).toHaveLength(26);
    expect((await sessionsOf(suite.server, ev)).map((s) => s.id).sort()).toEqual(ids);
  });

  it('a changed time updates the session and keeps its notes; sessions missing from the file are reported, not removed', async () => {
    suite.server = await startTestServer();
    const ev = await newEvent(suite.server);
    await importFile(suite.server, ev, fixture('csv'), TYPES.csv);
    const ha = (await sessionsOf(suite.server, ev)).find((s) => s.title === 'HA for VMs')!;

    const writer = connectClient(suite.server.wsUrl, ha.id, ev.tokens.edit);
    await waitForSync(writer);
    appendParagraph(writer.doc, 'ACTION: @jun write up the Masakari comparison');
    await eventually(async () => (await sessionsOf(suite.server!, ev)).find((s) => s.id === ha.id)!.notesUpdatedAt !== null, 15_000, 'notes stored');
    writer.destroy();

    const moved = fixture('csv')
      .split('\n')
      .filter((line) => !line.startsWith('Ceph & Storage,'))
      .map((line) => (line.startsWith('HA for VMs,') ? line.replace('14:50,15:30', '16:30,17:10') : line))
      .join('\n');
    const preview = await importFile(suite.server, ev, moved, TYPES.csv, true);
    // Each change names the row it comes from (the file is one line shorter above it now) and the new times.
    expect(preview.body.updated).toEqual([{ id: ha.id, title: 'HA for VMs', startsAt: '2016-04-25T21:30:00.000Z', endsAt: '2016-04-25T22:10:00.000Z', changes: ['startsAt', 'endsAt'], line: 11, row: 11 }]);
    const res = await importFile(suite.server, ev, moved, TYPES.csv);
    expect(res.status).toBe(200);
    expect(res.body.created).toEqual([]);
    expect(res.body.updated).toEqual([{ id: ha.id, title: 'HA for VMs', startsAt: '2016-04-25T21:30:00.000Z', endsAt: '2016-04-25T22:10:00.000Z', changes: ['startsAt', 'endsAt'], line: 11, row: 11 }]);
    expect(res.body.missing).toEqual([{ id: expect.any(String), title: 'Ceph & Storage', hasNotes: false }]);

    const after = await sessionsOf(suite.server, ev);
    expect(after).toHaveLength(26);
    expect(after.find((s) => s.id === ha.id)).toMatchObject({ startsAt: '2016-04-25T21:30:00.000Z', endsAt: '2016-04-25T22:10:00.000Z' });
    const reader = connectClient(suite.server.wsUrl, ha.id, ev.tokens.view);
    await waitForSync(reader, 10_000);
    expect(notesText(reader.doc)).toContain('ACTION: @jun write up the Masakari comparison');
    expect(notesText(reader.doc)).toContain('Attendees');
    reader.destroy();
  });

  it('re-importing parallel sessions that share a title and start keeps each in its room, whatever the row order; a repeated row is a warning', async () => {
    suite.server = await startTestServer();
    const ev = await newEvent(suite.server, 'Twin sessions');
    const rows = ['Lightning talks,2026-12-10,12:00,12:30,Room B', 'Lightning talks,2026-12-10,12:00,12:30,Room A', 'Keynote,2026-12-10,09:00,10:00,Main'];
    const csv = (lines: string[]) => `title,date,start,end,room\n${lines.join('\n')}\n`;
    expect((await importFile(suite.server, ev, csv(rows), TYPES.csv)).body.created).toHaveLength(3);
    const roomOf = new Map((await sessionsOf(suite.server, ev)).map((s) => [s.id, s.rooms]));

    const swapped = await importFile<ImportBody & { warnings: { code: string }[] }>(suite.server, ev, csv([rows[1]!, rows[2]!, rows[0]!]), TYPES.csv);
    expect(swapped.body).toMatchObject({ created: [], updated: [], missing: [], warnings: [] });
    expect(swapped.body.unchanged).toHaveLength(3);
    for (const s of await sessionsOf(suite.server, ev)) expect(s.rooms, s.title).toEqual(roomOf.get(s.id));

    const repeated = await importFile<ImportBody & { warnings: { code: string; row?: number; params?: Record<string, unknown> }[] }>(suite.server, ev, csv([...rows, rows[1]!]), TYPES.csv, true);
    expect(repeated.body.created).toHaveLength(1);
    expect(repeated.body.warnings).toMatchObject([{ code: 'duplicate_session', row: 5, params: { firstRow: 3 } }]);
  });

  it('the dry run answers what would happen and changes nothing', async () => {
    suite.server = await startTestServer();
    const ev = await newEvent(suite.server);
    const dry = await importFile(suite.server, ev, fixture('ics'), TYPES.ics, true);
    expect(dry.status).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.created).toHaveLength(26);
    expect(dry.body.created[0]).toMatchObject({ title: 'Ops Meetup Welcome & Agenda', startsAt: '2016-04-25T16:15:00.000Z' });
    expect(await sessionsOf(suite.server, ev)).toEqual([]);

    await importFile(suite.server, ev, fixture('ics'), TYPES.ics);
    const before = await sessionsOf(suite.server, ev);
    const renamed = fixture('ics').replace('SUMMARY:Fleet Management', 'SUMMARY:Fleet Management (moved)');
    const dry2 = await importFile(suite.server, ev, renamed, TYPES.ics, true);
    expect(dry2.body.updated).toEqual([expect.objectContaining({ title: 'Fleet Management (moved)', changes: ['title'] })]);
    expect(await sessionsOf(suite.server, ev)).toEqual(before);
  });

  it('rejects a malformed file with 422 and every problem by line, importing nothing', async () => {
    suite.server = await startTestServer();
    const ev = await newEvent(suite.server);
    const lines = fixture('csv').trimEnd().split('\n');
    lines[5] = lines[5]!.replace('12:05', '12:65');
    lines.push('Tomorrow,2016-04-26,9:00,8:00,Salon A,,');
    lines.push(',2016-04-26,10:00,11:00,Salon A,,');
    const res = await importFile<ErrorBody>(suite.server, ev, lines.join('\n'), TYPES.csv);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_schedule');
    expect(res.body.error.details).toEqual([
      { code: 'invalid_time', line: 6, row: 6, params: { column: 'start', value: '12:65' }, message: 'the start time "12:65" is not a time (use HH:MM)' },
      { code: 'end_before_start', line: 28, row: 28, message: 'the end is before the start' },
      { code: 'title_required', line: 29, row: 29, message: 'the title is missing' },
    ]);
    expect(await sessionsOf(suite.server, ev)).toEqual([]);

    const badIcs = fixture('ics').replace('DTSTART;TZID=America/Chicago:20160429T110000', 'DTSTART;TZID=America/Chicago:2016-04-29 11:00');
    const ics = await importFile<ErrorBody>(suite.server, ev, badIcs, TYPES.ics);
    expect(ics.status).toBe(422);
    const badLine = fixture('ics').split(/\r?\n/).findIndex((l) => l === 'DTSTART;TZID=America/Chicago:20160429T110000') + 1;
    expect(ics.body.error.details).toContainEqual(expect.objectContaining({ code: 'ics_bad_datetime', line: badLine, message: expect.stringContaining('is not a date-time') }));
    expect(await sessionsOf(suite.server, ev)).toEqual([]);
  });

  it('is one transaction: a storage failure in the middle of an import leaves no session behind', async () => {
    // The first import's tenth new session collides with the first one's id: SQLite fails inside the unit of work, after nine inserts.
    let ports: StoragePorts | null = null;
    let tried: string[] = [];
    const failOnTenth = (inner: StoragePorts): StoragePorts => {
      ports = inner;
      return {
        ...inner,
        sessions: Object.assign(Object.create(inner.sessions) as StoragePorts['sessions'], {
          createWithNotes: (eventId: string, creates: readonly NewSession[], updates: readonly SessionUpdate[], now: string) => {
            if (tried.length > 0) return inner.sessions.createWithNotes(eventId, creates, updates, now);
            tried = creates.map((c) => c.id);
            const colliding = creates.map((c, i) => (i === 9 ? { ...c, id: creates[0]!.id } : c));
            return inner.sessions.createWithNotes(eventId, colliding, updates, now);
          },
        }),
      };
    };
    suite.server = await startTestServer({ wrapPorts: failOnTenth });
    const ev = await newEvent(suite.server);
    const res = await importFile<ErrorBody>(suite.server, ev, fixture('json'), TYPES.json);
    expect(res.status).toBe(500);
    expect(tried).toHaveLength(26);
    expect(await sessionsOf(suite.server, ev)).toEqual([]);
    // Not even a deleted row or a seed is left of the nine written before the failure.
    for (const id of tried) {
      expect(await ports!.sessions.find(id)).toBeUndefined();
      expect(await ports!.sessions.findDeleted(id)).toBeUndefined();
      expect((await ports!.docs.load(id)).updates).toEqual([]);
    }
    const after = await importFile(suite.server, ev, fixture('json'), TYPES.json);
    expect(after.body.created).toHaveLength(26);
  });

  it('answers hostile files with clear 4xx errors and stays healthy', async () => {
    suite.server = await startTestServer();
    const ev = await newEvent(suite.server);
    const vevent = (...props: string[]) => ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'SUMMARY:x', 'DTSTART:20160425T161500Z', ...props, 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    const cases: { name: string; body: string | Buffer; type: string; status: number; message: RegExp }[] = [
      { name: 'RRULE COUNT=1e9', body: vevent('RRULE:FREQ=DAILY;COUNT=1000000000'), type: TYPES.ics, status: 422, message: /problem/ },
      { name: 'endless RRULE', body: vevent('RRULE:FREQ=DAILY'), type: TYPES.ics, status: 422, message: /problem/ },
      { name: 'giant line', body: vevent(`DESCRIPTION:${'A'.repeat(1_900_000)}`), type: TYPES.ics, status: 422, message: /problem/ },
      { name: 'giant CSV cell', body: `title,room\n"${'x'.repeat(1_900_000)}",A\n`, type: TYPES.csv, status: 422, message: /problem/ },
      { name: 'deep JSON', body: '['.repeat(100_000) + ']'.repeat(100_000), type: TYPES.json, status: 422, message: /does not look like a schedule/ },
      { name: 'binary file', body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), type: TYPES.csv, status: 422, message: /binary file/ },
      { name: 'huge file', body: 'title\n' + 'x\n'.repeat(1_600_000), type: TYPES.csv, status: 413, message: /too large/ },
      { name: 'unknown type', body: 'x', type: 'application/pdf', status: 415, message: /unsupported content type/ },
      { name: 'too many sessions', body: JSON.stringify({ sessions: Array.from({ length: 501 }, (_, i) => ({ title: `S${i}` })) }), type: TYPES.json, status: 422, message: /schedule/ },
    ];
    for (const c of cases) {
      const res = await api<ErrorBody>(suite.server.url, 'POST', `/api/events/${ev.event.id}/schedule`, { token: ev.tokens.moderate, rawBody: c.body as string, contentType: c.type });
      expect(res.status, c.name).toBe(c.status);
      expect(res.body.error.message, c.name).toMatch(c.message);
    }
    const proto = await importFile(suite.server, ev, '{"__proto__": {"isAdmin": true}, "sessions": [{"title": "Safe", "__proto__": {"room": "Injected"}, "constructor": {"prototype": {"x": 1}}}]}', TYPES.json);
    expect(proto.status).toBe(200);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const [safe] = await sessionsOf(suite.server, ev);
    expect(safe).toMatchObject({ title: 'Safe', rooms: [] });
    expect((await fetch(`${suite.server.url}/healthz`)).status).toBe(200);
  });

  it('needs the moderate link and a body', async () => {
    suite.server = await startTestServer();
    const ev = await newEvent(suite.server);
    expect((await importFile(suite.server, ev, fixture('json'), TYPES.json, false, ev.tokens.edit)).status).toBe(403);
    expect((await importFile(suite.server, ev, fixture('json'), TYPES.json, true, ev.tokens.view)).status).toBe(403);
    expect((await api(suite.server.url, 'POST', `/api/events/${ev.event.id}/schedule`, { rawBody: fixture('json') })).status).toBe(401);
    expect((await importFile<ErrorBody>(suite.server, ev, '', TYPES.json)).status).toBe(400);
    expect(await sessionsOf(suite.server, ev)).toEqual([]);
  });
});
