import { useRef, useState, type ReactNode } from 'react';
import type { Role } from '../../shared/roles.js';
import { ActionBoard } from '../components/ActionBoard.js';
import { ContributorsReport } from '../components/ContributorsReport.js';
import { AddSessionForm } from '../components/AddSessionForm.js';
import { AppHeader } from '../components/AppHeader.js';
import { ConnectionBanner, LinkInvalidPage } from '../components/ConnectionBanner.js';
import { EmptyEventHelp } from '../components/EmptyEventHelp.js';
import { EventSettingsDialog } from '../components/EventSettingsDialog.js';
import { EventNotesImport } from '../components/EventNotesImport.js';
import { ExportMenu } from '../components/ExportMenu.js';
import { ImportDialog } from '../components/ImportDialog.js';
import { LinksPanel } from '../components/LinksPanel.js';
import { ScheduleGrid } from '../components/ScheduleGrid.js';
import { SessionIndex } from '../components/SessionIndex.js';
import { TemplateEditor } from '../components/TemplateEditor.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from '../lib/errorMessage.js';
import { navigate, type EventView } from '../lib/router.js';
import { useDocumentTitle } from '../lib/useDocumentTitle.js';
import { useMediaQuery } from '../lib/useMediaQuery.js';
import { SearchBox } from '../search/SearchBox.js';
import { useEvent } from '../lib/useEvent.js';

