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
