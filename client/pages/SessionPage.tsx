import type { Editor } from '@tiptap/react';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { canWriteNotes } from '../../shared/access.js';
import type { SessionDto } from '../../shared/schemas.js';
import { roomsText } from '../../shared/sessionFields.js';
import { ActionItemsPanel } from '../components/ActionItemsPanel.js';
import { AppHeader } from '../components/AppHeader.js';
import { ConnectionBanner, LinkInvalidPage } from '../components/ConnectionBanner.js';
import { ExportMenu } from '../components/ExportMenu.js';
import { ModeratorControls } from '../components/ModeratorControls.js';
import { NameDialog } from '../components/NameDialog.js';
import { NotesImportButton } from '../components/NotesImportButton.js';
import { PresenceList } from '../components/PresenceList.js';
import { SessionEditDialog } from '../components/SessionEditDialog.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useBackOnline } from '../components/useBackOnline.js';
import { BLOCKING_STATUSES } from '../collab/savedStatus.js';
import { useCollabSession } from '../collab/useCollabSession.js';
import { NotesEditor } from '../editor/NotesEditor.js';
import { useRememberSeen } from '../lib/useRememberSeen.js';
import { ShowAuthorsToggle } from '../editor/ShowAuthorsToggle.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient, ApiError } from '../lib/api.js';
import { sessionLocalDate, timeRange } from '../lib/format.js';
import { caretColor, colorFor, onNameSavedElsewhere, saveName, storedName } from '../lib/identity.js';
import { rememberDeleted } from '../lib/pendingUndo.js';
import { navigate } from '../lib/router.js';
import { useDocumentTitle } from '../lib/useDocumentTitle.js';
import { useEvent } from '../lib/useEvent.js';
import { errorMessage } from '../lib/errorMessage.js';
import { useMediaQuery } from '../lib/useMediaQuery.js';
import { SearchJump } from '../search/SearchJump.js';
import { ErrorPage } from './EventPage.js';

type Tab = 'notes' | 'people' | 'actions' | 'moderator';
const ANONYMOUS = { name: '', color: '#57606a' };
/** Collaboration statuses in which the page cannot reach the server. */
const UNREACHABLE: ReadonlySet<string> = new Set(['offline', 'reconnecting', 'connecting']);
const appearKey = (sessionId: string) => `roundtable:appear:${sessionId}`;

