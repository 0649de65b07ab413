import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rateLimiter.js';

describe('TokenBucket', () => {
  it('allows a burst, then asks the caller to wait in proportion to the deficit', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    for (let i = 0; i < 5; i++) expect(bucket.take(1)).toBe(0);
    expect(bucket.take(1)).toBe(100);
    now += 1000;
    expect(bucket.take(1)).toBe(0);
  });
});
