import type { Editor } from '@tiptap/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { roleAllows } from '../../shared/roles.js';
import { ActionItemsPanel } from '../components/ActionItemsPanel.js';
import { AppHeader } from '../components/AppHeader.js';
import { ExportMenu } from '../components/ExportMenu.js';
import { ModeratorControls } from '../components/ModeratorControls.js';
import { NameDialog } from '../components/NameDialog.js';
import { PresenceList } from '../components/PresenceList.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { useCollabSession } from '../collab/useCollabSession.js';
import { NotesEditor } from '../editor/NotesEditor.js';
import { useI18n } from '../i18n/i18n.js';
import { sessionLocalDate, timeRange } from '../lib/format.js';
import { colorFor, saveName, storedName } from '../lib/identity.js';
import { navigate } from '../lib/router.js';
import { useEvent } from '../lib/useEvent.js';
import { errorMessage } from '../lib/errorMessage.js';
import { SearchJump } from '../search/SearchJump.js';
import { ErrorPage } from './EventPage.js';

export function SessionPage({ eventRef, sessionId, token }: { eventRef: string; sessionId: string; token: string | null }) {
  const { t, lang } = useI18n();
  const { event, error, actionItemsVersion, reload } = useEvent(eventRef, token);
  const [name, setName] = useState<string | null>(() => storedName());
  const [editingName, setEditingName] = useState(false);
  const [editor, setEditor] = useState<Editor | null>(null);
  const onEditor = useCallback((e: Editor | null) => setEditor(e), []);
  const user = useMemo(() => (name ? { name, color: colorFor(name) } : null), [name]);
  const role = event?.role ?? null;
  const { session: collab, snapshot } = useCollabSession(sessionId, token, role, user);
  const session = event?.sessions.find((s) => s.id === sessionId) ?? null;
  const canEdit = role !== null && roleAllows(role, 'edit') && !(session?.locked && role !== 'moderate');
  const lockedForMe = Boolean(session?.locked && role !== 'moderate');
  useEffect(() => collab?.setLocked(lockedForMe), [collab, lockedForMe]);

  if (!token || (error && error.status === 401)) return <ErrorPage message={t('error.unauthorized')} />;
  if (!event) return <ErrorPage message={error ? errorMessage(error, t) : t('common.loading')} />;
  if (!session) return <ErrorPage message={t('session.status.gone')} />;
  const base = `/e/${encodeURIComponent(event.slug)}`;
  const minutes = (f: string) => ({ format: f, path: `/api/sessions/${sessionId}/minutes?format=${f}` });

  return (
    <div className="page session-page">
      <AppHeader>
        <StatusBadge status={snapshot.status} />
      </AppHeader>
      {!name || editingName ? (
        <NameDialog
          initial={name ?? ''}
          onDone={(n) => {
            setName(saveName(n));
            setEditingName(false);
          }}
          onCancel={name ? () => setEditingName(false) : undefined}
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
                {timeRange(session, event.timezone, lang)} {session.room ? `· ${session.room}` : ''} {session.moderators.length ? `· ${session.moderators.join(', ')}` : ''}
              </p>
              {session.nowDiscussing ? <p className="now-discussing">{t('event.nowDiscussing')}: {session.nowDiscussing}</p> : null}
            </div>
            <div className="session-actions">
              {!canEdit ? <span className="badge badge-readonly" data-testid="readonly-badge">{session.locked && role !== 'view' ? t('event.locked') : t('session.readonly')}</span> : null}
              <button type="button" className="btn btn-secondary" onClick={() => navigate(`${base}/s/${sessionId}/present`)}>
                {t('session.present')}
              </button>
              <ExportMenu token={token} label={t('session.export')} items={[...['md', 'html', 'txt', 'docx', 'pdf', 'json'].map(minutes), { format: 'csv', path: `/api/sessions/${sessionId}/action-items?format=csv` }, { format: 'ics', path: `/api/sessions/${sessionId}/action-items?format=ics` }]} />
            </div>
          </div>
          <SearchJump editor={editor} collab={collab} />
          {collab && user && snapshot.contentReady ? <NotesEditor session={collab} user={user} editable={canEdit} onEditor={onEditor} sessionDate={sessionLocalDate(session.startsAt, event.timezone)} /> : <div className="editor-skeleton">{t('common.loading')}</div>}
        </div>
        <aside className="session-side">
          <section className="side-card">
            <h2>{t('session.presence.title')}</h2>
            <PresenceList users={snapshot.users} readers={session.live.viewers} />
            {name ? (
              <button type="button" className="linklike small" onClick={() => setEditingName(true)}>
                {t('session.name.change')}
              </button>
            ) : null}
          </section>
          <ActionItemsPanel sessionId={sessionId} token={token} version={actionItemsVersion} editor={editor} canEdit={canEdit} />
          {role === 'moderate' ? <ModeratorControls session={session} sessions={event.sessions} token={token} onChange={reload} /> : null}
        </aside>
      </main>
    </div>
  );
}
