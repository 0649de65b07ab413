import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseActionItem, pinDueDate, type ActionBlockKind } from './parse.js';

const ctx = { sessionDate: '2016-04-25' };
const p = (text: string, kind: ActionBlockKind = 'paragraph', checked?: boolean) => parseActionItem({ text, kind, checked }, ctx);

describe('what is an action item', () => {
  it('[AI-K1] a task-list item is an action item; ticked means done', () => {
    expect(p('share the HA test results', 'taskItem', false)).toMatchObject({ status: 'open', source: 'task' });
    expect(p('WGのwikiページを作る', 'taskItem', true)).toMatchObject({ status: 'done', source: 'task', text: 'WGのwikiページを作る' });
  });

  it('[AI-K2] a typed task box makes a task; [x] and ☑ are done', () => {
    expect(p('[ ] @akiko share results')).toMatchObject({ status: 'open', source: 'task', text: '@akiko share results' });
    expect(p('[x] @bruno create the wiki page')).toMatchObject({ status: 'done', source: 'task' });
    expect(p('- [X] done thing')).toMatchObject({ status: 'done', text: 'done thing' });
    expect(p('☑ 集計済み')).toMatchObject({ status: 'done', text: '集計済み' });
    expect(p('☐ アンケートを集計')).toMatchObject({ status: 'open', text: 'アンケートを集計' });
  });

  it('[AI-K3] headings are never action items', () => {
    expect(p('ACTION: not in a heading', 'heading')).toBeNull();
    expect(p('アクション: 見出し', 'heading')).toBeNull();
  });

  it('[AI-K4] nothing after the marker or box is not an item', () => {
    expect(p('', 'taskItem', false)).toBeNull();
    expect(p('ACTION:')).toBeNull();
    expect(p('宿題：　')).toBeNull();
    expect(p('[ ] ')).toBeNull();
  });

  it('[AI-M1] a marker after bullets and spaces starts an action item', () => {
    expect(p('- ACTION: write docs')).toMatchObject({ source: 'marker', text: 'write docs' });
    expect(p('  * 1. TODO: file a bug')).toMatchObject({ text: 'file a bug' });
    expect(p('・アクション: 資料を共有')).toMatchObject({ text: '資料を共有' });
  });

  it('[AI-M2] every marker, case-insensitive', () => {
    for (const m of ['ACTION:', 'Action:', 'action item:', 'Action items:', 'AI:', 'ai:', 'TODO:', 'todo:', 'To-do:', 'アクション:', 'アクションアイテム:', '宿題:', 'やること:']) {
      expect(p(`${m} do it`), m).toMatchObject({ source: 'marker', text: 'do it' });
    }
  });

  it('[AI-M3] markers take ASCII or full-width colons', () => {
    expect(p('ACTION：full width colon')).toMatchObject({ text: 'full width colon' });
    expect(p('宿題：@jun 確認')).toMatchObject({ owners: ['jun'], text: '@jun 確認' });
    expect(p('TODO : spaced colon')).toMatchObject({ text: 'spaced colon' });
  });

  it('[AI-M4] #action is a marker without a colon, but #actionable is not', () => {
    expect(p('#action emeka post the summary')).toMatchObject({ source: 'marker', owners: ['emeka'], text: 'emeka post the summary' });
    expect(p('#actionable ideas')).toBeNull();
    expect(p('#action はな 議事録を共有')).toMatchObject({ source: 'marker', owners: ['はな'], text: 'はな 議事録を共有' });
    expect(p('#actionアイテムの話')).toBeNull();
  });

  it('[AI-M5] a marker in the middle of a sentence is not a marker', () => {
    expect(p('we talked about the ACTION: word')).toBeNull();
    expect(p('議論の中でアクション: という言葉が出た')).toBeNull();
  });

  it('[AI-H1] a ##tag anywhere makes an action item', () => {
    expect(p('- Someone should look at the Ceilometer granularity problem ##telemetry')).toMatchObject({
      source: 'hashtag',
      tags: ['telemetry'],
      text: 'Someone should look at the Ceilometer granularity problem ##telemetry',
    });
    expect(p('ドキュメントを直す ##ドキュメント')).toMatchObject({ tags: ['ドキュメント'] });
  });

  it('[AI-H2] a single #word is not a tag', () => {
    expect(p('#openstack-operators channel discussion')).toBeNull();
    expect(p('# heading typed as text')).toBeNull();
    expect(p('#運用 チャンネルで議論')).toBeNull();
    expect(p('＃ 見出しのつもり')).toBeNull();
  });
});

