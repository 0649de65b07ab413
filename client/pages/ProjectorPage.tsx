import type { Editor } from '@tiptap/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { canWriteNotes } from '../../shared/access.js';
import { BLOCKING_STATUSES } from '../collab/savedStatus.js';
import { useCollabSession } from '../collab/useCollabSession.js';
import { ConnectionBanner, LinkInvalidPage } from '../components/ConnectionBanner.js';
import { useDocumentTitle } from '../lib/useDocumentTitle.js';
import { sessionLocalDate } from '../lib/format.js';
import { NotesEditor } from '../editor/NotesEditor.js';
import { useI18n } from '../i18n/i18n.js';
import { useEvent } from '../lib/useEvent.js';
import { ActionStrip } from '../projector/ActionStrip.js';
import { JoinPanel } from '../projector/JoinPanel.js';
import { ProjectorHeader } from '../projector/ProjectorHeader.js';
import { useFollow, type FollowTarget } from '../projector/useFollow.js';
import { errorMessage } from '../lib/errorMessage.js';
import { ProjectorSearch } from '../search/ProjectorSearch.js';
import { SearchJump } from '../search/SearchJump.js';

type Theme = 'light' | 'dark' | 'contrast';
const THEMES: Theme[] = ['light', 'dark', 'contrast'];
const THEME_ICON: Record<Theme, string> = { light: '☀', dark: '☾', contrast: '◐' };
// Nameless: a projector is counted as a reader, never listed in "Here now".
const PROJECTOR_USER = { name: '', color: '#57606a' };
const SCALE_KEY = 'roundtable:projector:scale';
const THEME_KEY = 'roundtable:projector:theme';
const LATEST: FollowTarget = { kind: 'latest' };

function storedScale(): number {
  const v = Number(localStorage.getItem(SCALE_KEY));
  return v >= 0.5 && v <= 3 ? v : 1;
}

function storedTheme(): Theme {
  const v = localStorage.getItem(THEME_KEY);
  return THEMES.includes(v as Theme) ? (v as Theme) : 'light';
}

const clampScale = (s: number) => Math.round(Math.min(3, Math.max(0.5, s)) * 100) / 100;

/**
 * A whole-screen message in the projector's own look (theme, room-sized type), for when there are no notes to show:
 * the app's ordinary pages are sized for a laptop and read as a few small lines lost on a wall.
 */
function ProjectorNotice({ theme, eventTitle, title, body, role, testId }: { theme: Theme; eventTitle?: string; title: string; body?: string; role: 'status' | 'alert'; testId: string }) {
  return (
    <div className={`projector theme-${theme}`} data-theme={theme}>
      <main className="projector-notice" data-testid={testId}>
        {eventTitle ? <p className="projector-notice-event">{eventTitle}</p> : null}
        <h1 role={role}>{title}</h1>
        {body ? <p className="projector-notice-body">{body}</p> : null}
      </main>
    </div>
  );
}

/**
 * The projector: read-only, big type, no chrome. It keeps the latest edit
 * (or one chosen note-taker) in view; scrolling by hand pauses that.
 */
