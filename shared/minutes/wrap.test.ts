import { describe, expect, it } from 'vitest';
import { jpSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import { renderSessionText, TEXT_WIDTH } from './text.js';
import { textWidth, wrap } from './wrap.js';

describe('wrap', () => {
  it('never breaks a line between "due" and the date after it, wherever the line ends', () => {
    for (const date of ['2016-05-17', '5/17', 'May 17', 'June 3rd', '6月15日']) {
      for (let pad = 0; pad < 80; pad++) {
        const lines = wrap(`${'x'.repeat(pad)} follow up with the vendor due ${date} please`, 40);
        for (const [i, line] of lines.entries()) {
          expect(/\bdue$/.test(line) && i < lines.length - 1, `pad ${pad}: ${JSON.stringify(lines)}`).toBe(false);
        }
        expect(lines.some((l) => l.includes(`due ${date.split(' ')[0]}`))).toBe(true);
      }
    }
  });

  it('never breaks inside a date, nor between 期限: / due: and its date (README: due dates stay together)', () => {
    const cases = [
      ['本家OpsMeetupの開催地募集に日本から応募できるか確認（期限：6月15日）', '期限：6月15日'],
      ['@hana 次回ワークショップのetherpadテンプレートを作成 期限: 2016-06-30', '期限: 2016-06-30'],
      ['議事録を共有する 〆切 6/15 まで', '〆切 6/15'],
      ['資料を準備する（2016年6月30日まで）', '2016年6月30日'],
      ['send the slides due: 2016-05-17 please', 'due: 2016-05-17'],
      ['運用者MLへ告知を出す (ivan) 期限 2016-06-30', '期限 2016-06-30'],
    ];
    for (const [tail, token] of cases) {
      for (let pad = 0; pad < 80; pad++) {
        for (const filler of ['x', 'あ']) {
          const lines = wrap(`${filler.repeat(pad)} ${tail}`, 40);
          expect(lines.some((l) => l.includes(token!)), `${filler}×${pad}: ${JSON.stringify(lines)}`).toBe(true);
          // (A run of 41 x's is one word, longer than the line: only lines with text of ours must fit.)
          for (const line of lines.filter((l) => !/^x+$/.test(l))) expect(textWidth(line)).toBeLessThanOrEqual(40);
        }
      }
    }
  });

  it('a date inside an ASCII word does not make the word breakable', () => {
    expect(wrap('release-2016-06-30-notes', 12)).toEqual(['release-2016-06-30-notes']);
  });

  it('breaks a long run of characters that may not start a line anyway, rather than making one endless line', () => {
    const text = `長音${'ー'.repeat(20_000)}。`;
    const lines = wrap(text, TEXT_WIDTH);
    expect(lines.length).toBeGreaterThan(500);
    for (const line of lines) expect(textWidth(line)).toBeLessThanOrEqual(TEXT_WIDTH);
    expect(lines.join('')).toBe(text);
  });

  it('still keeps closing punctuation with what it closes', () => {
    const lines = wrap('「'.padEnd(35, 'あ') + '」。次の文', 70);
    expect(lines[0]!.endsWith('「')).toBe(false);
    expect(lines.every((l, i) => i === 0 || !/^[」。]/.test(l))).toBe(true);
  });
});

describe('txt export of a huge session', () => {
  it('renders 70,000 paragraphs, 140,000 lines (more than a function call takes as arguments)', () => {
    const notes = { type: 'doc', content: Array.from({ length: 70_000 }, (_, i) => ({ type: 'paragraph', content: [{ type: 'text', text: `${i} operators upgrade 運用者` }] })) };
    const out = renderSessionText({ ...jpSession(), notes });
    expect(out).toContain('69999 operators upgrade 運用者');
    expect(out.split('\n').length).toBeGreaterThan(140_000);
  }, 60_000);
});
