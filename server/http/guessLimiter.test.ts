import { describe, expect, it } from 'vitest';
import { GuessLimiter } from './guessLimiter.js';

describe('GuessLimiter', () => {
  it('blocks an address after maxFailures failures within the window, and forgets them afterwards', () => {
    let now = 0;
    const limiter = new GuessLimiter({ maxFailures: 3, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.blocked('a')).toBe(false);
      limiter.fail('a');
    }
    expect(limiter.blocked('a')).toBe(true);
    expect(limiter.blocked('b')).toBe(false);
    now = 60_001;
    expect(limiter.blocked('a')).toBe(false);
  });

  it('tracks a bounded number of addresses', () => {
    const limiter = new GuessLimiter({ maxFailures: 1, windowMs: 60_000, maxTracked: 2 }, () => 1);
    limiter.fail('a');
    limiter.fail('b');
    limiter.fail('c');
    expect(limiter.blocked('a')).toBe(false);
    expect(limiter.blocked('b')).toBe(true);
    expect(limiter.blocked('c')).toBe(true);
  });
});
