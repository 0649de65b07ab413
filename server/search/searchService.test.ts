import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { parseSearchQuery } from '../../shared/search/query.js';
import { ActionItemRepo } from '../storage/actionItemRepo.js';
import { openDatabase } from '../storage/database.js';
import { EventRepo } from '../storage/eventRepo.js';
import { SessionRepo, type SessionFields } from '../storage/sessionRepo.js';
import { diffBlocks } from './blockDiff.js';
import { actionItemIdOf } from '../actionItems/blocks.js';
import { blockIdOf } from './noteBlocks.js';
import { SearchRepo } from '../storage/searchRepo.js';
import { ftsExpression, SearchService } from './searchService.js';

const NOW = '2016-04-25T12:00:00.000Z';

function fields(title: string, extra: Partial<SessionFields> = {}): SessionFields {
  return { title, startsAt: null, endsAt: null, rooms: [], track: null, moderators: [], tags: [], description: null, uid: null, ...extra };
}

describe('search over a real SQLite index', () => {
  let dir: string;
  let db: Database.Database;
  let repo: SearchRepo;
  let sessions: SessionRepo;
  let items: ActionItemRepo;
  let service: SearchService;

  /** Writes paragraphs as a session's notes and indexes them; `[id]` at the start of a line makes it an action item. */
  function notes(eventId: string, sessionId: string, lines: string[]): Map<string, string> {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
    fragment.insert(
      0,
      lines.map((line) => {
        const m = /^\[(\w{16})\] (.*)$/.exec(line);
        const el = new Y.XmlElement(line.startsWith('# ') ? 'heading' : 'paragraph');
        if (m) el.setAttribute('actionItemId', m[1]!);
        el.insert(0, [new Y.XmlText(m ? m[2]! : line.replace(/^# /, ''))]);
        return el;
      }),
    );
    const blocks = diffBlocks(fragment, repo.blocksOf(sessionId), { dirty: new Set(), structure: true, full: true })!;
    repo.write([{ sessionId, eventId, blocks, docSeq: 1 }], NOW);
    const ids = new Map<string, string>();
    for (const el of fragment.toArray() as Y.XmlElement[]) ids.set(actionItemIdOf(el) ?? el.toString(), blockIdOf(el)!);
    return ids;
  }

  async function item(id: string, eventId: string, sessionId: string, text: string, extra: { owners?: string[]; tags?: string[]; status?: 'open' | 'done' } = {}) {
    await items.apply([{ id, eventId, sessionId, text, owners: extra.owners ?? [], due: null, tags: extra.tags ?? [], status: extra.status ?? 'open', source: 'marker', position: '0' }], [], NOW);
  }

  function search(eventId: string, q: string, limit = 30) {
    const parsed = parseSearchQuery(q);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    return service.search(eventId, parsed.query, limit);
  }
  const snippets = (r: Awaited<ReturnType<typeof search>>) => r.results.map((x) => x.snippet);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-search-'));
    db = openDatabase(dir);
    repo = new SearchRepo(db);
    sessions = new SessionRepo(db);
    items = new ActionItemRepo(db);
    service = new SearchService({ repo, sessions, actionItems: items });
    const events = new EventRepo(db);
    await events.create({ id: 'eventaaaaaaaaaaa', slug: 'ops', title: 'Ops Meetup', timezone: 'America/Chicago', language: 'en' }, [], NOW);
    await events.create({ id: 'eventbbbbbbbbbbb', slug: 'other', title: 'Other', timezone: 'UTC', language: 'en' }, [], NOW);
    const seed = new Uint8Array([0, 0]);
    await sessions.createWithNotes(
      'eventaaaaaaaaaaa',
      [
        { id: 'nfvaaaaaaaaaaaaa', fields: fields('NFV/Telco Working Group', { startsAt: '2016-04-25T16:00:00Z', moderators: ['Curtis', 'Dana Smith'], tags: ['nfv'] }), seed },
        { id: 'japanaaaaaaaaaaa', fields: fields('Japan Ops Workshop Report / 国内OpsWorkshop報告', { startsAt: '2016-04-25T17:00:00Z' }), seed },
        { id: 'upgradeaaaaaaaaa', fields: fields('Upgrades', { startsAt: '2016-04-25T18:00:00Z' }), seed },
      ],
      [],
      NOW,
    );
    await sessions.createWithNotes('eventbbbbbbbbbbb', [{ id: 'otheraaaaaaaaaaa', fields: fields('Elsewhere'), seed }], [], NOW);
  });

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds substrings through the trigram index, ignoring case and width, with the match highlighted in what was written', async () => {
    notes('eventaaaaaaaaaaa', 'upgradeaaaaaaaaa', ['# Notes', 'Rolling upgrades of ＮＯＶＡ went fine', 'nothing here']);
    const r = (await search('eventaaaaaaaaaaa', 'nova upgrade'));
    expect(r.results).toHaveLength(1);
    const hit = r.results[0]!;
    expect(hit).toMatchObject({ sessionId: 'upgradeaaaaaaaaa', sessionTitle: 'Upgrades', kind: 'notes', heading: 'Notes', isActionItem: false });
    expect(hit.highlights.map(([a, b]) => hit.snippet.slice(a, b))).toEqual(['upgrade', 'ＮＯＶＡ']);
  });

  it('Japanese: substrings without spaces, and queries of one or two characters (scan)', async () => {
    notes('eventaaaaaaaaaaa', 'japanaaaaaaaaaaa', ['# 報告', '国内のOps Workshopで運用者向けドキュメントの翻訳を議論した', '東京で次回開催']);
    expect(snippets((await search('eventaaaaaaaaaaa', 'ドキュメント')))).toEqual(['国内のOps Workshopで運用者向けドキュメントの翻訳を議論した']);
    expect(snippets((await search('eventaaaaaaaaaaa', '翻訳')))).toHaveLength(1);
    expect(snippets((await search('eventaaaaaaaaaaa', '東')))).toEqual(['東京で次回開催']);
    // A short term next to a long one: the index finds the candidates, the short term filters them.
    expect(snippets((await search('eventaaaaaaaaaaa', '運用者 東')))).toEqual([]);
    expect(snippets((await search('eventaaaaaaaaaaa', '運用者 議論')))).toHaveLength(1);
  });

  it('phrases match as written; words need only all be there', async () => {
    notes('eventaaaaaaaaaaa', 'upgradeaaaaaaaaa', ['upgrade rolling back', 'rolling upgrade done']);
    expect(snippets((await search('eventaaaaaaaaaaa', '"rolling upgrade"')))).toEqual(['rolling upgrade done']);
    expect(snippets((await search('eventaaaaaaaaaaa', 'rolling upgrade')))).toHaveLength(2);
  });

  it('titles and moderators are searched too, and come first in their session', async () => {
    notes('eventaaaaaaaaaaa', 'nfvaaaaaaaaaaaaa', ['Telco cloud requirements']);
    const r = (await search('eventaaaaaaaaaaa', 'telco'));
    expect(r.results.map((x) => [x.kind, x.snippet])).toEqual([
      ['title', 'NFV/Telco Working Group'],
      ['notes', 'Telco cloud requirements'],
    ]);
    expect((await search('eventaaaaaaaaaaa', 'dana')).results.map((x) => [x.kind, x.snippet])).toEqual([['moderators', 'Curtis, Dana Smith']]);
  });

  it('owner:, is:, tag: and in: filter action items; tags come from the item or its session', async () => {
    notes('eventaaaaaaaaaaa', 'nfvaaaaaaaaaaaaa', ['[itemaaaaaaaaaaaa] @alice write the NFV gap list', '[itembbbbbbbbbbbb] @bob publish the gap list', 'gap list discussion']);
    notes('eventaaaaaaaaaaa', 'upgradeaaaaaaaaa', ['[itemcccccccccccc] @Alice gap list for upgrades ##nfv']);
    await item('itemaaaaaaaaaaaa', 'eventaaaaaaaaaaa', 'nfvaaaaaaaaaaaaa', 'write the NFV gap list', { owners: ['alice'] });
    await item('itembbbbbbbbbbbb', 'eventaaaaaaaaaaa', 'nfvaaaaaaaaaaaaa', 'publish the gap list', { owners: ['bob'], status: 'done' });
    await item('itemcccccccccccc', 'eventaaaaaaaaaaa', 'upgradeaaaaaaaaa', 'gap list for upgrades', { owners: ['Alice'], tags: ['nfv'] });

    expect((await search('eventaaaaaaaaaaa', 'gap list')).results).toHaveLength(4);
    expect((await search('eventaaaaaaaaaaa', 'gap owner:@ALICE')).results.map((x) => x.actionItemId)).toEqual(['itemaaaaaaaaaaaa', 'itemcccccccccccc']);
    expect((await search('eventaaaaaaaaaaa', 'is:done')).results.map((x) => [x.actionItemId, x.status, x.isActionItem])).toEqual([['itembbbbbbbbbbbb', 'done', true]]);
    expect((await search('eventaaaaaaaaaaa', 'gap is:action')).results).toHaveLength(3);
    expect((await search('eventaaaaaaaaaaa', 'is:open in:upgrades')).results.map((x) => x.actionItemId)).toEqual(['itemcccccccccccc']);
    // ##nfv on the item, or the NFV session's tag: the plain "discussion" line is in a tagged session.
    expect((await search('eventaaaaaaaaaaa', 'gap tag:##NFV')).results.map((x) => x.snippet)).toContain('gap list discussion');
    expect((await search('eventaaaaaaaaaaa', 'gap tag:##NFV')).results.map((x) => x.sessionId)).toContain('upgradeaaaaaaaaa');
  });

  it('a removed action item is not one any more; a deleted session and other events are never searched', async () => {
    notes('eventaaaaaaaaaaa', 'nfvaaaaaaaaaaaaa', ['[itemaaaaaaaaaaaa] @alice nova gap list']);
    await item('itemaaaaaaaaaaaa', 'eventaaaaaaaaaaa', 'nfvaaaaaaaaaaaaa', 'nova gap list', { owners: ['alice'] });
    notes('eventbbbbbbbbbbb', 'otheraaaaaaaaaaa', ['nova elsewhere']);
    expect((await search('eventaaaaaaaaaaa', 'nova')).results.map((x) => x.isActionItem)).toEqual([true]);
    await items.apply([], ['itemaaaaaaaaaaaa'], NOW);
    expect((await search('eventaaaaaaaaaaa', 'nova')).results.map((x) => x.isActionItem)).toEqual([false]);
    await sessions.delete('nfvaaaaaaaaaaaaa', NOW);
    expect((await search('eventaaaaaaaaaaa', 'nova')).results).toEqual([]);
    expect(snippets((await search('eventbbbbbbbbbbb', 'nova')))).toEqual(['nova elsewhere']);
  });

  it('results are grouped by session, best session first, in document order within it; limit says truncated', async () => {
    notes('eventaaaaaaaaaaa', 'upgradeaaaaaaaaa', ['keystone one', 'filler', 'keystone two']);
    notes('eventaaaaaaaaaaa', 'japanaaaaaaaaaaa', ['keystone keystone keystone three']);
    const r = (await search('eventaaaaaaaaaaa', 'keystone'));
    const order = r.results.map((x) => x.sessionId);
    expect(order).toEqual([...new Set(order)].flatMap((s) => order.filter((o) => o === s)));
    expect(r.results.filter((x) => x.sessionId === 'upgradeaaaaaaaaa').map((x) => x.snippet)).toEqual(['keystone one', 'keystone two']);
    expect(r.truncated).toBe(false);
    expect((await search('eventaaaaaaaaaaa', 'keystone', 2)).truncated).toBe(true);
  });

  it('whatever people type never reaches FTS5 as syntax: every parsed query runs', async () => {
    notes('eventaaaaaaaaaaa', 'upgradeaaaaaaaaa', ['a "quoted" NEAR(x y) * ^ col:1 — 東京']);
    expect(ftsExpression([{ raw: 'a"b', text: 'a"b', phrase: false }, { raw: 'x', text: 'x y', phrase: true }])).toBe('"a""b" AND "x y"');
    expect(snippets((await search('eventaaaaaaaaaaa', 'NEAR(x')))).toHaveLength(1);
    expect(snippets((await search('eventaaaaaaaaaaa', '"quoted"')))).toHaveLength(1);
    const symbols = fc.constantFrom('"', "'", '*', '^', ':', '(', ')', '{', '}', '-', '+', 'AND', 'OR', 'NOT', 'NEAR', ' ', 'a', '東京', '\u0000', '\\', '%', '_');
    await fc.assert(
      fc.asyncProperty(fc.array(symbols, { minLength: 1, maxLength: 30 }).map((a) => a.join('')), async (q) => {
        const parsed = parseSearchQuery(q);
        if (parsed.ok) await service.search('eventaaaaaaaaaaa', parsed.query, 30);
      }),
      { numRuns: 500 },
    );
  });
});
