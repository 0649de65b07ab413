import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import type { EventNotesImportResult } from '../../shared/notesImport/importResult.js';
import type { ActionItemDto, ApiErrorBody, CreateEventResponse, SessionDto } from '../../shared/schemas.js';
import type { DocStore } from '../../server/storage/docStore.js';
import { clientNotes, etherpadFixture, outline, postBytes } from '../helpers/notesImport.js';
import { apiClient, api, serverSuite, startTestServer } from '../helpers/testServer.js';
import { appendParagraph, connectClient, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

const schedule = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ops-meetup-austin-2016.json'), 'utf8');

/** One pad per session, as organisers download them from their Etherpad, plus what else ends up in such a zip. */
function padsZip(extra: Record<string, Uint8Array> = {}): Uint8Array {
  return zipSync({
    'pads/AUS-ops-large-deployments.etherpad': etherpadFixture('large-deployments.etherpad'),
    'pads/AUS-ops-nova-scheduler.etherpad': etherpadFixture('AUS-ops-nova-scheduler.etherpad'),
    'pads/NFV Telco Working Group.md': strToU8('---\ntitle: NFV/Telco\n---\n## Carriers\n- [ ] @dana collect carrier requirements by 2016-05-17 ##product-wg\n'),
    'pads/ＣＥＰＨ＆ストレージ-ceph-and-storage.html': strToU8('<html><head><title>Ceph &amp; Storage</title></head><body>Ceph notes<br>TODO: @chen compare RBD caching (owner: chen)<br></body></html>'),
    'pads/welcome-pad.txt': strToU8('Welcome to Etherpad!\n'),
    'pads/photo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    '__MACOSX/pads/._AUS-ops-large-deployments.etherpad': new Uint8Array([0, 5, 22, 7]),
    ...extra,
  });
}

describe('importing a whole event from a zip of pads', () => {
  const suite = serverSuite();
  let ev: CreateEventResponse;
  let sessions: SessionDto[];

  async function setup(opts: { wrapDocStore?: (s: DocStore) => DocStore; language?: 'en' | 'ja' } = {}): Promise<void> {
    const { language, ...serverOpts } = opts;
    suite.server = await startTestServer({ taggerDebounceMs: 20, ...serverOpts });
    ev = (await apiClient(suite.server.url).createEvent({ title: 'Austin', timezone: 'America/Chicago', ...(language ? { language } : {}) }));
    const imported = await api(suite.server.url, 'POST', `/api/events/${ev.event.id}/schedule`, { token: ev.tokens.moderate, rawBody: schedule, contentType: 'application/json' });
    expect(imported.status).toBe(200);
    sessions = (await api<{ sessions: SessionDto[] }>(suite.server.url, 'GET', `/api/events/${ev.event.id}`, { token: ev.tokens.view })).body.sessions;
  }
  const idOf = (title: string) => sessions.find((s) => s.title === title)!.id;
  const importZip = (zip: Uint8Array, query = '', token = ev.tokens.moderate) => postBytes<EventNotesImportResult & { error?: ApiErrorBody['error'] }>(`${suite.server!.url}/api/events/${ev.event.slug}/import?${query}`, token, zip, 'application/zip');
  async function connect(title: string): Promise<YClient> {
    const c = connectClient(suite.server!.wsUrl, idOf(title), ev.tokens.edit);
    suite.clients.push(c);
    await waitForSync(c);
    return c;
  }
  const eventItems = async () => (await api<{ items: ActionItemDto[] }>(suite.server!.url, 'GET', `/api/events/${ev.event.id}/action-items`, { token: ev.tokens.view })).body.items;

  it('previews which file goes where, which match nothing and which sessions get nothing; then imports them all at once', async () => {
    await setup();
    const watcher = await connect('Large Deployments Team');
    const template = outline(clientNotes(watcher.doc));

    const preview = await importZip(padsZip(), 'dryRun=true');
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.matches.map((m) => [m.file, m.sessionTitle, m.format, m.actionItems])).toEqual([
      ['pads/AUS-ops-large-deployments.etherpad', 'Large Deployments Team', 'etherpad', 2],
      ['pads/AUS-ops-nova-scheduler.etherpad', 'Nova Scheduler & Cells Feedback', 'etherpad', 3],
      ['pads/NFV Telco Working Group.md', 'NFV/Telco Working Group', 'md', 1],
      ['pads/ＣＥＰＨ＆ストレージ-ceph-and-storage.html', 'Ceph & Storage', 'html', 1],
    ]);
    expect(preview.body.unmatched).toEqual([
      { file: 'pads/photo.png', why: 'not_notes', names: [], reason: 'not a notes file (supported: md, txt, html, etherpad)' },
      { file: 'pads/welcome-pad.txt', why: 'no_title_match', names: [], reason: 'no session has this title' },
    ]);
    expect(preview.body.sessionsWithout).toHaveLength(sessions.length - 4);
    expect(preview.body.sessionsWithout.map((s) => s.title)).toContain('Scientific WG');
    // The preview changed nothing: a client connecting now sees the template, and no items exist.
    expect(outline(clientNotes((await connect('Nova Scheduler & Cells Feedback')).doc))).toEqual(template);
    expect(await eventItems()).toEqual([]);

    const applied = await importZip(padsZip(), 'mode=replace');
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body).toMatchObject({ dryRun: false, mode: 'replace' });
    // The open editor received the import live.
    await waitFor(() => outline(clientNotes(watcher.doc))[0] === 'paragraph: Large Deployments Team (moderator: dana)', 10_000, 'live import');
    const nova = await connect('Nova Scheduler & Cells Feedback');
    expect(outline(clientNotes(nova.doc))[0]).toBe('heading: Nova Scheduler & Cells Feedback');
    const ceph = await connect('Ceph & Storage');
    expect(outline(clientNotes(ceph.doc))).toEqual(['paragraph: Ceph notes', 'paragraph: TODO: @chen compare RBD caching (owner: chen)']);
    // Every imported action line was tagged in its own session.
    const items = await eventItems();
    const bySession = (title: string) => items.filter((i) => i.sessionId === idOf(title)).length;
    expect([bySession('Large Deployments Team'), bySession('Nova Scheduler & Cells Feedback'), bySession('NFV/Telco Working Group'), bySession('Ceph & Storage')]).toEqual([2, 3, 1, 1]);
    expect(items.find((i) => i.sessionId === idOf('NFV/Telco Working Group'))).toMatchObject({ owners: ['dana'], due: '2016-05-17', tags: ['product-wg'] });
  });

  it('"Add after" (the default) replaces the untouched template of new sessions (Japanese here), and appends after notes someone wrote in', async () => {
    await setup({ language: 'ja' });
    const ceph = await connect('Ceph & Storage');
    const template = outline(clientNotes(ceph.doc));
    expect(template).toContain('heading: アクションアイテム');
    appendParagraph(ceph.doc, '書きかけのメモ');
    const nfvWatcher = await connect('NFV/Telco Working Group');
    await waitFor(async () => outline(clientNotes((await connect('Ceph & Storage')).doc)).includes('paragraph: 書きかけのメモ'), 10_000, 'the typed line is on the server');

    const preview = await importZip(padsZip(), 'dryRun=true');
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.mode).toBe('append');
    expect(preview.body.matches.map((m) => [m.sessionTitle, m.replacesTemplate])).toEqual([
      ['Large Deployments Team', true],
      ['Nova Scheduler & Cells Feedback', true],
      ['NFV/Telco Working Group', true],
      ['Ceph & Storage', false],
    ]);

    const applied = await importZip(padsZip());
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.matches.map((m) => m.replacesTemplate)).toEqual([true, true, true, false]);
    // The open editor of a new session received the import live, and holds the import only: no template sections left behind.
    const nfvImport = ['heading: Carriers', 'taskList: @dana collect carrier requirements by 2016-05-17 ##product-wg'];
    await waitFor(() => outline(clientNotes(nfvWatcher.doc)).length === nfvImport.length, 10_000, 'live import');
    expect(outline(clientNotes(nfvWatcher.doc))).toEqual(nfvImport);
    const ldt = outline(clientNotes((await connect('Large Deployments Team')).doc));
    expect(ldt[0]).toBe('paragraph: Large Deployments Team (moderator: dana)');
    expect(ldt.filter((l) => template.includes(l) && l.startsWith('heading:'))).toEqual([]);
    // Where someone had written, the pad went after what they wrote.
    await waitFor(() => outline(clientNotes(ceph.doc)).length === template.length + 3, 10_000, 'appended to Ceph');
    expect(outline(clientNotes(ceph.doc))).toEqual([...template, 'paragraph: 書きかけのメモ', 'paragraph: Ceph notes', 'paragraph: TODO: @chen compare RBD caching (owner: chen)']);
  });

  it('all or nothing: one damaged pad refuses the whole zip, naming it, and no session changes', async () => {
    await setup();
    const damaged = strToU8(etherpadFixture('large-deployments.etherpad').toString('utf8').replace('"attribs":"*0+m', '"attribs":"*0+z'));
    const res = await importZip(padsZip({ 'pads/AUS-ops-scientific-wg.etherpad': damaged }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'invalid_import', params: { problem: 'zip_files' }, details: [{ path: 'pads/AUS-ops-scientific-wg.etherpad', code: 'etherpad_damaged', message: expect.stringMatching(/operation/) }] });
    const ldt = await connect('Large Deployments Team');
    expect(outline(clientNotes(ldt.doc))[0]).toBe('heading: Attendees');
    expect(await eventItems()).toEqual([]);
  });

  it('all or nothing when storage fails: the documents are stored in one transaction, so none of them is', async () => {
    let failing = false;
    await setup({
      wrapDocStore: (store) => ({
        ...store,
        load: (id) => store.load(id),
        compact: (...a) => store.compact(...a),
        append: (writes) => (failing && writes.length > 1 ? Promise.reject(new Error('disk full')) : store.append(writes)),
      }),
    });
    failing = true;
    const res = await importZip(padsZip(), 'mode=replace');
    expect(res.status).toBe(503);
    failing = false;
    for (const title of ['Large Deployments Team', 'Nova Scheduler & Cells Feedback', 'NFV/Telco Working Group', 'Ceph & Storage']) {
      expect(outline(clientNotes((await connect(title)).doc))[0], title).toBe('heading: Attendees');
    }
  });

  it('zip bombs, oversized and foreign zips are refused fast, before anything is unpacked or written', async () => {
    await setup();
    // 64 MiB of zeros in a 64 KiB zip, declaring its true size: refused from the directory alone.
    expect((await importZip(zipSync({ 'AUS-ops-bomb.txt': new Uint8Array(64 * 1024 * 1024) }, { level: 9 }))).body.error).toMatchObject({ code: 'too_large', params: { maxMiB: LIMITS.maxImportBytes / 1024 / 1024 }, details: [{ path: 'AUS-ops-bomb.txt' }] });
    const many = Object.fromEntries(Array.from({ length: LIMITS.maxImportZipEntries + 1 }, (_, i) => [`${i}.md`, strToU8('x')]));
    expect((await importZip(zipSync(many))).status).toBe(413);
    expect((await importZip(new Uint8Array(LIMITS.maxImportZipBytes + 1))).status).toBe(413);
    expect((await importZip(strToU8('not a zip at all'))).body.error).toMatchObject({ code: 'invalid_zip', params: { problem: 'not_zip' } });
    expect((await importZip(padsZip(), '', ev.tokens.edit)).status).toBe(403);
    expect(await eventItems()).toEqual([]);
  });
});