describe('what is read from it', () => {
  it('[AI-T1] text keeps owners, dates and tags but loses bullets and marker', () => {
    expect(p('  - ACTION: @dana send the summary by 2016-05-17 ##ops')?.text).toBe('@dana send the summary by 2016-05-17 ##ops');
    expect(p('　アクション：@hana テンプレート作成 期限: 2016-06-30')?.text).toBe('@hana テンプレート作成 期限: 2016-06-30');
  });

  it('[AI-O1] @mentions are owners, incl. Japanese names and . - _', () => {
    expect(p('TODO: @dana.smith and @j_doe-2 review')?.owners).toEqual(['dana.smith', 'j_doe-2']);
    expect(p('TODO: @はな と @じゅん で確認')?.owners).toEqual(['はな', 'じゅん']);
    expect(p('TODO: ping @dana.')?.owners).toEqual(['dana']);
    expect(p('TODO: ＠ivan full-width at')?.owners).toEqual(['ivan']);
  });

  it('[AI-O2] e-mail addresses are not mentions', () => {
    expect(p('TODO: mail dana@example.org about it')?.owners).toEqual([]);
    expect(p('宿題: hana.sato@example.jp に連絡する')?.owners).toEqual([]);
  });

  it('[AI-O3] owner: / (owner: ) / owners: a, b and c', () => {
    expect(p('TODO: book an IRC slot (owner: bruno)')?.owners).toEqual(['bruno']);
    expect(p('ACTION: draft doc owner: chen')?.owners).toEqual(['chen']);
    expect(p('ACTION: draft doc (owners: chen, farah and emeka)')?.owners).toEqual(['chen', 'farah', 'emeka']);
    expect(p('宿題: 資料作成 (owner: はな)')?.owners).toEqual(['はな']);
    expect(p('宿題：資料作成（Owner：じゅん）')?.owners).toEqual(['じゅん']);
  });

  it('[AI-O4] 担当: / 担当： / 担当者 / full-width parentheses', () => {
    expect(p('TODO: 運用者MLへ告知を出す（担当: ivan）')?.owners).toEqual(['ivan']);
    expect(p('宿題: 資料作成（担当：はな）')?.owners).toEqual(['はな']);
    expect(p('アクション: 確認 担当者: goro')?.owners).toEqual(['goro']);
  });

  it('[AI-O5] MeetBot #action nick text: the first word is the owner', () => {
    expect(p('#action emeka post the session summary')?.owners).toEqual(['emeka']);
    expect(p('#action emeka: post it')?.owners).toEqual(['emeka']);
    expect(p('#action post it for @dana')?.owners).toEqual(['dana']);
    expect(p('#action じゅん 応募可否を確認')?.owners).toEqual(['じゅん']);
    expect(p('#action 資料を共有（担当：はな）')?.owners).toEqual(['はな']);
  });

  it('[AI-O6] owners are de-duplicated in order', () => {
    expect(p('TODO: @Dana then @chen then @dana (owner: chen)')?.owners).toEqual(['Dana', 'chen']);
    expect(p('宿題：@はな と ＠はな で確認（担当：じゅん、はな）')?.owners).toEqual(['はな', 'じゅん']);
  });

  it('[AI-O7] a known person’s name right after the marker or box is the owner', () => {
    const known = (text: string, knownNames: string[], kind: ActionBlockKind = 'paragraph') => parseActionItem({ text, kind }, { ...ctx, knownNames });
    const people = ['Bob', 'Dana Smith', 'はな'];
    expect(known('TODO: bob to write the summary', people)).toMatchObject({ owners: ['Bob'], text: 'bob to write the summary' });
    expect(known('ACTION: Dana Smith: review the draft', people)?.owners).toEqual(['Dana Smith']);
    expect(known('宿題：はな 資料を共有', people)?.owners).toEqual(['はな']);
    // Japanese puts an honorific or a particle straight after the name, with no space.
    const japanese = ['山田', '田中', '山田太郎', 'Bob'];
    expect(known('宿題：山田さん 資料を共有する', japanese)?.owners).toEqual(['山田']);
    expect(known('アクション：山田さんが会場を予約', japanese)?.owners).toEqual(['山田']);
    expect(known('宿題：山田が確認する', japanese)?.owners).toEqual(['山田']);
    expect(known('宿題：山田太郎様へ連絡', japanese)?.owners).toEqual(['山田太郎']);
    expect(known('宿題：田中央線の件を確認', japanese)?.owners).toEqual([]);
    expect(known('TODO: Bobby writes it', japanese)?.owners).toEqual([]);
    // A known name with a space, after a label that reads one word: the whole name.
    expect(known('TODO: book the room (owner: Jun Tanaka)', ['Jun Tanaka'])?.owners).toEqual(['Jun Tanaka']);
    expect(known('TODO: book the room (owner: jun tanaka)', ['Jun Tanaka'])?.owners).toEqual(['Jun Tanaka']);
    expect(known('TODO: book the room (owner: Jun) with Tanaka', ['Jun Tanaka'])?.owners).toEqual(['Jun']);
    expect(known('[ ] bob checks the quotas', people)?.owners).toEqual(['Bob']);
    expect(known('bob checks the quotas', people, 'taskItem')?.owners).toEqual(['Bob']);
    // First, then the others; never twice.
    expect(known('TODO: bob and @chen write it', people)?.owners).toEqual(['Bob', 'chen']);
    expect(known('TODO: @bob writes it', people)?.owners).toEqual(['bob']);
    // Unknown first words, names later in the line, and tag-only lines name nobody this way.
    expect(known('TODO: someone to write the summary', people)?.owners).toEqual([]);
    expect(known('TODO: ask bob about it', people)?.owners).toEqual([]);
    expect(known('bob mentioned ##ops', people)?.owners).toEqual([]);
    expect(known('TODO: bob to write the summary', [])?.owners).toEqual([]);
    expect(p('TODO: bob to write the summary')?.owners).toEqual([]);
  });

  it('[AI-D1] ISO dates anywhere', () => {
    expect(p('ACTION: @dana collect requirements by 2016-05-17')?.due).toBe('2016-05-17');
    expect(p('TODO: 2016/06/01 までに共有')?.due).toBe('2016-06-01');
  });

  it('[AI-D2] keyword dates in every supported form', () => {
    expect(p('TODO: x due 5/17')?.due).toBe('2016-05-17');
    expect(p('TODO: x due: 5/17/2017')?.due).toBe('2017-05-17');
    expect(p('TODO: x by May 17')?.due).toBe('2016-05-17');
    expect(p('TODO: x by May 17th')?.due).toBe('2016-05-17');
    expect(p('TODO: x by 17 May')?.due).toBe('2016-05-17');
    expect(p('TODO: x by Sept. 3, 2016')?.due).toBe('2016-09-03');
    expect(p('TODO: x until June 1')?.due).toBe('2016-06-01');
    expect(p('宿題：確認（期限：6月15日）')?.due).toBe('2016-06-15');
    expect(p('TODO: 報告 〆切 6/15')?.due).toBe('2016-06-15');
    expect(p('TODO: 報告 締切: 2016年7月1日')?.due).toBe('2016-07-01');
    expect(p('アクション: 作成期限: 2016-06-30')?.due).toBe('2016-06-30');
  });

  it('[AI-D3] 6月15日まで is a due date', () => {
    expect(p('宿題: 6月15日までに応募可否を確認')?.due).toBe('2016-06-15');
  });

  it('[AI-D4] a year-less date is the next such date on or after the session date', () => {
    expect(parseActionItem({ text: 'TODO: x due 1/10', kind: 'paragraph' }, { sessionDate: '2016-04-25' })?.due).toBe('2017-01-10');
    expect(parseActionItem({ text: 'TODO: x due 4/25', kind: 'paragraph' }, { sessionDate: '2016-04-25' })?.due).toBe('2016-04-25');
    expect(parseActionItem({ text: 'TODO: x 期限：1月10日', kind: 'paragraph' }, { sessionDate: '2016-12-01' })?.due).toBe('2017-01-10');
    expect(parseActionItem({ text: 'TODO: x due 2/29', kind: 'paragraph' }, { sessionDate: '2017-03-01' })?.due).toBe('2020-02-29');
    expect(parseActionItem({ text: 'TODO: x due 5/17', kind: 'paragraph' }, { sessionDate: null, today: '2026-11-24' })?.due).toBe('2027-05-17');
    expect(parseActionItem({ text: 'TODO: x due 5/17', kind: 'paragraph' }, { sessionDate: null })?.due).toBeNull();
  });

  it('[AI-D5] impossible dates are not dates', () => {
    expect(p('TODO: x by 2016-02-30')?.due).toBeNull();
    expect(p('TODO: x due 13/45')?.due).toBeNull();
    expect(p('宿題: x 期限：2月30日')?.due).toBeNull();
  });

  it('[AI-D6] "next meeting", ASAP and 来週 stay text', () => {
    expect(p('TODO: report back by next meeting')).toMatchObject({ due: null, text: 'report back by next meeting' });
    expect(p('TODO: fix ASAP')?.due).toBeNull();
    expect(p('宿題: 来週までに確認')?.due).toBeNull();
  });

  it('[AI-G1] every ##tag, lowercased and de-duplicated', () => {
    expect(p('ACTION: x ##Product-WG ##telemetry ##product-wg')?.tags).toEqual(['product-wg', 'telemetry']);
    expect(p('TODO: ＃＃運用 full-width hashes')?.tags).toEqual(['運用']);
  });
});

