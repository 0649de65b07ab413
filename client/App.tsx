import { useEffect } from 'react';
import { HistoryPage } from './history/HistoryPage.js';
import { I18nProvider, useI18n } from './i18n/i18n.js';
import { useRoute } from './lib/router.js';
import { storeToken, storedToken, tokenFromHash } from './lib/tokens.js';
import { ErrorPage, EventPage } from './pages/EventPage.js';
import { HomePage } from './pages/HomePage.js';
import { ProjectorPage } from './pages/ProjectorPage.js';
import { SessionPage } from './pages/SessionPage.js';

/** The token for an event: from the URL fragment (and remembered), else from this device. */
function tokenFor(eventRef: string): string | null {
  const fromHash = tokenFromHash(window.location.hash);
  if (fromHash) {
    storeToken(eventRef, fromHash);
    return fromHash;
  }
  const stored = storedToken(eventRef);
  // Keep the address bar copyable: put the token back into the fragment.
  if (stored) window.history.replaceState(null, '', `${window.location.pathname}#k=${stored}`);
  return stored;
}

function Routes() {
  const route = useRoute();
  const { t } = useI18n();
  // Each page names itself (useDocumentTitle); only pages that name nothing fall back to the app's name.
  useEffect(() => {
    if (route.name === 'notFound') document.title = 'Roundtable';
  }, [route]);
  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'event':
      return <EventPage key={route.eventRef} eventRef={route.eventRef} token={tokenFor(route.eventRef)} view={route.view} />;
    case 'session':
      return <SessionPage key={route.sessionId} eventRef={route.eventRef} sessionId={route.sessionId} token={tokenFor(route.eventRef)} />;
    case 'present':
      return <ProjectorPage key={route.sessionId} eventRef={route.eventRef} sessionId={route.sessionId} token={tokenFor(route.eventRef)} />;
    case 'history':
      return <HistoryPage key={route.sessionId} eventRef={route.eventRef} sessionId={route.sessionId} token={tokenFor(route.eventRef)} />;
    default:
      return <ErrorPage message={t('notFound.title')} />;
  }
}

export function App() {
  return (
    <I18nProvider>
      <Routes />
    </I18nProvider>
  );
}

