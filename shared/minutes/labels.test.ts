import { describe, expect, it } from 'vitest';
import { fixtureEvent, jpSession, nfvSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import { defaultSessionTemplate, TEMPLATE_HEADINGS } from '../editor/template.js';
import { renderEventHtml, renderSessionHtml } from './html.js';
import { MINUTES_LABELS, minutesLabels, type MinutesLabels, type MinutesLanguage } from './labels.js';
import { renderEventMarkdown, renderSessionMarkdown } from './markdown.js';
import { formatWhen, statsLine, type MinutesEvent, type MinutesSession } from './model.js';
import { renderEventText, renderSessionText } from './text.js';

const inLanguage = (m: MinutesSession, language: MinutesLanguage): MinutesSession => ({ ...m, event: { ...m.event, language } });
const eventIn = (e: MinutesEvent, language: MinutesLanguage): MinutesEvent => ({ ...e, event: { ...e.event, language }, sessions: e.sessions.map((s) => inLanguage(s, language)) });

/** Every plain-string label, by name. */
const strings = (l: MinutesLabels) => Object.entries(l).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'locale' && e[0] !== 'weekday');

describe('minutes labels', () => {
  it('every language has every label, and Japanese translates each of them', () => {
    const en = MINUTES_LABELS.en;
    const ja = MINUTES_LABELS.ja;
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    for (const [name, text] of strings(ja)) {
      expect(text, name).not.toBe('');
      expect(text, name).not.toBe((en as unknown as Record<string, string>)[name]);
      expect(text, name).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
    expect(ja.statusValue).toEqual({ open: '未完了', done: '完了' });
    expect(ja.dueOn('2016-05-17')).toBe('期限 2016-05-17');
    expect(ja.carriedForwardFrom('NFV')).toBe('「NFV」からの引き継ぎ');
    expect(en.carriedForwardFrom('NFV')).toBe('Carried forward from “NFV”');
    expect(ja.minutesTitle('運用者ミートアップ')).toBe('運用者ミートアップ 議事録');
  });

  it('anything but ja (or nothing, as for minutes made before events had a language) is English', () => {
    expect(minutesLabels('ja')).toBe(MINUTES_LABELS.ja);
    for (const other of ['en', undefined, null, 'fr', '']) expect(minutesLabels(other)).toBe(MINUTES_LABELS.en);
  });

  it('the date line and the statistics line in both languages', () => {
    const start = '2016-04-25T16:15:00Z';
    const end = '2016-04-25T16:55:00Z';
    expect(formatWhen(start, end, 'America/Chicago')).toBe('Monday, 25 April 2016, 11:15–11:55 (America/Chicago)');
    expect(formatWhen(start, end, 'Asia/Tokyo', MINUTES_LABELS.ja)).toBe('2016年4月26日(火) 01:15–01:55 (Asia/Tokyo)');
    const stats = { sessions: 26, contributors: 1, actionItems: 87, open: 52 };
    expect(statsLine(stats)).toBe('26 sessions · 1 contributor · 87 action items (52 open)');
    expect(statsLine(stats, ' · ', MINUTES_LABELS.ja)).toBe('セッション 26 件 · 記入者 1 人 · アクションアイテム 87 件（未完了 52 件）');
  });

  it('a Japanese event’s session minutes have Japanese headings in md, html and txt; user text stays as written', () => {
    const m = inLanguage(nfvSession(), 'ja');
    const md = renderSessionMarkdown(m);
    expect(md).toContain('- **日時:** 2016年4月25日(月) 11:15–11:55 (America/Chicago)');
    expect(md).toContain('- **部屋:** Salon A');
    expect(md).toContain('- **モデレーター:** bruno');
    expect(md).toContain('- **書記:** akiko');
    expect(md).toContain('## アクションアイテム一覧');
    expect(md).toContain('| 担当 | 内容 | 期限 | 状態 |');
    expect(md).toMatch(/\| 完了 \|$/m);
    expect(md).toMatch(/\| 未完了 \|$/m);
    expect(md).toContain('# NFV/Telco Working Group');
    // (The notes themselves say "Note-takers: everyone in the room": user text stays as typed.)
    for (const english of ['**When:**', '**Room:**', '**Moderators:**', '**Note-takers:**', 'Action item summary', '| Owner |']) expect(md).not.toContain(english);

    const html = renderSessionHtml(m);
    expect(html).toContain('<strong>書記:</strong>');
    expect(html).toContain('<th>担当</th><th>内容</th><th>期限</th><th>状態</th>');
    expect(html).toContain('☑ 完了');
    expect(html).toContain('aria-label="未完了"');
    expect(html).not.toMatch(/Action item summary|Note-takers:<|>Owner</);

    const txt = renderSessionText(m);
    expect(txt).toContain('イベント: OpenStack Ops Meetup — Austin 2016');
    expect(txt).toMatch(/^アクションアイテム一覧\n-{3,}$/m);
    expect(txt).toContain('期限 2016-05-17');
    // The notes themselves say "due 2016-05-31"; the summary's own word after the owners must be Japanese.
    expect(txt).not.toMatch(/Action item summary|^Note-takers:|\) due \d/m);
  });

  it('empty notes and no action items, in Japanese', () => {
    const m = { ...inLanguage(jpSession(), 'ja'), notes: defaultSessionTemplate('ja'), scaffoldHeadings: [...TEMPLATE_HEADINGS.ja], actionItems: [] };
    expect(renderSessionMarkdown(m)).toContain('_メモはありません。_\n\n## アクションアイテム一覧\n\n_アクションアイテムはありません。_');
    expect(renderSessionText(m)).toContain('(メモなし)');
    expect(renderSessionText(m)).toContain('(なし)');
    // The untouched Japanese template leaves no empty headings behind.
    expect(renderSessionMarkdown(m)).not.toContain('参加者');
  });

  it('a Japanese event’s minutes: title, statistics, contents and the groupings', () => {
    const e = eventIn(fixtureEvent(), 'ja');
    const md = renderEventMarkdown(e);
    expect(md.split('\n')[0]).toBe('# OpenStack Ops Meetup — Austin 2016 議事録');
    expect(md).toContain('セッション 3 件 · 記入者 5 人 · アクションアイテム 14 件（未完了 12 件）');
    for (const h of ['## 目次', '## 担当者別アクションアイテム', '## ワーキンググループ別アクションアイテム', '### 担当者なし']) expect(md).toContain(h);
    expect(md).toContain('(期限 2016-05-31)');
    expect(md).not.toMatch(/— minutes|Contents|Action items by|Unassigned|\(due /);
    const html = renderEventHtml(e);
    expect(html).toContain('<title>OpenStack Ops Meetup — Austin 2016 議事録</title>');
    expect(html).toContain('<nav><h2>目次</h2>');
    const txt = renderEventText(e);
    expect(txt).toMatch(/^目次\n-+$/m);
    expect(txt).toContain('担当者なし:');
  });

  it('English stays exactly as before when the language is given', () => {
    expect(renderSessionMarkdown(inLanguage(nfvSession(), 'en'))).toBe(renderSessionMarkdown(nfvSession()));
    expect(renderEventHtml(eventIn(fixtureEvent(), 'en'))).toBe(renderEventHtml(fixtureEvent()));
    expect(renderEventText(eventIn(fixtureEvent(), 'en'))).toBe(renderEventText(fixtureEvent()));
  });
});
