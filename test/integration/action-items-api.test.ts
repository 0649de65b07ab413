import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { ActionItemDto, SessionDto } from '../../shared/schemas.js';
import { eventuallyValue } from '../helpers/eventually.js';
import { apiClient, api, createEventWithSession, startTestServer, type Fixture, serverSuite } from '../helpers/testServer.js';
import { connectClient, waitFor, waitForSync, type YClient } from '../helpers/yClient.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** Types plain-text notes the way a pad user pastes them: one paragraph per line, "[ ]" lines as typed. */
function appendLines(doc: Y.Doc, lines: string[]): void {
  doc.transact(() => {
    const blocks = lines.map((line) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(line)]);
      return p;
    });
    doc.getXmlFragment(NOTES_FRAGMENT).push(blocks);
  });
}

function appendTask(doc: Y.Doc, text: string, checked = false): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  const item = new Y.XmlElement('taskItem');
  item.setAttribute('checked', checked as unknown as string);
  item.insert(0, [p]);
  const list = new Y.XmlElement('taskList');
  list.insert(0, [item]);
  doc.transact(() => doc.getXmlFragment(NOTES_FRAGMENT).push([list]));
  return item;
}

function paragraphs(doc: Y.Doc): Y.XmlElement[] {
  const out: Y.XmlElement[] = [];
  const walk = (n: Y.XmlElement | Y.XmlFragment) => {
    for (const c of n.toArray()) {
      if (!(c instanceof Y.XmlElement)) continue;
      if (c.nodeName === 'paragraph') out.push(c);
      else walk(c);
    }
  };
  walk(doc.getXmlFragment(NOTES_FRAGMENT));
  return out;
}

function textOf(p: Y.XmlElement): string {
  return p
    .toArray()
    .map((c) => (c instanceof Y.XmlText ? c.toString() : ''))
    .join('');
}