export function SessionPage({ eventRef, sessionId, token }: { eventRef: string; sessionId: string; token: string | null }) {
  const { t, lang } = useI18n();
  const { event, error, actionItemsVersion, reload } = useEvent(eventRef, token);
  const [name, setName] = useState<string | null>(() => storedName());
  useEffect(() => onNameSavedElsewhere((n) => n && setName(n)), []);
  const [editingSession, setEditingSession] = useState(false);
  // A reader shows a name only after choosing to appear in "Here now" (remembered per session on this device).
  const [appear, setAppear] = useState(() => localStorage.getItem(appearKey(sessionId)) === '1');
  const [dialog, setDialog] = useState<'writer' | 'reader' | null>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  const [tab, setTab] = useState<Tab>('notes');
  const phone = useMediaQuery('(max-width: 900px)');
  const onEditor = useCallback((e: Editor | null) => setEditor(e), []);
  const role = event?.role ?? null;
  const isReader = role === 'view';
  const shownName = name && (!isReader || appear) ? name : null;
  // Null: the name's own colour. Set when someone else present already shows that one (caretColor says who moves).
  const [clashColor, setClashColor] = useState<string | null>(null);
  const user = useMemo(() => (shownName ? { name: shownName, color: clashColor ?? colorFor(shownName) } : ANONYMOUS), [shownName, clashColor]);
  const { session: collab, snapshot } = useCollabSession(sessionId, token, role, user);
  useEffect(() => {
    const self = snapshot.users.find((u) => u.isSelf);
    if (!shownName || !self) return;
    const next = caretColor(shownName, self, snapshot.users.filter((u) => !u.isSelf));
    setClashColor(next === colorFor(shownName) ? null : next);
  }, [snapshot.users, shownName]);
  const listed = event?.sessions.find((s) => s.id === sessionId) ?? null;
  // A moderator may delete the session while this page is open: the event stops listing it, but the page keeps its
  // last known details, shows the notes read-only and says it was removed, and picks up again after Undo (README).
  const [lastSession, setLastSession] = useState<SessionDto | null>(null);
  if (listed && listed !== lastSession) setLastSession(listed);
  const session = listed ?? (lastSession?.id === sessionId ? lastSession : null);
  const removed = event !== null && listed === null && session !== null;
  // The server's own rule (shared/access.ts): a moderator writes into locked notes, a note-taker does not.
  const lockedForMe = session !== null && role !== null && session.locked && !canWriteNotes(role, session);
  // The event stream usually tells of a deletion before the notes connection is closed (4404): read-only from the first.
  const bannerStatus = removed ? 'gone' : snapshot.status;
  const blocked = BLOCKING_STATUSES.has(bannerStatus);
  const mayEdit = role !== null && session !== null && canWriteNotes(role, session) && !blocked;
  // Writing needs a name: it labels the caret and the minutes' list of note-takers.
  const canEdit = mayEdit && name !== null;
  useEffect(() => collab?.setLocked(lockedForMe), [collab, lockedForMe]);
  // Note-takers are asked for their name once, on arrival; readers never are.
  useEffect(() => {
    if (role && !isReader && !name) setDialog('writer');
  }, [role, isReader, name]);
  useDocumentTitle([session?.title, event?.title]);
  // A tick in the notes goes through the same PATCH as the side panel and the board, so every screen agrees.
  // Its error goes with the next tick; "could not save" also once the connection is back (the line shows the server's state
  // again), and "locked" once the notes are unlocked.
  const [tickError, setTickError] = useState<{ code: 'locked' | 'gone' | 'failed' } | null>(null);
  const toggleAction = useCallback(
    (id: string, status: 'open' | 'done') => {
      setTickError(null);
      apiClient(token).setActionItemStatus(id, status).catch((err: unknown) => {
        const code = err instanceof ApiError ? err.code : '';
        setTickError({ code: code === 'locked' ? 'locked' : code === 'gone' || code === 'not_found' ? 'gone' : 'failed' });
      });
    },
    [token],
  );
  const reachable = !UNREACHABLE.has(snapshot.status);
  // The timeslider's "what I saw last" is what this device showed here, not only what it saw in History.
  useRememberSeen(sessionId, token, collab?.doc ?? null, reachable && !blocked);
  useBackOnline(
    useCallback(() => setTickError((e) => (e?.code === 'failed' ? null : e)), []),
    reachable,
  );
  useEffect(() => {
    if (!lockedForMe) setTickError((e) => (e?.code === 'locked' ? null : e));
  }, [lockedForMe]);

  if (!token || (error && error.status === 401 && !event)) return <LinkInvalidPage eventRef={eventRef} header={<AppHeader />} />;
  if (!event) return <ErrorPage message={error ? errorMessage(error, t) : t('common.loading')} />;
  // Only a session this page never saw (opened on a deleted one) gets the bare page.
  if (!session) return <ErrorPage message={t('banner.gone.title')} />;
  const base = `/e/${encodeURIComponent(event.slug)}`;
  const minutes = (f: string) => ({ format: f, path: `/api/sessions/${sessionId}/minutes?format=${f}` });
  const openCount = snapshot.users.filter((u) => u.role !== 'view').length;
  const tabs: { id: Tab; label: string }[] = [
    { id: 'notes', label: t('session.tabs.notes') },
    { id: 'people', label: `${t('session.presence.title')} (${openCount})` },
    { id: 'actions', label: t('session.actions.title') },
    ...(role === 'moderate' && !removed ? [{ id: 'moderator' as const, label: t('session.moderator.title') }] : []),
  ];
  // On a phone the side cards become tabs, so Here now and Action items are one tap away, not below the whole note.
  const panel = (id: Tab, className: string, children: ReactNode) => (
    <div className={className} id={`panel-${id}`} role={phone ? 'tabpanel' : undefined} aria-labelledby={phone ? `tab-${id}` : undefined} hidden={phone && tab !== id}>
      {children}
    </div>
  );

  return (
    <div className="page session-page">
      <AppHeader>
        <StatusBadge status={snapshot.status} />
      </AppHeader>
      {dialog ? (
        <NameDialog
          reader={dialog === 'reader'}
          initial={name ?? ''}
          onDone={(n) => {
            setName(saveName(n));
            if (dialog === 'reader') {
              localStorage.setItem(appearKey(sessionId), '1');
              setAppear(true);
            }
            setDialog(null);
          }}
          onCancel={() => setDialog(null)}
        />
      ) : null}
      <main className="session-layout">
        <div className="session-main">
          <nav className="crumbs">
            <a href={base} onClick={(e) => { e.preventDefault(); navigate(base); }}>
              ← {event.title}
            </a>
          </nav>
          <div className="session-head">
            <div>
              <h1 data-testid="session-title">{session.title}</h1>
              <p className="muted">
                {timeRange(session, event.timezone, lang)} {session.rooms.length ? `· ${roomsText(session.rooms)}` : ''} {session.moderators.length ? `· ${session.moderators.join(', ')}` : ''}
              </p>
              {session.nowDiscussing ? <p className="now-discussing">{t('event.nowDiscussing')}: {session.nowDiscussing}</p> : null}
            </div>
            <div className="session-actions">
              {role === 'moderate' && !removed ? (
                <button type="button" className="btn btn-secondary" data-testid="edit-session-page" onClick={() => setEditingSession(true)}>
                  {t('session.edit.button')}
                </button>
              ) : null}
              <button type="button" className="btn btn-secondary" onClick={() => navigate(`${base}/s/${sessionId}/present`)}>
                {t('session.present')}
              </button>
              <button type="button" className="btn btn-secondary" data-testid="open-history" onClick={() => navigate(`${base}/s/${sessionId}/history`)}>
                {t('history.open')}
              </button>
              <ShowAuthorsToggle editor={editor} sessionId={sessionId} token={token} />
              {canEdit ? <NotesImportButton sessionId={sessionId} token={token} /> : null}
              <ExportMenu token={token} label={t('session.export')} items={[...['md', 'html', 'txt', 'docx', 'pdf', 'json'].map(minutes), { format: 'csv', path: `/api/sessions/${sessionId}/action-items?format=csv` }, { format: 'ics', path: `/api/sessions/${sessionId}/action-items?format=ics` }]} />
            </div>
          </div>
          <ConnectionBanner status={bannerStatus} reason={snapshot.closeReason} eventRef={event.slug}>
            {bannerStatus === 'gone' ? (
              <p>
                <a href={base} data-testid="gone-back" onClick={(e) => { e.preventDefault(); navigate(base); }}>
                  ← {t('banner.gone.back', { event: event.title })}
                </a>
              </p>
            ) : null}
          </ConnectionBanner>
          {phone ? (
            <div className="tabs session-tabs" role="tablist" aria-label={t('session.tabs.label')}>
              {tabs.map((x) => (
                <button key={x.id} type="button" role="tab" id={`tab-${x.id}`} aria-controls={`panel-${x.id}`} aria-selected={tab === x.id} className={`tab${tab === x.id ? ' is-active' : ''}`} data-testid={`session-tab-${x.id}`} onClick={() => setTab(x.id)}>
                  {x.label}
                </button>
              ))}
            </div>
          ) : null}
          {panel(
            'notes',
            'session-notes',
            <>
              <SearchJump editor={editor} collab={collab} />
              {mayEdit && !name ? (
                <div className="editor-readonly name-needed" data-testid="name-needed">
                  <span>{t('session.name.title')}</span>
                  <button type="button" className="btn btn-small" onClick={() => setDialog('writer')}>
                    {t('session.name.submit')}
                  </button>
                </div>
              ) : null}
              {tickError ? (
                <p className="error small" role="alert">
                  {t(`actions.error.${tickError.code}`)}
                </p>
              ) : null}
              {collab && snapshot.contentReady ? (
                <NotesEditor session={collab} user={user} editable={canEdit} onEditor={onEditor} sessionDate={sessionLocalDate(session.startsAt, event.timezone)} onToggleAction={toggleAction} knownNames={session.moderators} showReadOnlyBar={!blocked && (isReader || lockedForMe)} />
              ) : (
                <div className="editor-skeleton">{t('common.loading')}</div>
              )}
            </>,
          )}
        </div>
        <aside className="session-side">
          {panel(
            'people',
            'side-card',
            <section>
              <h2>{t('session.presence.title')}</h2>
              <PresenceList users={snapshot.users} readers={session.live.viewers} />
              {isReader && !appear ? (
                <button type="button" className="linklike small" data-testid="appear" onClick={() => setDialog('reader')}>
                  {t('session.name.appear')}
                </button>
              ) : name && shownName ? (
                <button type="button" className="linklike small" onClick={() => setDialog(isReader ? 'reader' : 'writer')}>
                  {t('session.name.change')}
                </button>
              ) : null}
            </section>,
          )}
          {panel('actions', 'side-panel', <ActionItemsPanel sessionId={sessionId} token={token} version={actionItemsVersion} editor={editor} canEdit={canEdit} reachable={reachable} />)}
          {role === 'moderate' && !removed ? panel('moderator', 'side-panel', <ModeratorControls session={session} sessions={event.sessions} token={token} onChange={reload} />) : null}
        </aside>
      </main>
      {editingSession && role === 'moderate' ? (
        <SessionEditDialog
          session={session}
          token={token}
          tz={event.timezone}
          knownRooms={[...new Set(event.sessions.flatMap((s) => s.rooms))]}
          onClose={() => setEditingSession(false)}
          onSaved={() => setEditingSession(false)}
          onDeleted={(s) => {
            // The schedule offers the Undo: this page has nothing left to show.
            rememberDeleted(event.slug, s);
            navigate(base);
          }}
        />
      ) : null}
    </div>
  );
}
