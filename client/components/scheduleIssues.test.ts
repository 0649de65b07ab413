import { describe, expect, it } from 'vitest';
import { SCHEDULE_ISSUE_CODES, scheduleIssue } from '../../shared/schedule/issues.js';
import { en, type MessageKey } from '../i18n/en.js';
import { format } from '../i18n/i18n.js';
import { ja } from '../i18n/ja.js';
import { issueLine } from './scheduleIssues.js';

const translator = (messages: Record<MessageKey, string>) => (key: MessageKey, vars?: Record<string, string | number>) => format(messages[key], vars);

describe('schedule problems in the UI language', () => {
  it('every problem code has an English and a Japanese message with the same placeholders', () => {
    for (const code of SCHEDULE_ISSUE_CODES) {
      const key = `schedule.issue.${code}` as MessageKey;
      expect(en[key], code).toBeTruthy();
      expect(ja[key], code).toBeTruthy();
      expect(ja[key], code).not.toBe(en[key]);
      const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(vars(ja[key]), code).toEqual(vars(en[key]));
    }
  });

  it('renders place and message from the code, with field and column names translated, never the server\'s English or internal names', () => {
    const tJa = translator(ja);
    const tEn = translator(en);
    const bad = scheduleIssue('invalid_time', { line: 6, row: 6 }, { column: 'start', value: '25:00' });
    expect(issueLine(tEn, bad)).toBe('row 6: the start time "25:00" is not a time (use HH:MM)');
    expect(issueLine(tJa, bad)).toBe('6 行目: 開始時刻「25:00」は時刻として読めません（HH:MM で書いてください）');
    const ics = scheduleIssue('ics_bad_line', { line: 25 });
    expect(issueLine(tJa, ics)).toBe('25 行目: iCalendar の行として読めません（「名前:値」の形ではありません）');
    const long = scheduleIssue('too_long', { path: 'sessions[2].title' }, { field: 'title', max: 300 });
    expect(issueLine(tJa, long)).toBe('sessions[2].title: タイトルが 300 文字を超えています');
    expect(issueLine(tJa, scheduleIssue('no_start_time', { row: 6 }))).toBe('6 行目: 開始時刻がありません');
    const dup = scheduleIssue('duplicate_session', { row: 5, line: 5 }, { first: 'row 2', firstRow: 2 });
    expect(issueLine(tEn, dup)).toBe('row 5: the same title, start and rooms as row 2: both are imported (delete one if that is a mistake)');
    expect(issueLine(tJa, dup)).toBe('5 行目: 2 行目とタイトル・開始・部屋が同じです。両方とも取り込みます（誤りなら一方を削除してください）');
  });
});