export function EventPage({ eventRef, token, view }: { eventRef: string; token: string | null; view: EventView }) {
  const { t } = useI18n();
  const { event, error, actionItemsVersion, linksVersion, linkStatus, reload } = useEvent(eventRef, token);
  const [importing, setImporting] = useState<null | 'file' | 'paste'>(null);
  const [settings, setSettings] = useState(false);
  const phone = useMediaQuery('(max-width: 640px)');
  const addTitle = useRef<HTMLInputElement>(null);
  useDocumentTitle([view === 'board' ? t('event.actionBoard') : view === 'index' ? t('event.index') : null, event?.title]);
  if (!token) return <ErrorPage message={t('error.token_required')} />;
  // A dead link (rotated before the page opened): say so, and take the new link or a join code right here.
  if (error && error.status === 401 && !event) return <LinkInvalidPage eventRef={eventRef} header={<AppHeader />} />;
  if (!event) return <ErrorPage message={error ? errorMessage(error, t) : t('common.loading')} />;
  // Also a cached copy whose link was refused on opening (rotated while this device was away).
  const deadLink = linkStatus ?? (error?.status === 401 ? 'unauthorized' : null);
  const role: Role = event.role;
  const moderator = role === 'moderate';
  const base = `/e/${encodeURIComponent(event.slug)}`;
  const tab = (name: typeof view, path: string, label: string) => (
    <button type="button" role="tab" aria-selected={view === name} className={`tab${view === name ? ' is-active' : ''}`} onClick={() => navigate(path)}>
      {label}
    </button>
  );
  const minutes = (f: string) => ({ format: f, path: `/api/events/${encodeURIComponent(event.slug)}/minutes?format=${f}` });
  const count = event.sessions.length;
  return (
    <div className="page">
      <AppHeader>
        {deadLink ? null : <span className="role-pill">{t(`event.role.${role}`)}</span>}
      </AppHeader>
      <main className="event">
        {/* The link was replaced while the page was open: the schedule stops updating, so say so and take the new link. */}
        {deadLink ? <ConnectionBanner status={deadLink} reason={null} eventRef={event.slug} body={t(deadLink === 'revoked' ? 'banner.revoked.eventBody' : 'banner.unauthorized.eventBody')} /> : null}
        <div className="event-head">
          <div>
            <h1 data-testid="event-title">{event.title}</h1>
            <p className="muted" data-testid="event-meta">
              {event.timezone} · {count === 1 ? t('event.sessionCount1') : t('event.sessionCount', { n: count })}
            </p>
          </div>
          <div className="event-actions">
            {moderator ? (
              <ManageEvent collapsed={phone}>
                <button type="button" className="btn btn-secondary" data-testid="open-settings" onClick={() => setSettings(true)}>
                  {t('event.settings')}
                </button>
                <button type="button" className="btn btn-secondary" data-testid="open-import" onClick={() => setImporting('file')}>
                  {t('event.import')}
                </button>
                <EventNotesImport eventRef={event.slug} token={token} />
              </ManageEvent>
            ) : null}
            <ExportMenu
              token={token}
              label={t('session.export')}
              items={[
                ...['md', 'html', 'txt', 'docx', 'pdf', 'json', 'zip'].map(minutes),
                { format: 'csv', path: `/api/events/${encodeURIComponent(event.slug)}/action-items?format=csv` },
                { format: 'ics', path: `/api/events/${encodeURIComponent(event.slug)}/action-items?format=ics` },
              ]}
            />
          </div>
        </div>
        <SearchBox eventSlug={event.slug} token={token} timeZone={event.timezone} />
        <div className="tabs" role="tablist">
          {tab('sessions', base, t('event.schedule'))}
          {tab('board', `${base}/actions`, t('event.actionBoard'))}
          {tab('index', `${base}/index`, t('event.index'))}
          {tab('contributors', `${base}/contributors`, t('event.contributors'))}
        </div>
        {view === 'sessions' && count === 0 ? (
          <EmptyEventHelp
            moderator={moderator}
            onImport={() => setImporting('file')}
            onPaste={() => setImporting('paste')}
            onAddByHand={() => {
              addTitle.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
              addTitle.current?.focus({ preventScroll: true });
            }}
          />
        ) : null}
        {view === 'sessions' && count > 0 ? <ScheduleGrid sessions={event.sessions} eventRef={event.slug} tz={event.timezone} token={token} canEdit={moderator} /> : null}
        {view === 'board' ? <ActionBoard eventRef={event.slug} token={token} sessions={event.sessions} version={actionItemsVersion} role={role} timeZone={event.timezone} /> : null}
        {view === 'index' ? <SessionIndex event={event} token={token} linksVersion={linksVersion} /> : null}
        {view === 'contributors' ? <ContributorsReport eventSlug={event.slug} token={token} version={actionItemsVersion} /> : null}
        {moderator && view === 'sessions' ? (
          <div className="moderator-tools">
            <AddSessionForm eventRef={event.slug} token={token} tz={event.timezone} onAdded={reload} titleRef={addTitle} />
            <LinksPanel eventRef={event.slug} token={token} linksVersion={linksVersion} />
          </div>
        ) : null}
        {/* Keyed by language: the default template follows the event's language. */}
        {moderator && view === 'sessions' ? <TemplateEditor key={event.language} eventRef={event.slug} token={token} /> : null}
        {importing ? (
          <ImportDialog
            eventRef={event.slug}
            token={token}
            tz={event.timezone}
            initialFocus={importing}
            onClose={() => setImporting(null)}
            onDone={() => {
              setImporting(null);
              reload();
            }}
          />
        ) : null}
        {settings ? (
          <EventSettingsDialog
            event={event}
            token={token}
            onClose={() => setSettings(false)}
            onSaved={() => {
              setSettings(false);
              reload();
            }}
          />
        ) : null}
      </main>
    </div>
  );
}

export function ErrorPage({ message }: { message: string }) {
  return (
    <div className="page">
      <AppHeader />
      <main className="center">
        <p className="lead" role="alert">{message}</p>
      </main>
    </div>
  );
}

/**
 * A moderator's event buttons: in a row, or on a phone behind one "Manage
 * event" disclosure, so the schedule is not pushed below the fold by tools
 * used a few times per event. A native <details>: keyboard and screen
 * readers get its behaviour for free.
 */
function ManageEvent({ collapsed, children }: { collapsed: boolean; children: ReactNode }) {
  const { t } = useI18n();
  if (!collapsed) return <>{children}</>;
  return (
    <details className="event-manage" data-testid="event-manage">
      <summary className="btn btn-secondary">{t('event.manage')}</summary>
      <div className="event-manage-items">{children}</div>
    </details>
  );
}
