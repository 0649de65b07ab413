import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en.js';
import { ja } from './ja.js';

export type Lang = 'en' | 'ja';
const MESSAGES: Record<Lang, Record<MessageKey, string>> = { en, ja };
const STORAGE_KEY = 'roundtable:lang';

/** Language from storage, else the browser's first preference (ja* → Japanese). */
export function initialLang(stored: string | null, languages: readonly string[]): Lang {
  if (stored === 'en' || stored === 'ja') return stored;
  return languages.find((l) => /^(ja|en)\b/i.test(l))?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function format(template: string, vars?: Record<string, string | number>): string {
  return vars ? template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : template;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18nValue {
  lang: Lang;
  setLang(lang: Lang): void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang(localStorage.getItem(STORAGE_KEY), navigator.languages ?? [navigator.language]));
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l;
    setLangState(l);
  }, []);
  document.documentElement.lang = lang;
  const value = useMemo<I18nValue>(() => ({ lang, setLang, t: (key, vars) => format(MESSAGES[lang][key] ?? en[key], vars) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
