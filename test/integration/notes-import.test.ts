import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { HistoryListDto } from '../../shared/history/history.js';
import type { NotesImportResult } from '../../shared/notesImport/importResult.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { ActionItemDto } from '../../shared/schemas.js';
import { clientNotes, etherpadFixture, outline, postBytes, taggedLines } from '../helpers/notesImport.js';
import { api, createEventWithSession, serverSuite, startTestServer, type Fixture } from '../helpers/testServer.js';
import { appendParagraph, connectClient, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

const TEMPLATE = ['heading: Attendees', 'bulletList: ', 'heading: Agenda', 'bulletList: ', 'heading: Notes', 'paragraph: ', 'heading: Decisions', 'bulletList: ', 'heading: Action items', 'taskList: '];

describe('importing notes into a session: every format reaches every connected editor, and its action lines are tagged', () => {
  const suite = serverSuite();
  let fx: Fixture;

  async function setup(): Promise<YClient> {
    suite.server = await startTestServer({ taggerDebounceMs: 20 });
    fx = await createEventWithSession(suite.server.url, 'Import');
    return connect();
  }
  async function connect(): Promise<YClient> {
    const client = connectClient(suite.server!.wsUrl, fx.session.id, fx.event.tokens.edit);
    suite.clients.push(client);
    await waitForSync(client);
    return client;
  }
  const importUrl = (query: string) => `${suite.server!.url}/api/sessions/${fx.session.id}/import?${query}`;
  const importFile = (query: string, body: Uint8Array | string, type?: string, token = fx.event.tokens.edit) => postBytes<NotesImportResult>(importUrl(query), token, body, type);
  const actionItems = async () => (await api<{ items: ActionItemDto[] }>(suite.server!.url, 'GET', `/api/sessions/${fx.session.id}/action-items`, { token: fx.event.tokens.view })).body.items;
  /** Waits until the client shows `lines` action lines tagged by the server. */
  const waitTagged = (client: YClient, lines: number) => waitFor(() => taggedLines(clientNotes(client.doc)).length === lines, 10_000, `${lines} tagged lines`);

  it('Markdown (HedgeDoc, with front matter): headings, nested lists, tasks, links, code; into a new session, it replaces the untouched template', async () => {
    const client = await setup();
    const watcher = await connect();
    let watcherUpdates = 0;
    watcher.doc.on('update', () => watcherUpdates++);
    const md = [
      '---',
      'title: Ops Meetup – Large Deployments',
      'tags: ops, ldt',
      '---',
      '## Cells v2',
      '- who runs it',
      '  - placement',
      '- [ ] @dana collect scheduler configs by 2016-06-01',
      '- [x] @matt post the summary',
      '',
      'See [the LDT wiki](https://wiki.openstack.org/wiki/LDT) and `nova-manage`.',
      'ACTION: @akiko share NTT’s HA results ##ha',
      '```',
      'ACTION: not an action, it is code',
      '```',
    ].join('\n');
    const res = await importFile('format=md', md);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, format: 'md', mode: 'append', replacesTemplate: true, blocks: 6, frontMatter: { title: 'Ops Meetup – Large Deployments', tags: ['ops', 'ldt'] } });
    expect(res.body.actionItems.map((a) => [a.owners, a.due, a.status])).toEqual([
      [['dana'], '2016-06-01', 'open'],
      [['matt'], null, 'done'],
      [['akiko'], null, 'open'],
    ]);
    await waitTagged(client, 3);
    const doc = clientNotes(client.doc);
    // The import only: no empty template sections above it, nothing under "Action items".
    expect(outline(doc)).toEqual([
      'heading: Cells v2',
      'bulletList: who runs itplacement',
      'taskList: @dana collect scheduler configs by 2016-06-01@matt post the summary',
      'paragraph: See the LDT wiki and nova-manage.',
      'paragraph: ACTION: @akiko share NTT’s HA results ##ha',
      'codeBlock: ACTION: not an action, it is code',
    ]);
    expect(JSON.stringify(doc)).toContain('"href":"https://wiki.openstack.org/wiki/LDT"');
    const items = await actionItems();
    expect(items.map((i) => [i.text, i.status]).sort()).toEqual([
      ['@akiko share NTT’s HA results ##ha', 'open'],
      ['@dana collect scheduler configs by 2016-06-01', 'open'],
      ['@matt post the summary', 'done'],
    ]);
    // The ids the index knows are the ones on the lines every editor sees.
    expect(new Set(taggedLines(doc).map((l) => l.actionItemId))).toEqual(new Set(items.map((i) => i.id)));
    // Another open editor received the same notes live, as one change (plus the tagger's marks), not block by block.
    await waitFor(() => taggedLines(clientNotes(watcher.doc)).length === 3, 10_000, 'watcher tagged');
    expect(outline(clientNotes(watcher.doc))).toEqual(outline(doc));
    expect(watcherUpdates).toBeLessThanOrEqual(2);
    // History has it as an import.
    await waitFor(async () => (await api<HistoryListDto>(suite.server!.url, 'GET', `/api/sessions/${fx.session.id}/history`, { token: fx.event.tokens.view })).body.versions.some((v) => v.authors.includes('import')), 10_000, 'import in history');
  });

  it('"Add after" into notes someone wrote in: appended after them, the typed line and the template kept', async () => {
    const client = await setup();
    appendParagraph(client.doc, 'typed before the import');
    const other = await connect();
    await waitFor(() => outline(clientNotes(other.doc)).includes('paragraph: typed before the import'), 10_000, 'the line is on the server');
    const preview = await importFile('format=md&dryRun=true', '## Imported\n- one line\n');
    expect(preview.body).toMatchObject({ dryRun: true, mode: 'append', replacesTemplate: false });
    const res = await importFile('format=md', '## Imported\n- one line\n');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ mode: 'append', replacesTemplate: false });
    const expected = [...TEMPLATE, 'paragraph: typed before the import', 'heading: Imported', 'bulletList: one line'];
    for (const c of [client, other]) await waitFor(() => outline(clientNotes(c.doc)).length === expected.length, 10_000, 'appended everywhere');
    expect(outline(clientNotes(client.doc))).toEqual(expected);
    expect(outline(clientNotes(other.doc))).toEqual(expected);
  });

  it('"Add after" into a template whose heading someone changed appends too: a word typed anywhere is kept', async () => {
    const client = await setup();
    const fragment = client.doc.getXmlFragment(NOTES_FRAGMENT);
    const heading = fragment.toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'heading' && n.toString().includes('Notes')) as Y.XmlElement;
    client.doc.transact(() => (heading.get(0) as Y.XmlText).insert((heading.get(0) as Y.XmlText).length, ' (room 2)'));
    const other = await connect();
    await waitFor(() => outline(clientNotes(other.doc)).includes('heading: Notes (room 2)'), 10_000, 'the heading is on the server');
    const res = await importFile('format=md', 'imported line');
    expect(res.body).toMatchObject({ mode: 'append', replacesTemplate: false });
    await waitFor(() => outline(clientNotes(client.doc)).at(-1) === 'paragraph: imported line', 10_000, 'appended');
    expect(outline(clientNotes(client.doc))).toContain('heading: Notes (room 2)');
  });

  it('Etherpad .txt export (format sniffed): nested bullets, numbered list and MeetBot lines', async () => {
    const client = await setup();
    const res = await importFile('mode=replace', etherpadFixture('large-deployments.txt'), 'text/plain');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ format: 'txt', mode: 'replace', blocks: 8, lines: 11 });
    await waitTagged(client, 2);
    expect(outline(clientNotes(client.doc))).toEqual([
      'paragraph: Large Deployments Team (moderator: dana)',
      'bulletList: Cells v2: who is running it in production?Nova scheduler pain at 1,000+ hypervisorsplacement API adoption',
      'paragraph: Notes in Japanese: 大規模環境でのアップグレード手順を共有する',
      'orderedList: Gather upgrade storiesCompare RabbitMQ tuning',
      'paragraph: ACTION: @dana collect scheduler configs by 2016-06-01',
      'paragraph: #action matt write up the cells v2 migration notes',
      'paragraph: See the LDT wiki',
      'paragraph: Old item struck through',
    ]);
    expect((await actionItems()).map((i) => [i.owners, i.due]).sort()).toEqual([
      [['dana'], '2016-06-01'],
      [['matt'], null],
    ]);
  });

  it('Etherpad .html export (Content-Type): the same structure as its .txt, plus bold, underline and strike-through', async () => {
    const client = await setup();
    const res = await importFile('mode=replace', etherpadFixture('large-deployments.html'), 'text/html; charset=utf-8');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.format).toBe('html');
    await waitTagged(client, 2);
    const doc = clientNotes(client.doc);
    expect(outline(doc)[1]).toBe('bulletList: Cells v2: who is running it in production?Nova scheduler pain at 1,000+ hypervisorsplacement API adoption');
    expect(doc.content![0]!.content![0]).toMatchObject({ text: 'Large Deployments Team', marks: [{ type: 'bold' }] });
    expect(doc.content![4]!.content![0]).toMatchObject({ text: 'ACTION', marks: [{ type: 'underline' }] });
    expect(doc.content![7]!.content![0]).toMatchObject({ text: 'Old item struck through', marks: [{ type: 'strike' }] });
    expect((await actionItems()).length).toBe(2);
  });

  it('.etherpad: headings, nested lists, code, marks and links; authors and their colours come back in the answer', async () => {
    const client = await setup();
    const res = await importFile('mode=replace&filename=AUS-ops-nova-scheduler.etherpad', etherpadFixture('AUS-ops-nova-scheduler.etherpad'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ format: 'etherpad', padId: 'AUS-ops-nova-scheduler' });
    expect(res.body.authors!.map((a) => [a.name, a.color])).toEqual([
      ['akiko', null],
      ['bruno', '#7ab3f0'],
    ]);
    await waitTagged(client, 3);
    const doc = clientNotes(client.doc);
    expect(outline(doc).slice(0, 7)).toEqual([
      'heading: Nova Scheduler & Cells Feedback',
      'paragraph: Moderator: bruno · notes: everyone in the room',
      'heading: Notes',
      'bulletList: Placement API adoption is unevenGPU resource providersNUMA-aware placement tooCells v2: mandatory since Ocata',
      'paragraph: Last year: https://etherpad.openstack.org/p/MAN-ops-nova',
      'codeBlock: nova-manage cell_v2 list_cells\nopenstack resource provider list',
      'heading: Action items',
    ]);
    const items = await actionItems();
    expect(items.map((i) => [i.owners, i.due, i.tags]).sort()).toEqual([
      [['akiko'], '2016-05-20', ['nova']],
      [['bruno'], null, []],
      [['bruno'], null, []],
    ]);
  });

  it('the real .etherpad export, with every connected editor getting the replace as one change', async () => {
    const alice = await setup();
    const bob = await connect();
    appendParagraph(alice.doc, 'typed before the import');
    await waitFor(() => outline(clientNotes(bob.doc)).includes('paragraph: typed before the import'), 10_000, 'bob sees alice');
    let updates = 0;
    bob.doc.on('update', () => updates++);
    const res = await importFile('format=etherpad&mode=replace', etherpadFixture('large-deployments.etherpad'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await waitTagged(bob, 2);
    for (const c of [alice, bob]) {
      await waitFor(() => outline(clientNotes(c.doc)).length === 8, 10_000, 'replaced everywhere');
      expect(outline(clientNotes(c.doc))).not.toContain('paragraph: typed before the import');
    }
    // The notes and the tagger's marks on them: two commits at most, never a block at a time.
    expect(updates).toBeLessThanOrEqual(2);
  });

  it('a dry run is a preview: counts and action items, and nothing changes', async () => {
    await setup();
    const res = await importFile('dryRun=true&format=etherpad', etherpadFixture('large-deployments.etherpad'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, mode: 'append', replacesTemplate: true, blocks: 8, lines: 11, preview: expect.arrayContaining(['Large Deployments Team (moderator: dana)']) });
    expect(res.body.actionItems).toHaveLength(2);
    // A client that connects now sees exactly the template: the preview wrote nothing.
    const fresh = await connect();
    expect(outline(clientNotes(fresh.doc))).toEqual(TEMPLATE);
    expect(await actionItems()).toEqual([]);
  });
});