describe('copying an item to another session', () => {
  const later = { sessionDate: '2016-06-20' };
  it('[AI-D4] pinDueDate writes a year-less due date out in full, so it keeps its year in a later session', () => {
    expect(pinDueDate('@dana send it due 5/17', '2016-05-17', later)).toBe('@dana send it due 2016-05-17');
    expect(pinDueDate('@jun 確認（期限：６月１５日）', '2016-06-15', later)).toBe('@jun 確認（期限：2016-06-15）');
    expect(pinDueDate('@はな 6月15日までに共有', '2016-06-15', later)).toBe('@はな 2016-06-15までに共有');
    expect(pinDueDate('x by May 17th, then more', '2016-05-17', later)).toBe('x by 2016-05-17, then more');
    for (const t of ['@dana send it due 5/17', '@jun 確認（期限：６月１５日）', 'x by May 17th, then more']) {
      expect(parseActionItem({ text: pinDueDate(t, '2016-05-17', later), kind: 'taskItem' }, later)?.due).not.toBe('2017-05-17');
    }
    expect(pinDueDate('x due 5/17', '2016-05-17', { sessionDate: null })).toBe('x due 2016-05-17');
    // Already unambiguous, or no date: unchanged.
    expect(pinDueDate('send it by 2016-05-17', '2016-05-17', later)).toBe('send it by 2016-05-17');
    expect(pinDueDate('send it by next meeting', null, later)).toBe('send it by next meeting');
    expect(parseActionItem({ text: pinDueDate('@jun 確認（期限：６月１５日）', '2016-06-15', later), kind: 'taskItem' }, later)?.due).toBe('2016-06-15');
  });
});