/** RFC 4180: quoted fields, doubled quotes, CRLF records. */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && csv[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('action-item index, filters, exports and carry forward', () => {
  const suite = serverSuite();
  let fx: Fixture;

  async function start() {
    suite.server = await startTestServer({ taggerDebounceMs: 50 });
    fx = await createEventWithSession(suite.server.url);
  }

  async function join(sessionId: string): Promise<YClient> {
    const c = connectClient(suite.server!.wsUrl, sessionId, fx.event.tokens.edit);
    suite.clients.push(c);
    await waitForSync(c);
    return c;
  }

  async function addSession(title: string, startsAt: string | null): Promise<SessionDto> {
    return apiClient(suite.server!.url, fx.event.tokens.moderate).createSession(fx.event.event.id, startsAt ? { title, startsAt } : { title });
  }

  const sessionItems = async (sessionId: string) => (await apiClient(suite.server!.url, fx.event.tokens.view).sessionActionItems(sessionId)).items;
  const eventItems = async (query = '') =>
    (await api<{ items: ActionItemDto[] }>(suite.server!.url, 'GET', `/api/events/${fx.event.event.slug}/action-items${query}`, { token: fx.event.tokens.view })).body.items;

  it('the fixture notes, typed into a session, are indexed as a note-taker means them (English and Japanese)', async () => {
    await start();
    const jp = await addSession('国内OpsWorkshop報告', '2016-04-26T01:00:00Z');
    const en = await join(fx.session.id);
    const ja = await join(jp.id);
    appendLines(en.doc, fs.readFileSync(path.join(fixtures, 'notes-nfv-telco.txt'), 'utf8').split('\n'));
    appendLines(ja.doc, fs.readFileSync(path.join(fixtures, 'notes-jp-ops-workshop.txt'), 'utf8').split('\n'));

    const enItems = await eventuallyValue(() => sessionItems(fx.session.id), (v) => v.length === 7, 'English items', 10_000);
    expect(enItems.map(({ text, owners, due, tags, status }) => ({ text, owners, due, tags, status }))).toEqual([
      { text: '@dana collect carrier requirements into an etherpad-free user story by 2016-05-17 ##product-wg', owners: ['dana'], due: '2016-05-17', tags: ['product-wg'], status: 'open' },
      { text: '@chen and @farah draft the relationship doc with OPNFV due 2016-05-31', owners: ['chen', 'farah'], due: '2016-05-31', tags: [], status: 'open' },
      { text: 'book an IRC slot for the first WG meeting (owner: bruno)', owners: ['bruno'], due: null, tags: [], status: 'open' },
      { text: 'emeka post the session summary to the openstack-operators ML', owners: ['emeka'], due: null, tags: [], status: 'open' },
      { text: "@akiko share NTT's HA test results", owners: ['akiko'], due: null, tags: [], status: 'open' },
      { text: '@bruno create the WG wiki page', owners: ['bruno'], due: null, tags: [], status: 'done' },
      { text: 'Someone should look at the Ceilometer granularity problem ##telemetry', owners: [], due: null, tags: ['telemetry'], status: 'open' },
    ]);
    // 期限：6月15日 has no year: it takes the session's (2016-04-26 in Chicago is still the 25th; either way 2016).
    const jaItems = await eventuallyValue(() => sessionItems(jp.id), (v) => v.length === 4, 'Japanese items', 10_000);
    expect(jaItems.map(({ owners, due, status }) => ({ owners, due, status }))).toEqual([
      { owners: ['hana'], due: '2016-06-30', status: 'open' },
      { owners: ['jun'], due: '2016-06-15', status: 'open' },
      { owners: ['ivan'], due: null, status: 'open' },
      { owners: ['goro'], due: null, status: 'open' },
    ]);
    // Every item in the index is marked in the document, and only those.
    await waitFor(() => paragraphs(ja.doc).filter((p) => typeof p.getAttribute('actionItemId') === 'string').length === 4, 10_000, 'marks reach the client');
    expect(new Set(paragraphs(ja.doc).map((p) => p.getAttribute('actionItemId')).filter(Boolean))).toEqual(new Set(jaItems.map((i) => i.id)));
  });

  it('filters the event list by status, owner, tag, session and overdue', async () => {
    await start();
    const second = await addSession('Ops tooling', '2016-04-26T15:00:00Z');
    const a = await join(fx.session.id);
    const b = await join(second.id);
    appendLines(a.doc, ['ACTION: @Dana.Smith send the summary by 2016-05-17 ##product-wg', 'TODO: @chen book the room ##ops-tooling', 'AI: @farah write the FAQ due 2099-01-01']);
    appendTask(b.doc, '@chen share the configs ##Ops-Tooling', true);
    appendLines(b.doc, ['宿題：@はな 議事録を共有（期限：5月1日）']);
    await eventuallyValue(() => eventItems(), (v) => v.length === 5, 'five items', 10_000);

    const texts = (items: ActionItemDto[]) => items.map((i) => i.text).sort();
    expect(texts(await eventItems('?status=done'))).toEqual(['@chen share the configs ##Ops-Tooling']);
    expect((await eventItems('?status=open')).length).toBe(4);
    // Owner matching ignores case, a leading @ and the separators between a display name and a mention.
    expect(texts(await eventItems('?owner=chen'))).toEqual(['@chen book the room ##ops-tooling', '@chen share the configs ##Ops-Tooling']);
    expect(texts(await eventItems(`?owner=${encodeURIComponent('Dana Smith')}`))).toEqual(['@Dana.Smith send the summary by 2016-05-17 ##product-wg']);
    expect(texts(await eventItems(`?owner=${encodeURIComponent('@はな')}`))).toEqual(['@はな 議事録を共有（期限：5月1日）']);
    expect(texts(await eventItems('?tag=ops-tooling'))).toEqual(['@chen book the room ##ops-tooling', '@chen share the configs ##Ops-Tooling']);
    expect(texts(await eventItems(`?tag=${encodeURIComponent('##Product-WG')}`))).toEqual(['@Dana.Smith send the summary by 2016-05-17 ##product-wg']);
    expect(texts(await eventItems(`?session=${second.id}`))).toEqual(['@chen share the configs ##Ops-Tooling', '@はな 議事録を共有（期限：5月1日）']);
    // Overdue: open, with a due date before today in the event's time zone (2099 is not; the done item never is).
    expect(texts(await eventItems('?overdue=true'))).toEqual(['@Dana.Smith send the summary by 2016-05-17 ##product-wg', '@はな 議事録を共有（期限：5月1日）']);
    expect(texts(await eventItems('?overdue=true&owner=chen'))).toEqual([]);

    const bad = await api(suite.server!.url, 'GET', `/api/events/${fx.event.event.slug}/action-items?status=finished`, { token: fx.event.tokens.view });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: expect.any(String) as string } });
    const noToken = await api(suite.server!.url, 'GET', `/api/events/${fx.event.event.slug}/action-items`);
    expect(noToken.status).toBe(401);
  });

  it("a session's tags are its working groups: ?tag= lists every item of a session tagged so, besides items with the ##tag", async () => {
    await start();
    const telco = await apiClient(suite.server!.url, fx.event.tokens.moderate).createSession(fx.event.event.id, { title: 'NFV/Telco WG', startsAt: '2016-04-26T15:00:00Z', tags: ['NFV-Telco'] });
    const a = await join(fx.session.id);
    const b = await join(telco.id);
    appendLines(a.doc, ['ACTION: @dana send the summary ##nfv-telco', 'TODO: @chen book the room']);
    appendLines(b.doc, ['ACTION: @emeka post the summary to the ML', 'AI: @farah write the FAQ ##product-wg']);
    await eventuallyValue(() => eventItems(), (v) => v.length === 4, 'four items', 10_000);

    const texts = (items: ActionItemDto[]) => items.map((i) => i.text).sort();
    // As search's tag: does: the session's tag matches all its items; an item's ##tag matches it in any session.
    expect(texts(await eventItems('?tag=nfv-telco'))).toEqual(['@dana send the summary ##nfv-telco', '@emeka post the summary to the ML', '@farah write the FAQ ##product-wg']);
    expect(texts(await eventItems(`?tag=${encodeURIComponent('##NFV-Telco')}&owner=emeka`))).toEqual(['@emeka post the summary to the ML']);
    expect(texts(await eventItems('?tag=product-wg'))).toEqual(['@farah write the FAQ ##product-wg']);
  });

  it('exports CSV (RFC 4180, formula-safe), Markdown, JSON and iCalendar per session and per event', async () => {
    await start();
    const a = await join(fx.session.id);
    appendLines(a.doc, [
      'ACTION: =HYPERLINK("http://evil.example","click") due 2016-05-20',
      'TODO: +1 for the "ops, guide" idea',
      'AI: -2+3 @dana check the math',
      '##security @erin rotate keys by 2016-06-01',
      'TODO: @jun 確認する\t=SUM(A1)',
    ]);
    await eventuallyValue(() => sessionItems(fx.session.id), (v) => v.length === 5, 'five items', 10_000);
    // Text that itself starts with @ (an owner) is neutralised too.
    appendLines(a.doc, ['ACTION: @zoe reply']);
    await eventuallyValue(() => sessionItems(fx.session.id), (v) => v.length === 6, 'six items', 10_000);

    for (const base of [`/api/sessions/${fx.session.id}/action-items`, `/api/events/${fx.event.event.slug}/action-items`]) {
      const csv = await fetch(`${suite.server!.url}${base}?format=csv`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(csv.headers.get('content-disposition')).toMatch(/attachment/);
      // A UTF-8 BOM (EF BB BF) first, so Excel reads Japanese owners as UTF-8.
      const bytes = Buffer.from(await csv.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const body = bytes.subarray(3).toString('utf8');
      expect(body.endsWith('\r\n')).toBe(true);
      const rows = parseCsv(body);
      expect(rows[0]).toEqual(['id', 'event', 'session', 'status', 'owners', 'due', 'tags', 'text']);
      const byText = rows.slice(1).map((r) => r[7]);
      expect(byText).toEqual([
        `'=HYPERLINK("http://evil.example","click") due 2016-05-20`,
        `'+1 for the "ops, guide" idea`,
        `'-2+3 @dana check the math`,
        '##security @erin rotate keys by 2016-06-01',
        `'@jun 確認する\t=SUM(A1)`,
        `'@zoe reply`,
      ]);
      // No cell a spreadsheet would run as a formula.
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(rows.every((r) => r.length === 8)).toBe(true);

      const md = await (await fetch(`${suite.server!.url}${base}?format=md`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } })).text();
      expect(md).toContain('- [ ] ');
      expect(md).toContain('**erin**');

      const json = (await (await fetch(`${suite.server!.url}${base}?format=json`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } })).json()) as { items: ActionItemDto[] };
      expect(json.items).toHaveLength(6);

      const ics = await (await fetch(`${suite.server!.url}${base}?format=ics`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } })).text();
      expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
      // One VTODO per item with a due date: the HYPERLINK line and the ##security line.
      expect(ics.match(/BEGIN:VTODO/g)).toHaveLength(2);
      expect(ics).toContain('DUE;VALUE=DATE:20160520');
      expect(ics).toContain('DUE;VALUE=DATE:20160601');
    }
    const badFormat = await api(suite.server!.url, 'GET', `/api/sessions/${fx.session.id}/action-items?format=xlsx`, { token: fx.event.tokens.view });
    expect(badFormat.status).toBe(400);
  });

  it('per-session CSV and iCalendar exports name the event, not the session, as the event', async () => {
    await start();
    const a = await join(fx.session.id);
    appendLines(a.doc, ['ACTION: @dana send the summary by 2016-05-17']);
    await eventuallyValue(() => sessionItems(fx.session.id), (v) => v.length === 1, 'one item', 10_000);
    const get = async (query: string) =>
      (await fetch(`${suite.server!.url}/api/sessions/${fx.session.id}/action-items?${query}`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } })).text();

    const rows = parseCsv(await get('format=csv'));
    expect(rows[1]!.slice(1, 3)).toEqual([fx.event.event.title, fx.session.title]);
    // Unfold the iCalendar lines (RFC 5545 3.1) before reading DESCRIPTION.
    const ics = (await get('format=ics')).replace(/\r\n /g, '');
    const description = /^DESCRIPTION:(.*)$/m.exec(ics)?.[1] ?? '';
    expect(description).toContain(`Session: ${fx.session.title}`);
    expect(description).toContain(`Event: ${fx.event.event.title}`);
  });

  it('an action line ticked on the board is done in the minutes (Markdown, HTML, text), not only in their summary', async () => {
    await start();
    const a = await join(fx.session.id);
    appendLines(a.doc, ['ACTION: @dana send the summary by 2016-05-17', 'アクション: @hana テンプレートを作成']);
    const [first] = await eventuallyValue(() => sessionItems(fx.session.id), (v) => v.length === 2, 'two items', 10_000);
    const patched = await api(suite.server!.url, 'PATCH', `/api/action-items/${first!.id}`, { token: fx.event.tokens.edit, body: { status: 'done' } });
    expect(patched.status).toBe(200);
    const minutes = async (format: string) =>
      (await fetch(`${suite.server!.url}/api/sessions/${fx.session.id}/minutes?format=${format}`, { headers: { authorization: `Bearer ${fx.event.tokens.view}` } })).text();
    const md = await minutes('md');
    expect(md).toMatch(/^- \[x\] ACTION: @dana send the summary by 2016-05-17$/m);
    expect(md).toMatch(/^アクション: @hana テンプレートを作成$/m);
    expect(await minutes('html')).toMatch(/<li class="done"><span class="box"[^>]*>☑<\/span> ACTION: @dana/);
    expect(await minutes('txt')).toMatch(/^\[x\] ACTION: @dana/m);
  });

  it('PATCH rewrites a typed box, refuses locked notes to editors, and the list follows document order', async () => {
    await start();
    const a = await join(fx.session.id);
    appendLines(a.doc, ['- [ ] @akiko share the HA results', 'ACTION: @dana second item']);
    const items = await eventuallyValue(() => sessionItems(fx.session.id), (v) => v.length === 2, 'two items', 10_000);
    expect(items.map((i) => i.owners[0])).toEqual(['akiko', 'dana']);

    const res = await api<ActionItemDto>(suite.server!.url, 'PATCH', `/api/action-items/${items[0]!.id}`, { token: fx.event.tokens.edit, body: { status: 'done' } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('done');
    const typed = () => paragraphs(a.doc).find((p) => p.getAttribute('actionItemId') === items[0]!.id);
    await waitFor(() => typed() !== undefined && textOf(typed()!) === '- [x] @akiko share the HA results', 10_000, 'box ticked in the text');
    // Unticking the box by typing reopens it: the text is the truth for typed boxes.
    const t = typed()!.get(0) as Y.XmlText;
    a.doc.transact(() => {
      t.delete(3, 1);
      t.insert(3, ' ');
    });
    await eventuallyValue(() => sessionItems(fx.session.id), (v) => v[0]?.status === 'open', 'reopened by typing', 10_000);

    // A paragraph item keeps its status in the actionStatus attribute.
    await apiClient(suite.server!.url, fx.event.tokens.edit).setActionItemStatus(items[1]!.id, 'done');
    await waitFor(() => paragraphs(a.doc).find((p) => p.getAttribute('actionItemId') === items[1]!.id)?.getAttribute('actionStatus') === 'done', 10_000, 'actionStatus');

    // Blocks inserted above move the items; the list keeps document order.
    a.doc.transact(() => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('TODO: @zoe inserted first')]);
      a.doc.getXmlFragment(NOTES_FRAGMENT).insert(0, [p]);
    });
    const reordered = await eventuallyValue(() => sessionItems(fx.session.id), (v) => v.length === 3, 'three items', 10_000);
    expect(reordered.map((i) => i.owners[0])).toEqual(['zoe', 'akiko', 'dana']);

    const lock = await api(suite.server!.url, 'PATCH', `/api/sessions/${fx.session.id}`, { token: fx.event.tokens.moderate, body: { locked: true } });
    expect(lock.status).toBe(200);
    const refused = await api(suite.server!.url, 'PATCH', `/api/action-items/${items[1]!.id}`, { token: fx.event.tokens.edit, body: { status: 'open' } });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'locked' } });
    const byModerator = await api<ActionItemDto>(suite.server!.url, 'PATCH', `/api/action-items/${items[1]!.id}`, { token: fx.event.tokens.moderate, body: { status: 'open' } });
    expect(byModerator.status).toBe(200);
    expect(byModerator.body.status).toBe('open');
    const unknown = await api(suite.server!.url, 'PATCH', '/api/action-items/aaaaaaaaaaaaaaaa', { token: fx.event.tokens.edit, body: { status: 'open' } });
    expect(unknown.status).toBe(404);
  });

  it('carry forward copies open items once, linked: closing either side closes the other, across a chain', async () => {
    await start();
    const followUp = await addSession('NFV WG follow-up', '2016-05-24T15:00:00Z');
    const third = await addSession('NFV WG third meeting', '2016-06-07T15:00:00Z');
    const a = await join(fx.session.id);
    appendLines(a.doc, ['ACTION: @dana send the summary by 5/17', 'TODO: @chen book the room']);
    appendTask(a.doc, '@bruno wiki page', true);
    const originals = await eventuallyValue(() => sessionItems(fx.session.id), (v) => v.length === 3, 'three items', 10_000);

    const carry = (to: string, from: string) =>
      api<{ copied: number }>(suite.server!.url, 'POST', `/api/sessions/${to}/carry-forward`, { token: fx.event.tokens.moderate, body: { fromSessionId: from, heading: '前回からの引き継ぎ' } });
    const first = await carry(followUp.id, fx.session.id);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ copied: 2 });
    // Carrying again copies nothing new.
    expect((await carry(followUp.id, fx.session.id)).body).toEqual({ copied: 0 });
    expect((await api(suite.server!.url, 'POST', `/api/sessions/${followUp.id}/carry-forward`, { token: fx.event.tokens.edit, body: { fromSessionId: fx.session.id } })).status).toBe(403);
    expect((await carry(followUp.id, followUp.id)).status).toBe(400);

    const copies = await sessionItems(followUp.id);
    // "by 5/17" is written out in full: in a session on 24 May it would otherwise mean 17 May 2017.
    expect(copies.map((c) => ({ text: c.text, owners: c.owners, due: c.due, status: c.status }))).toEqual([
      { text: '@dana send the summary by 2016-05-17', owners: ['dana'], due: '2016-05-17', status: 'open' },
      { text: '@chen book the room', owners: ['chen'], due: null, status: 'open' },
    ]);
    const b = await join(followUp.id);
    await waitFor(
      () => b.doc.getXmlFragment(NOTES_FRAGMENT).toArray().some((n) => n instanceof Y.XmlElement && n.nodeName === 'heading' && textOf(n) === '前回からの引き継ぎ'),
      10_000,
      'heading in the follow-up notes',
    );

    // Ticking the copy's checkbox in the follow-up's notes closes the original in the first session's notes.
    const copyParagraph = () => paragraphs(b.doc).find((p) => p.getAttribute('actionItemId') === copies[0]!.id);
    await waitFor(() => copyParagraph() !== undefined, 10_000, 'copy in the doc');
    (copyParagraph()!.parent as Y.XmlElement).setAttribute('checked', true as unknown as string);
    await eventuallyValue(() => sessionItems(fx.session.id), (v) => v.find((i) => i.id === originals[0]!.id)?.status === 'done', 'original closed', 10_000);
    await waitFor(() => paragraphs(a.doc).find((p) => p.getAttribute('actionItemId') === originals[0]!.id)?.getAttribute('actionStatus') === 'done', 10_000, 'original marked done in its notes');

    // Chain: the still-open item moves on to a third meeting; closing the original closes both copies.
    expect((await carry(third.id, followUp.id)).body).toEqual({ copied: 1 });
    const thirdItems = await sessionItems(third.id);
    expect(thirdItems.map((i) => i.text)).toEqual(['@chen book the room']);
    const patched = await api(suite.server!.url, 'PATCH', `/api/action-items/${originals[1]!.id}`, { token: fx.event.tokens.edit, body: { status: 'done' } });
    expect(patched.status).toBe(200);
    await eventuallyValue(() => sessionItems(third.id), (v) => v[0]?.status === 'done', 'third copy closed', 10_000);
    await eventuallyValue(() => sessionItems(followUp.id), (v) => v.every((i) => i.status === 'done'), 'follow-up copies closed', 10_000);
    // Reopening the last copy reopens the whole chain.
    await apiClient(suite.server!.url, fx.event.tokens.edit).setActionItemStatus(thirdItems[0]!.id, 'open');
    await eventuallyValue(() => sessionItems(fx.session.id), (v) => v.find((i) => i.id === originals[1]!.id)?.status === 'open', 'original reopened', 10_000);
  });
});
