import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { strFromU8, unzipSync } from 'fflate';
import mammoth from 'mammoth';
import * as Y from 'yjs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { ActionItemDto, CreateEventResponse, SessionDto } from '../../shared/schemas.js';
import { exportEvent } from '../../server/cli/exportEvent.js';
import { createNotesSchema } from '../../server/notesSchema.js';
import { htmlProblems } from '../fixtures/minutes/inertHtml.js';
import { hostileSession, notesDocFromText, readFixtureText, richNotesDoc } from '../fixtures/minutes/fixtureNotes.js';
import { api, download, startTestServer, type TestServer } from '../helpers/testServer.js';
import { connectClient, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';
import { eventually } from '../helpers/eventually.js';

const root = path.resolve(import.meta.dirname, '../..');
const schema = createNotesSchema();

/** The filename a browser saves: RFC 5987 `filename*` decoded. */
function savedName(disposition: string | null): string {
  const m = /filename\*=UTF-8''([^;]+)/.exec(disposition ?? '');
  if (!m) throw new Error(`no filename* in ${disposition}`);
  return decodeURIComponent(m[1]!);
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;
}

/** Writes ProseMirror JSON into the live document through a stock y-websocket client, as the editor would. */
async function writeNotes(server: TestServer, sessionId: string, token: string, name: string, doc: JSONContent, clients: YClient[]): Promise<YClient> {
  const c = connectClient(server.wsUrl, sessionId, token);
  clients.push(c);
  c.provider.awareness.setLocalStateField('user', { name, color: '#123456' });
  await waitForSync(c, 10_000);
  prosemirrorJSONToYXmlFragment(schema, doc, c.doc.getXmlFragment(NOTES_FRAGMENT));
  return c;
}

describe('minutes over HTTP, from real documents', () => {
  let server: TestServer;
  let created: CreateEventResponse;
  const sessions: Record<'nfv' | 'jp' | 'rich' | 'evil', SessionDto> = {} as never;
  const clients: YClient[] = [];

  beforeAll(async () => {
    server = await startTestServer({ taggerDebounceMs: 50 });
    const ev = await api<CreateEventResponse>(server.url, 'POST', '/api/events', { body: { title: 'Ops Meetup 東京 <script>alert(1)</script>', slug: 'ops-tokyo', timezone: 'Asia/Tokyo' } });
    expect(ev.status).toBe(201);
    created = ev.body;
    const mod = created.tokens.moderate;
    const add = async (body: Record<string, unknown>) => {
      const res = await api<SessionDto>(server.url, 'POST', `/api/events/${created.event.id}/sessions`, { token: mod, body });
      expect(res.status).toBe(201);
      return res.body;
    };
    sessions.jp = await add({ title: '国内OpsWorkshop報告', rooms: ['会議室A'], startsAt: '2016-07-06T01:00:00Z', endsAt: '2016-07-06T01:40:00Z', moderators: ['goro'] });
    sessions.nfv = await add({ title: 'NFV/Telco Working Group', rooms: ['Salon A'], startsAt: '2016-07-06T00:00:00Z', endsAt: '2016-07-06T00:40:00Z', moderators: ['bruno'], tags: ['nfv'] });
    sessions.rich = await add({ title: 'Upgrades', startsAt: '2016-07-06T02:00:00Z' });
    const evil = hostileSession();
    sessions.evil = await add({ title: evil.session.title, rooms: evil.session.rooms, moderators: evil.session.moderators, startsAt: '2016-07-06T03:00:00Z' });

    const edit = created.tokens.edit;
    await writeNotes(server, sessions.nfv.id, edit, 'akiko', notesDocFromText(readFixtureText('notes-nfv-telco.txt')), clients);
    await writeNotes(server, sessions.jp.id, edit, 'はな', notesDocFromText(readFixtureText('notes-jp-ops-workshop.txt')), clients);
    await writeNotes(server, sessions.rich.id, edit, 'chen', richNotesDoc(), clients);
    await writeNotes(server, sessions.evil.id, edit, '<img src=x onerror=alert(1)>', evil.notes, clients);
    // The tagger indexes the action items shortly after the edits.
    const items = async (id: string) => (await api<{ items: ActionItemDto[] }>(server.url, 'GET', `/api/sessions/${id}/action-items`, { token: created.tokens.view })).body.items.length;
    for (const [key, n] of [['nfv', 7], ['jp', 4]] as const) {
      await eventually(async () => (await items(sessions[key].id)) >= n, 20_000, `action items of ${key} indexed`);
    }
  });

  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  const TYPES = {
    md: 'text/markdown; charset=utf-8',
    html: 'text/html; charset=utf-8',
    txt: 'text/plain; charset=utf-8',
    json: 'application/json; charset=utf-8',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    pdf: 'application/pdf',
    zip: 'application/zip',
  } as const;

  /** Looks inside compressed formats too: the text of a PDF, every part of a DOCX or ZIP. */
  const noTokens = async (bytes: Buffer, format: string) => {
    let s = bytes.toString('latin1') + bytes.toString('utf8');
    if (format === 'pdf') s += await pdfText(bytes);
    if (format === 'docx' || format === 'zip') s += Object.values(unzipSync(new Uint8Array(bytes))).map((f) => strFromU8(f)).join('\n');
    for (const t of Object.values(created.tokens)) expect(s).not.toContain(t);
  };

  it('every session format downloads with a view token, with its Content-Type and an RFC 5987 filename', async () => {
    for (const format of ['md', 'html', 'txt', 'json', 'docx', 'pdf'] as const) {
      const res = await download(server.url, `/api/sessions/${sessions.jp.id}/minutes?format=${format}`, created.tokens.view);
      expect(res.status, format).toBe(200);
      expect(res.type).toBe(TYPES[format]);
      expect(res.disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9%!._~-]+$/);
      expect(savedName(res.disposition)).toBe(`ops-tokyo - 国内OpsWorkshop報告.${format}`);
      expect(res.bytes.length).toBeGreaterThan(200);
      await noTokens(res.bytes, format);
    }
  });

  it('the minutes carry the header, the live notes and the indexed action items', async () => {
    const md = (await download(server.url, `/api/sessions/${sessions.nfv.id}/minutes?format=md`, created.tokens.view)).bytes.toString('utf8');
    expect(md).toContain('# NFV/Telco Working Group');
    // 00:00Z is 09:00 in Tokyo.
    expect(md).toContain('- **When:** Wednesday, 6 July 2016, 09:00–09:40 (Asia/Tokyo)');
    expect(md).toContain('- **Room:** Salon A');
    expect(md).toContain('- **Moderators:** bruno');
    expect(md).toContain('- **Note-takers:** akiko');
    expect(md).toContain('## Agenda\n\n- Why a new WG inside the Ops Meetup');
    expect(md).toContain('- [ ] @akiko share NTT\'s HA test results\n- [x] @bruno create the WG wiki page');
    expect(md).toContain('| dana | @dana collect carrier requirements into an etherpad-free user story by 2016-05-17 ##product-wg | 2016-05-17 | open |');

    const json = JSON.parse((await download(server.url, `/api/sessions/${sessions.jp.id}/minutes?format=json`, created.tokens.view)).bytes.toString('utf8')) as {
      session: { title: string; rooms: string[] };
      noteTakers: string[];
      notes: JSONContent;
      actionItems: ActionItemDto[];
    };
    expect(json.session.rooms).toEqual(['会議室A']);
    expect(json.noteTakers).toEqual(['はな']);
    expect(json.notes.content?.[0]).toMatchObject({ type: 'paragraph', content: [{ type: 'text', text: '国内OpsWorkshop報告 — OpenStack Days Tokyo（サンプル議事メモ）' }] });
    expect(json.actionItems.map((a) => a.owners)).toEqual([['hana'], ['jun'], ['ivan'], ['goro']]);
  });

  it('DOCX and PDF of a live document are readable and keep the Japanese', async () => {
    const docx = (await download(server.url, `/api/sessions/${sessions.rich.id}/minutes?format=docx`, created.tokens.edit)).bytes;
    const html = (await mammoth.convertToHtml({ buffer: docx })).value;
    expect(html).toContain('<h2>Upgrades 議論</h2>');
    expect(html).toContain('<input type="checkbox" checked="checked" /> Write the etherpad template');
    const pdf = (await download(server.url, `/api/sessions/${sessions.jp.id}/minutes?format=pdf`, created.tokens.moderate)).bytes;
    const text = await pdfText(pdf);
    expect(text).toContain('運用者MLへ告知を出す（担当: ivan）');
    expect(text).toContain('Room: 会議室A');
  });

  it('the event minutes: all formats, schedule order, summaries, stats; zip holds one file per session and the summary', async () => {
    for (const format of ['md', 'html', 'txt', 'json', 'docx', 'pdf', 'zip'] as const) {
      const res = await download(server.url, `/api/events/${created.event.slug}/minutes?format=${format}`, created.tokens.view);
      expect(res.status, format).toBe(200);
      expect(res.type).toBe(TYPES[format]);
      expect(savedName(res.disposition)).toBe(`Ops Meetup 東京 script alert(1) script minutes.${format}`);
      await noTokens(res.bytes, format);
    }
    const md = (await download(server.url, `/api/events/${created.event.id}/minutes?format=md`, created.tokens.view)).bytes.toString('utf8');
    const toc = md.slice(md.indexOf('## Contents'), md.indexOf('## Action items by owner'));
    expect(toc.indexOf('NFV/Telco')).toBeLessThan(toc.indexOf('国内OpsWorkshop報告'));
    expect(toc.indexOf('国内OpsWorkshop報告')).toBeLessThan(toc.indexOf('Upgrades'));
    expect(md).toMatch(/^4 sessions · 4 contributors · \d+ action items \(\d+ open\)$/m);
    expect(md).toContain('### product-wg');
    expect(md).toContain('### hana');

    const zip = unzipSync(new Uint8Array((await download(server.url, `/api/events/${created.event.slug}/minutes?format=zip`, created.tokens.view)).bytes));
    const names = Object.keys(zip).sort();
    expect(names).toEqual(['01 NFV Telco Working Group.md', '02 国内OpsWorkshop報告.md', '03 Upgrades.md', expect.stringMatching(/^04 Evil /), 'index.md']);
    expect(strFromU8(zip['02 国内OpsWorkshop報告.md']!)).toContain('## アジェンダ');
  });

  it('hostile titles, names and notes export inert in HTML', async () => {
    for (const url of [`/api/sessions/${sessions.evil.id}/minutes?format=html`, `/api/events/${created.event.slug}/minutes?format=html`]) {
      const html = (await download(server.url, url, created.tokens.view)).bytes.toString('utf8');
      expect(htmlProblems(html)).toEqual([]);
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });

  it('refuses requests without a valid token, bad formats and unknown ids with 4xx JSON errors', async () => {
    const cases: [string, string | undefined, number][] = [
      [`/api/sessions/${sessions.jp.id}/minutes?format=md`, undefined, 401],
      [`/api/sessions/${sessions.jp.id}/minutes?format=md`, 'x'.repeat(32), 401],
      [`/api/sessions/${sessions.jp.id}/minutes?format=exe`, created.tokens.view, 400],
      [`/api/events/${created.event.slug}/minutes?format=../../etc/passwd`, created.tokens.view, 400],
      [`/api/sessions/${sessions.jp.id}/minutes?format=zip`, created.tokens.view, 400],
      [`/api/sessions/aaaaaaaaaaaaaaaa/minutes?format=md`, created.tokens.view, 404],
      [`/api/events/no-such-event/minutes?format=md`, created.tokens.view, 404],
    ];
    for (const [url, token, status] of cases) {
      const res = await api<{ error: { code: string; message: string } }>(server.url, 'GET', url, { token });
      expect(res.status, url).toBe(status);
      expect(res.body.error.message.length, url).toBeGreaterThan(0);
    }
  });

  it('exporting never changes the live document, even where the notes hold nodes the schema does not know', async () => {
    const writer = connectClient(server.wsUrl, sessions.rich.id, created.tokens.edit);
    clients.push(writer);
    await waitForSync(writer, 10_000);
    const fragment = writer.doc.getXmlFragment(NOTES_FRAGMENT);
    writer.doc.transact(() => {
      const alien = new Y.XmlElement('marquee');
      alien.insert(0, [new Y.XmlText('from a newer client')]);
      fragment.push([alien]);
    });
    const room = () => server.registry.get(sessions.rich.id)!.doc.getXmlFragment(NOTES_FRAGMENT);
    await waitFor(() => room().toString().includes('<marquee>'), 10_000, 'alien node on the server');
    const before = Y.encodeStateVector(server.registry.get(sessions.rich.id)!.doc);
    const json = (await download(server.url, `/api/sessions/${sessions.rich.id}/minutes?format=json`, created.tokens.view)).bytes.toString('utf8');
    expect(json).not.toContain('marquee');
    expect(json).toContain('Upgrades 議論');
    // y-prosemirror deletes nodes it cannot build; on the live room that would silently diverge from every client.
    expect(room().toString()).toContain('<marquee>from a newer client</marquee>');
    expect(Y.encodeStateVector(server.registry.get(sessions.rich.id)!.doc)).toEqual(before);
  });

  it('a session whose room has unloaded exports from storage, the same as live', async () => {
    const live = (await download(server.url, `/api/sessions/${sessions.jp.id}/minutes?format=md`, created.tokens.view)).bytes.toString('utf8');
    for (const c of clients.splice(0)) c.destroy();
    await waitFor(() => server.registry.get(sessions.jp.id) === undefined, 20_000, 'room unloaded');
    const stored = (await download(server.url, `/api/sessions/${sessions.jp.id}/minutes?format=md`, created.tokens.view)).bytes.toString('utf8');
    expect(stored).toBe(live);
  });
});

// SQLite by nature: the command reads DATA_DIR's SQLite file (README: offline export is SQLite only).
describe.skipIf(process.env.TEST_BACKEND === 'postgres')('npm run export (CLI on DATA_DIR, no server running)', () => {
  let dataDir: string;
  let slug: string;
  let tokens: CreateEventResponse['tokens'];

  beforeAll(async () => {
    const server = await startTestServer({ taggerDebounceMs: 50 });
    dataDir = server.dataDir;
    const ev = await api<CreateEventResponse>(server.url, 'POST', '/api/events', { body: { title: 'CLI event', timezone: 'America/Chicago' } });
    slug = ev.body.event.slug;
    tokens = ev.body.tokens;
    const clients: YClient[] = [];
    for (const [title, file] of [['NFV', 'notes-nfv-telco.txt'], ['日本', 'notes-jp-ops-workshop.txt']] as const) {
      const s = await api<SessionDto>(server.url, 'POST', `/api/events/${slug}/sessions`, { token: tokens.moderate, body: { title, startsAt: title === 'NFV' ? '2016-04-25T16:00:00Z' : '2016-04-25T17:00:00Z' } });
      await writeNotes(server, s.body.id, tokens.edit, 'dana', notesDocFromText(readFixtureText(file)), clients);
    }
    for (const c of clients) c.destroy();
    await server.close();
  });

  it('exports every format from the SQLite file, reporting progress', async () => {
    for (const format of ['md', 'html', 'txt', 'json', 'docx', 'pdf', 'zip'] as const) {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-cli-'));
      const progress: [number, number][] = [];
      const result = await exportEvent({ dataDir, event: slug, format, outDir: out, onProgress: (d, t) => progress.push([d, t]) });
      expect(result.sessions).toBe(2);
      const files = fs.readdirSync(out).sort();
      expect(files).toEqual(format === 'zip' ? [`${slug} minutes.zip`] : [`01 NFV.${format}`, `02 日本.${format}`, `${slug} minutes.${format}`]);
      expect(progress.at(-1)![0]).toBe(progress.at(-1)![1]);
      for (const f of files) {
        const bytes = fs.readFileSync(path.join(out, f));
        for (const t of Object.values(tokens)) expect(bytes.toString('latin1') + bytes.toString('utf8')).not.toContain(t);
      }
      if (format === 'md') expect(fs.readFileSync(path.join(out, '02 日本.md'), 'utf8')).toContain('## アジェンダ');
    }
  });

  function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/cli/export.ts'), ...args], { cwd: root, env: { ...process.env, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('the command writes the files, prints progress and a summary, and explains bad arguments', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-cli-'));
    const ok = await runCli(['--event', slug, '--format', 'txt', '--out', out], { DATA_DIR: dataDir });
    expect(ok.stderr).toContain('[5/5] event minutes');
    expect(ok.stdout).toContain(`Exported "CLI event" (2 sessions, txt) to ${out}`);
    expect(ok.code).toBe(0);
    expect(fs.readdirSync(out)).toHaveLength(3);

    const noEvent = await runCli(['--format', 'md'], { DATA_DIR: dataDir });
    expect(noEvent.code).toBe(2);
    expect(noEvent.stderr).toContain('--event is required');
    const badFormat = await runCli(['--event', slug, '--format', 'odt'], { DATA_DIR: dataDir });
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('unknown --format "odt": use one of md, html, txt, docx, pdf, json, zip');
    const unknown = await runCli(['--event', 'nope'], { DATA_DIR: dataDir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no event "nope"`);
    expect(unknown.stderr).toContain(`events there: ${slug}`);
    const noDb = await runCli(['--event', slug, '--data-dir', path.join(dataDir, 'missing')]);
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toContain('no Roundtable database at');
  });
});