describe('robustness', () => {
  it('[AI-R1] never throws and handles pathological input', () => {
    const nasty = [
      '@'.repeat(10_000),
      '#'.repeat(20_000),
      'ACTION: ' + 'due '.repeat(5000),
      '- '.repeat(8000) + 'TODO: x',
      '\u0000\uffff\ud800',
      '＠'.repeat(10_000),
      '宿題：' + '期限：'.repeat(5000),
      '担当：' + 'はな、'.repeat(5000),
    ];
    for (const text of nasty) expect(() => p(text)).not.toThrow();
    expect(p('ACTION: ' + 'a'.repeat(50_000))?.text.length).toBeLessThanOrEqual(10_000);
  });
});

describe('fixture notes (as note-takers typed them)', () => {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures');
  const items = (file: string) =>
    fs
      .readFileSync(path.join(dir, file), 'utf8')
      .split('\n')
      .map((line) => p(line))
      .filter((x) => x !== null);

  it('[AI-M1][AI-O5][AI-H1] English: NFV/Telco working group', () => {
    expect(items('notes-nfv-telco.txt')).toEqual([
      { text: '@dana collect carrier requirements into an etherpad-free user story by 2016-05-17 ##product-wg', owners: ['dana'], due: '2016-05-17', tags: ['product-wg'], status: 'open', source: 'marker' },
      { text: '@chen and @farah draft the relationship doc with OPNFV due 2016-05-31', owners: ['chen', 'farah'], due: '2016-05-31', tags: [], status: 'open', source: 'marker' },
      { text: 'book an IRC slot for the first WG meeting (owner: bruno)', owners: ['bruno'], due: null, tags: [], status: 'open', source: 'marker' },
      { text: 'emeka post the session summary to the openstack-operators ML', owners: ['emeka'], due: null, tags: [], status: 'open', source: 'marker' },
      { text: "@akiko share NTT's HA test results", owners: ['akiko'], due: null, tags: [], status: 'open', source: 'task' },
      { text: '@bruno create the WG wiki page', owners: ['bruno'], due: null, tags: [], status: 'done', source: 'task' },
      { text: 'Someone should look at the Ceilometer granularity problem ##telemetry', owners: [], due: null, tags: ['telemetry'], status: 'open', source: 'hashtag' },
    ]);
  });

  it('[AI-M2][AI-O4][AI-D2] Japanese: domestic Ops workshop', () => {
    expect(items('notes-jp-ops-workshop.txt')).toEqual([
      { text: '@hana 次回ワークショップのetherpadテンプレートを作成 期限: 2016-06-30', owners: ['hana'], due: '2016-06-30', tags: [], status: 'open', source: 'marker' },
      { text: '@jun 本家OpsMeetupの開催地募集に日本から応募できるか確認（期限：6月15日）', owners: ['jun'], due: '2016-06-15', tags: [], status: 'open', source: 'marker' },
      { text: '運用者MLへ告知を出す（担当: ivan）', owners: ['ivan'], due: null, tags: [], status: 'open', source: 'marker' },
      { text: '@goro 参加者アンケートを集計する', owners: ['goro'], due: null, tags: [], status: 'open', source: 'task' },
    ]);
  });
});
