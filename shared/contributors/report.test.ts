import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { MINUTES_LABELS } from '../minutes/labels.js';
import { contributorsToCsv, contributorsToMarkdown } from './export.js';
import { NameMerger } from '../actionItems/names.js';
import { buildContributors, type ContributorsInput } from './report.js';

const input = (): ContributorsInput => ({
  sessions: [
    { id: 's1', title: 'Upgrades', moderators: ['Carol'], noteTakers: ['Alice', 'bob'] },
    { id: 's2', title: 'NFV', moderators: ['@alice'], noteTakers: ['alice '] },
    { id: 's3', title: 'Keynote', moderators: [], noteTakers: ['Ghost'] },
  ],
  actionItems: [
    { owners: ['alice', 'bob'], status: 'open' },
    { owners: ['Alice'], status: 'done' },
    { owners: ['dave'], status: 'done' },
  ],
  chars: new Map([
    ['s1', new Map([['Alice', 120], ['bob', 0]])],
    ['s2', new Map([['alice', 30]])],
  ]),
});

describe('contributors report', () => {
  it('merges spellings of a name, and lists the variants', () => {
    const names = new NameMerger();
    for (const n of ['Alice', '@alice', 'alice ', 'ALICE', 'alice']) names.add(n);
    expect(names.keys()).toEqual(['alice']);
    expect(names.variants('alice')).toEqual(['alice', 'Alice', 'ALICE', '@alice']);
    expect(names.add('...')).toBe('');
  });

  it('one entry per person: sessions with notes and moderation, characters where known, action items owned and done', () => {
    const rows = buildContributors(input());
    expect(rows.map((r) => r.name)).toEqual(['Alice', 'bob', 'Carol', 'dave', 'Ghost']);
    const alice = rows[0]!;
    expect(alice.variants).toEqual(['Alice', 'alice', '@alice']);
    expect(alice.sessions).toEqual([
      { sessionId: 's1', title: 'Upgrades', chars: 120, moderated: false, tookNotes: true },
      { sessionId: 's2', title: 'NFV', chars: 30, moderated: true, tookNotes: true },
    ]);
    expect(alice.chars).toBe(150);
    expect(alice.actionItems).toEqual({ owned: 2, done: 1 });
    // bob wrote, but nothing of it is left: 0, which is not "unknown".
    expect(rows[1]).toMatchObject({ chars: 0, actionItems: { owned: 1, done: 0 } });
    expect(rows[2]).toMatchObject({ chars: null, sessions: [{ sessionId: 's1', moderated: true, tookNotes: false, chars: null }] });
    expect(rows[3]).toMatchObject({ sessions: [], chars: null, actionItems: { owned: 1, done: 1 } });
    // Ghost is in the contributors table, but no device of theirs was counted: unknown, never an invented 0.
    expect(rows[4]).toMatchObject({ chars: null, sessions: [{ sessionId: 's3', tookNotes: true, chars: null }] });
  });

  it('CSV: one row per person, formula-safe, empty characters when not measured', () => {
    const rows = buildContributors({ ...input(), sessions: [{ id: 's1', title: '=HYPERLINK("http://evil")', moderators: ['+cmd', '-1+2'], noteTakers: ['@SUM(A1)'] }] });
    const csv = contributorsToCsv(rows);
    // A UTF-8 BOM first (Excel reads the file as UTF-8), then the header.
    expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.slice(1).startsWith('name,also_written_as,')).toBe(true);
    const cells = (parse(csv, { bom: true }) as string[][]).flat();
    for (const c of cells) expect(c).not.toMatch(/^[=+\-@\t\r]/);
    expect(cells).toContain("'+cmd");
    const table = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(table.find((r) => r.name === "'@SUM(A1)")).toMatchObject({ characters: '', notes_sessions: '1', sessions: '\'=HYPERLINK("http://evil") (notes)' });
    expect(table.find((r) => r.name === 'Alice')).toMatchObject({ action_items_owned: '2', action_items_done: '1' });
  });

  it('Markdown: a table in the event’s language, names escaped', () => {
    const md = contributorsToMarkdown(buildContributors(input()), 'Ops', MINUTES_LABELS.ja);
    expect(md).toContain('# 貢献者 — Ops');
    expect(md).toContain('| 名前 | 書記 | 文字数 | モデレーター | アクションアイテム（完了 / 担当） |');
    expect(md).toContain('| Alice (alice, @alice) | Upgrades, NFV | 150 | NFV | 1 / 2 |');
    expect(md).toContain('| Ghost | Keynote | — |  | 0 / 0 |');
    expect(contributorsToMarkdown(buildContributors({ sessions: [{ id: 's', title: '[x](javascript:1)', moderators: ['<b>|'], noteTakers: [] }], actionItems: [], chars: new Map() }), 'E', MINUTES_LABELS.en)).toContain('\\<b\\>\\|');
  });
});
