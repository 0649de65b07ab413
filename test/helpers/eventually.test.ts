import { describe, expect, it } from 'vitest';
import { eventually, eventuallyValue } from './eventually.js';

describe('eventually', () => {
  it('resolves once a sync or async check holds, retrying checks that throw', async () => {
    let n = 0;
    await eventually(() => ++n >= 3, 1000, 'three reads');
    expect(n).toBe(3);
    let m = 0;
    await eventually(async () => {
      if (++m < 2) throw new Error('not ready');
      return true;
    });
    expect(m).toBe(2);
  });

  it('returns the value the predicate accepted', async () => {
    let n = 0;
    await expect(eventuallyValue(() => ++n, (v) => v === 4, 'four')).resolves.toBe(4);
  });

  it('fails with what it waited for, the last value and the last error', async () => {
    await expect(eventually(() => false, 30, 'the impossible')).rejects.toThrow(/timed out after 30 ms waiting for the impossible$/);
    await expect(eventuallyValue(() => [1, 2], (v) => v.length === 3, 'three items', 30)).rejects.toThrow(/three items; last value \[1,2\]/);
    await expect(
      eventually(() => {
        throw new Error('connection refused');
      }, 30),
    ).rejects.toThrow(/connection refused/);
  });
});