export function ProjectorPage({ eventRef, sessionId, token }: { eventRef: string; sessionId: string; token: string | null }) {
  const { t } = useI18n();
  const { event, error, actionItemsVersion, linksVersion } = useEvent(eventRef, token);
  // Always a reader, whatever link opened it: the server counts it as one and never takes its writes.
  const { session: collab, snapshot } = useCollabSession(sessionId, token, event ? 'view' : null, PROJECTOR_USER);
  const [editor, setEditor] = useState<Editor | null>(null);
  const onEditor = useCallback((e: Editor | null) => setEditor(e), []);
  const [scale, setScale] = useState(storedScale);
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const [following, setFollowing] = useState(true);
  const [target, setTarget] = useState<FollowTarget>(LATEST);
  const scroller = useRef<HTMLDivElement>(null);
  const writers = snapshot.users.filter((u) => u.role !== 'view' && !u.isSelf);
  const followed = target.kind === 'user' ? writers.find((w) => w.clientId === target.clientId) : undefined;

  // Someone who left can't be followed: fall back to the latest edit.
  useFollow({ editor, scroller, awareness: collab?.provider.awareness ?? null, following, target: followed ? target : LATEST });

  const titled = event?.sessions.find((s) => s.id === sessionId);
  useDocumentTitle([titled ? t('title.projector', { title: titled.title }) : null, event?.title]);
  // Once the session is removed the event no longer names it; the room was looking at it and should read which one went.
  const lastTitle = useRef<string | null>(null);
  useEffect(() => {
    if (titled) lastTitle.current = titled.title;
  }, [titled]);

  useEffect(() => localStorage.setItem(SCALE_KEY, String(scale)), [scale]);
  useEffect(() => localStorage.setItem(THEME_KEY, theme), [theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.target instanceof HTMLElement && e.target.closest('input, textarea, select')) return;
      if (e.target instanceof HTMLButtonElement && (e.key === ' ' || e.key === 'Enter')) return;
      const box = scroller.current;
      const by: Record<string, number> = { ArrowDown: 0.15, ArrowUp: -0.15, PageDown: 0.8, PageUp: -0.8, ' ': 0.8 };
      if (e.key === '+' || e.key === '=') setScale((s) => clampScale(s * 1.1));
      else if (e.key === '-' || e.key === '_') setScale((s) => clampScale(s / 1.1));
      else if (e.key === 'f' || e.key === 'F') setFollowing(true);
      else if (e.key === 'Escape') {
        setTarget(LATEST);
        setFollowing(true);
      } else if (e.key === 't' || e.key === 'T') setTheme((th) => THEMES[(THEMES.indexOf(th) + 1) % THEMES.length]!);
      else if (box && (e.key in by || e.key === 'Home' || e.key === 'End')) {
        // Scrolling by hand pauses following until F or the Follow button.
        e.preventDefault();
        setFollowing(false);
        if (e.key === 'Home') box.scrollTo({ top: 0, behavior: 'smooth' });
        else if (e.key === 'End') box.scrollTo({ top: box.scrollHeight, behavior: 'smooth' });
        else box.scrollBy({ top: box.clientHeight * by[e.key]!, behavior: 'smooth' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!token || (error && error.status === 401 && !event)) return <LinkInvalidPage eventRef={eventRef} header={null} />;
  const session = event?.sessions.find((s) => s.id === sessionId);
  if (!event) return <ProjectorNotice theme={theme} title={error ? errorMessage(error, t) : t('common.loading')} role={error ? 'alert' : 'status'} testId={error ? 'projector-error' : 'projector-loading'} />;
  // Removed from the schedule (or never in it): say so; a moderator's Undo brings the notes back without a reload
  // (the event stream puts the session back in `event`, and the notes connection is told to look again).
  if (!session) {
    const gone = lastTitle.current ? t('present.gone.titleNamed', { title: lastTitle.current }) : t('present.gone.title');
    return <ProjectorNotice theme={theme} eventTitle={event.title} title={gone} body={t('present.gone.body')} role="alert" testId="projector-gone" />;
  }
  const blocked = BLOCKING_STATUSES.has(snapshot.status);
  const linkDead = snapshot.status === 'revoked' || snapshot.status === 'unauthorized';
  // The last notes stay on screen; a small notice says the connection is being restored.
  const connection = !blocked && (snapshot.status === 'offline' || snapshot.status === 'reconnecting') ? t('present.disconnected') : null;
  const pauseByHand = () => setFollowing(false);
  const wheeled = () => {
    // The wheel wins over a glide already under way (the first edit after opening, say): without this the glide carried on past the hand.
    const box = scroller.current;
    if (box) box.scrollTo({ top: box.scrollTop, behavior: 'instant' });
    pauseByHand();
  };

  return (
    <div className={`projector theme-${theme}`} data-testid="projector" data-theme={theme} style={{ ['--projector-scale' as string]: String(scale) }}>
      <ProjectorHeader session={session} timezone={event.timezone} />
      <main className="projector-body">
        {blocked ? (
          <div className="projector-banner">
            <ConnectionBanner status={snapshot.status} reason={snapshot.closeReason} eventRef={event.slug} compact />
          </div>
        ) : null}
        <div
          className="projector-notes"
          ref={scroller}
          data-testid="projector-scroller"
          onWheel={wheeled}
          onTouchMove={pauseByHand}
          onPointerDown={(e) => {
            // A press on the scroll bar (right of the content box) is a hand scroll; a click on the text is not.
            if (e.target === e.currentTarget && e.nativeEvent.offsetX >= e.currentTarget.clientWidth) pauseByHand();
          }}
        >
          <SearchJump editor={editor} collab={collab} onJump={pauseByHand} />
          {collab ? <NotesEditor session={collab} user={PROJECTOR_USER} editable={false} onEditor={onEditor} showToolbar={false} className="projector-editor" sessionDate={sessionLocalDate(session.startsAt, event.timezone)} knownNames={session.moderators} /> : null}
        </div>
        <aside className="projector-side">
          {/* A replaced or refused link would send the room to a dead page: no QR code until the operator pastes the new link. */}
          {linkDead ? null : <JoinPanel eventRef={eventRef} slug={event.slug} sessionId={sessionId} role={event.role} token={token} linksVersion={linksVersion} />}
          <ActionStrip sessionId={sessionId} token={token} version={actionItemsVersion} />
        </aside>
      </main>
      <footer className="projector-foot">
        <span className="follow-state" data-testid="follow-state" data-following={following ? (followed ? 'user' : 'latest') : 'paused'}>
          {following ? (followed ? t('present.followUser', { name: followed.name }) : t('present.follow')) : t('present.paused')}
        </span>
        {!following ? (
          <button type="button" className="is-active" data-testid="resume-follow" onClick={() => setFollowing(true)}>
            {t('present.resume')}
          </button>
        ) : null}
        <span className="writers">
          {writers.map((w) => (
            <button
              key={w.clientId}
              type="button"
              className={`${followed?.clientId === w.clientId ? 'is-active' : ''}${w.typing ? ' is-typing' : ''}`}
              data-testid="follow-user"
              title={followed?.clientId === w.clientId ? t('present.followLatest') : t('present.followName', { name: w.name })}
              aria-pressed={followed?.clientId === w.clientId}
              onClick={() => {
                setTarget(followed?.clientId === w.clientId ? LATEST : { kind: 'user', clientId: w.clientId });
                setFollowing(true);
              }}
            >
              {w.name}
            </button>
          ))}
        </span>
        {connection ? (
          <span className="projector-offline" role="status" data-testid="projector-offline">
            {connection}
          </span>
        ) : null}
        {/* The room sees when note-takers cannot write, by the same rule the server enforces. */}
        {!canWriteNotes('edit', session) ? <span className="projector-locked">{t('event.locked')}</span> : null}
        <span className="projector-keys">{t('present.keys')}</span>
        <span className="theme-switch">
          <ProjectorSearch eventSlug={event.slug} token={token} timeZone={event.timezone} />
          {THEMES.map((th) => (
            <button key={th} type="button" className={theme === th ? 'is-active' : ''} data-testid={`theme-${th}`} onClick={() => setTheme(th)} aria-label={t(`present.theme.${th}`)} title={t(`present.theme.${th}`)}>
              {THEME_ICON[th]}
            </button>
          ))}
          <button type="button" onClick={() => setScale((s) => clampScale(s / 1.1))} aria-label={`A− ${t('present.smaller')}`} title={t('present.smaller')}>
            A−
          </button>
          <button type="button" onClick={() => setScale((s) => clampScale(s * 1.1))} aria-label={`A+ ${t('present.larger')}`} title={t('present.larger')}>
            A+
          </button>
        </span>
      </footer>
    </div>
  );
}
