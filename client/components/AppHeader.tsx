import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { navigate } from '../lib/router.js';

export function AppHeader({ children }: { children?: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  return (
    <header className="app-header">
      <a
        className="brand"
        href="/"
        onClick={(e) => {
          e.preventDefault();
          window.history.pushState(null, '', '/');
          navigate('/');
        }}
      >
        <span className="brand-mark" aria-hidden="true" />
        {t('app.name')}
      </a>
      <div className="header-slot">{children}</div>
      <button type="button" className="lang-switch" data-testid="lang-switch" onClick={() => setLang(lang === 'ja' ? 'en' : 'ja')}>
        {t('lang.switch')}
      </button>
    </header>
  );
}
