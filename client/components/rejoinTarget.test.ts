import { describe, expect, it } from 'vitest';
import { rejoinTarget } from './rejoinTarget.js';

const token = 'A'.repeat(16) + 'b_-9'.repeat(4);
const here = { eventRef: 'ux-meetup', path: '/e/ux-meetup/s/abcdefghijklmnop' };

describe('rejoin target (the field in the "link replaced" banner)', () => {
  it('takes a join code in any case, with or without its dash or the short URL around it', () => {
    for (const input of ['BC57-PXXK', ' bc57pxxk ', 'https://notes.example.org/j/bc57-pxxk']) {
      expect(rejoinTarget(input, here)).toEqual({ kind: 'code', url: '/j/BC57-PXXK' });
    }
  });

  it('a new link to the same event keeps the person on the page they are on, with the new key', () => {
    expect(rejoinTarget(`https://notes.example.org/e/ux-meetup#k=${token}`, here)).toEqual({ kind: 'link', eventRef: 'ux-meetup', token, url: `${here.path}#k=${token}` });
    expect(rejoinTarget(`https://notes.example.org/e/ux-meetup/s/zzzzzzzzzzzzzzzz#k=${token}`, here)?.url).toBe(`${here.path}#k=${token}`);
  });

  it('a link to another event opens that link', () => {
    expect(rejoinTarget(`https://notes.example.org/e/other/s/qqqqqqqqqqqqqqqq#k=${token}`, here)).toEqual({ kind: 'link', eventRef: 'other', token, url: `/e/other/s/qqqqqqqqqqqqqqqq#k=${token}` });
  });

  it('refuses anything else', () => {
    for (const input of ['', 'hello', 'BC57-PXX', 'https://notes.example.org/e/ux-meetup', `https://notes.example.org/x#k=${token}`]) expect(rejoinTarget(input, here)).toBeNull();
  });
});
