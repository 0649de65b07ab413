import { describe, expect, it } from 'vitest';
import { multiLine, singleLine } from './text.js';

describe('singleLine', () => {
  it('turns CR, LF, tabs and other control characters into one space, and trims', () => {
    expect(singleLine('Ops\r\nMeetup')).toBe('Ops Meetup');
    expect(singleLine('  Ops \r\n\t Meetup\u0000\u2028 2016 \n')).toBe('Ops Meetup 2016');
    expect(singleLine('bell\u0007and\u009bC1')).toBe('bell and C1');
  });

  it('leaves ordinary text, double spaces and Japanese alone', () => {
    expect(singleLine('国内OpsWorkshop報告  （第2回）')).toBe('国内OpsWorkshop報告  （第2回）');
  });
});

describe('multiLine', () => {
  it('keeps line breaks (as LF) and tabs, and drops other control characters', () => {
    expect(multiLine('a\r\nb\rc\u2028d\te\u0000f\u001b[31m')).toBe('a\nb\nc\nd\tef[31m');
  });
});
