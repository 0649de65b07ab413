import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours, days and combinations', () => {
    expect(parseDuration('15m')).toBe(15 * 60_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration(' 2H ')).toBe(7_200_000);
    expect(parseDuration('0.5h')).toBe(1_800_000);
  });

  it('refuses bare numbers, unknown units, zero and empty text', () => {
    for (const bad of ['60', '1w', '1 h', '0m', '', 'h', '-1h', '1h-']) expect(parseDuration(bad), bad).toBeNull();
  });
});
