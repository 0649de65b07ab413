import { describe, expect, it } from 'vitest';
import type { HistoryAuthor } from '../../shared/history/history.js';
import { en } from '../i18n/en.js';
import { format, type Translate } from '../i18n/i18n.js';
import { ja } from '../i18n/ja.js';
import { versionAuthors } from './TimesliderParts.js';

const LANGS = { en, ja } as const;
const translator = (lang: keyof typeof LANGS): Translate => (key, vars) => format(LANGS[lang][key], vars);

describe('the timeslider position line names authors in the page’s language', () => {
  const people: HistoryAuthor[] = [
    { name: 'Ana', kind: 'person', color: '#d23f31' },
    { name: 'template', kind: 'template', color: '#888888' },
    { name: 'restore', kind: 'restore', color: '#888888' },
  ];

  it('translates the server’s kinds of change and keeps people’s names', () => {
    expect(versionAuthors(['template'], people, translator('en'))).toBe('Session template');
    expect(versionAuthors(['template'], people, translator('ja'))).toBe('セッションのテンプレート');
    expect(versionAuthors(['Ana', 'restore'], people, translator('en'))).toBe('Ana, Restore');
  });

  it('a person who calls themselves "restore" stays a person', () => {
    const named = [...people, { name: 'restore', kind: 'person', color: '#1a7f37' } satisfies HistoryAuthor];
    expect(versionAuthors(['restore'], named, translator('en'))).toBe('restore');
  });
});
