import { describe, expect, it } from 'vitest';
import { formatJoinCode, JOIN_CODE_ALPHABET, normalizeJoinCode } from './ids.js';

describe('join codes', () => {
  it('accepts a code as typed from a screen: any case, with or without the dash or spaces', () => {
    expect(normalizeJoinCode('BC57-PXXK')).toBe('BC57PXXK');
    expect(normalizeJoinCode('bc57pxxk')).toBe('BC57PXXK');
    expect(normalizeJoinCode(' bc57 pxxk ')).toBe('BC57PXXK');
    expect(formatJoinCode('BC57PXXK')).toBe('BC57-PXXK');
  });

  it('refuses look-alike characters, wrong lengths and anything else', () => {
    for (const bad of ['BC57-PXX', 'BC57-PXXKZ', 'O0I1-LUUU', '../../etc', '', 'BC57_PXXK', 'ＢＣ５７ＰＸＸＫ']) expect(normalizeJoinCode(bad)).toBeNull();
    for (const ch of '01ILOU') expect(JOIN_CODE_ALPHABET).not.toContain(ch);
  });
});
