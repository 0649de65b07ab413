import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { ja } from './ja.js';
import { format, initialLang } from './i18n.js';

describe('i18n', () => {
  it('Japanese has every English key and keeps the placeholders', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(vars(ja[key]), key).toEqual(vars(en[key]));
    }
  });

  it('follows the browser unless a choice was stored', () => {
    expect(initialLang(null, ['ja-JP', 'en-US'])).toBe('ja');
    expect(initialLang(null, ['en-GB'])).toBe('en');
    expect(initialLang(null, ['fr-FR', 'ja'])).toBe('ja');
    expect(initialLang('en', ['ja-JP'])).toBe('en');
  });

  it('formats placeholders', () => {
    expect(format('{n} readers', { n: 3 })).toBe('3 readers');
  });
});
