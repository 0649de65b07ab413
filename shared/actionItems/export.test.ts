import { describe, expect, it } from 'vitest';
import { actionItemsToCsv, actionItemsToIcs, actionItemsToJson, actionItemsToMarkdown, csvCell, foldIcsLine, type ActionItemExportRow } from './export.js';

const row = (over: Partial<ActionItemExportRow>): ActionItemExportRow => ({
  id: 'aaaaaaaaaaaaaaaa',
  sessionId: 'bbbbbbbbbbbbbbbb',
  text: 'send the summary',
  owners: ['dana'],
  due: '2016-05-17',
  tags: ['ops'],
  status: 'open',
  sessionTitle: 'NFV/Telco WG',
  eventTitle: 'Ops Meetup',
  sessionStartsAt: '2016-04-25T16:15:00.000Z',
  ...over,
});

describe('CSV', () => {
  it('neutralises formula injection', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('@SUM(1)')).toBe("'@SUM(1)");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('plain')).toBe('plain');
  });

  it('is RFC 4180 with CRLF, a UTF-8 BOM, a header and Japanese intact', () => {
    const csv = actionItemsToCsv([row({ text: 'say "hi", then\nleave', owners: ['はな', 'jun'] }), row({ text: '=cmd|calc', tags: [] })]);
    // A UTF-8 BOM first, so Excel reads Japanese as UTF-8 rather than the legacy code page.
    expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('id,event,session,status,owners,due,tags,text');
    expect(lines[1]).toBe('aaaaaaaaaaaaaaaa,Ops Meetup,NFV/Telco WG,open,はな; jun,2016-05-17,ops,"say ""hi"", then\nleave"');
    expect(lines[2]).toBe("aaaaaaaaaaaaaaaa,Ops Meetup,NFV/Telco WG,open,dana,2016-05-17,,'=cmd|calc");
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

describe('Markdown', () => {
  it('is a task list grouped by session, with user text escaped', () => {
    const md = actionItemsToMarkdown([row({ text: '<script>x</script> [link](javascript:alert(1))' }), row({ status: 'done', sessionTitle: '国内OpsWorkshop', owners: [], tags: [], due: null, text: 'アンケート集計' })], 'Ops');
    expect(md).toContain('## NFV/Telco WG');
    expect(md).toContain('- [ ] \\<script\\>x\\</script\\> \\[link\\]\\(javascript:alert\\(1\\)\\) — **dana** (due 2016-05-17)');
    expect(md).toContain('## 国内OpsWorkshop');
    expect(md).toContain('- [x] アンケート集計');
    expect(md).not.toMatch(/<script>/);
  });
});

describe('JSON', () => {
  it('wraps items', () => {
    expect(JSON.parse(actionItemsToJson([row({})]))).toEqual({ items: [row({})] });
  });
});

describe('iCalendar', () => {
  it('one VTODO per dated item, escaped and folded at 75 octets without splitting characters', () => {
    const long = '次回ワークショップのetherpadテンプレートを作成し、参加者に共有する; 期限までに確認, 必要なら延長'.repeat(2);
    const ics = actionItemsToIcs([row({ text: long, status: 'done' }), row({ id: 'cccccccccccccccc', due: null })], { calendarName: 'Ops', now: new Date('2016-04-25T00:00:00Z') });
    expect(ics.match(/BEGIN:VTODO/g)).toHaveLength(1);
    expect(ics).toContain('DUE;VALUE=DATE:20160517');
    expect(ics).toContain('STATUS:COMPLETED');
    expect(ics).toContain('UID:aaaaaaaaaaaaaaaa@roundtable');
    for (const line of ics.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain(`SUMMARY:${long.replace(/;/g, '\\;').replace(/,/g, '\\,')}`);
  });

  it('foldIcsLine keeps short lines', () => {
    expect(foldIcsLine('SUMMARY:short')).toBe('SUMMARY:short');
  });
});
