import type { Editor } from '@tiptap/react';
import QRCode from 'qrcode';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ActionItemDto, EventLinks } from '../../shared/schemas.js';
import { useCollabSession } from '../collab/useCollabSession.js';
import { NotesEditor } from '../editor/NotesEditor.js';
import { useI18n } from '../i18n/i18n.js';
import { apiFetch } from '../lib/api.js';
import { formatTime } from '../lib/format.js';
import { useEvent } from '../lib/useEvent.js';
import { ErrorPage } from './EventPage.js';

type Theme = 'light' | 'dark' | 'contrast';
const THEMES: Theme[] = ['light', 'dark', 'contrast'];
const PROJECTOR_USER = { name: 'Projector', color: '#57606a' };

function useClock(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

/**
 * The projector: read-only, big type, no chrome. It keeps the latest edit
 * (or one chosen note-taker) in view; scrolling by hand pauses that.
 */
export function ProjectorPage({ eventRef, sessionId, token }: { eventRef: string; sessionId: string; token: string | null }) {
  const { t, lang } = useI18n();
  const { event, error, actionItemsVersion } = useEvent(eventRef, token);
  // The projector always connects read-only, whatever link opened it.
  const { session: collab, snapshot } = useCollabSession(sessionId, token, event ? 'view' : null, PROJECTOR_USER);
  const [editor, setEditor] = useState<Editor | null>(null);
  const onEditor = useCallback((e: Editor | null) => setEditor(e), []);
  const [fontSize, setFontSize] = useState(() => Number(localStorage.getItem('roundtable:projector:size')) || 34);
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('roundtable:projector:theme') as Theme) || 'light');
  const [following, setFollowing] = useState(true);
  const [followUser, setFollowUser] = useState<string | null>(null);
  const [joinRole, setJoinRole] = useState<'view' | 'edit'>('view');
  const [links, setLinks] = useState<EventLinks | null>(null);
  const [qr, setQr] = useState<string>('');
  const [items, setItems] = useState<ActionItemDto[]>([]);
  const seenItems = useRef<Set<string> | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const scroller = useRef<HTMLDivElement>(null);
  const programmatic = useRef(0);
  const now = useClock();

  useEffect(() => localStorage.setItem('roundtable:projector:size', String(fontSize)), [fontSize]);
  useEffect(() => localStorage.setItem('roundtable:projector:theme', theme), [theme]);

  useEffect(() => {
    if (event?.role === 'moderate' && token) void apiFetch<{ links: EventLinks }>(`/api/events/${encodeURIComponent(eventRef)}/links`, { token }).then((r) => setLinks(r.links));
  }, [event?.role, eventRef, token]);

  const joinUrl = useMemo(() => {
    if (!event || !token) return '';
    const path = `${window.location.origin}/e/${encodeURIComponent(event.slug)}/s/${sessionId}`;
    const chosen = links ? links[joinRole] : window.location.href.replace(/\/present(#|$)/, '$1');
    const k = /#k=([^&]+)/.exec(chosen)?.[1] ?? token;
    return `${path}#k=${k}`;
  }, [event, token, links, joinRole, sessionId]);

  useEffect(() => {
    if (joinUrl) void QRCode.toDataURL(joinUrl, { margin: 1, width: 360, errorCorrectionLevel: 'M' }).then(setQr);
  }, [joinUrl]);

  useEffect(() => {
    if (!token) return;
    void apiFetch<{ items: ActionItemDto[] }>(`/api/sessions/${sessionId}/action-items`, { token }).then((r) => {
      const ids = new Set(r.items.map((i) => i.id));
      if (seenItems.current) {
        const added = r.items.filter((i) => !seenItems.current!.has(i.id)).map((i) => i.id);
        if (added.length) {
          setFresh(new Set(added));
          setTimeout(() => setFresh(new Set()), 6000);
        }
      }
      seenItems.current = ids;
      setItems(r.items);
    });
  }, [sessionId, token, actionItemsVersion]);

  // Follow: after each document change, bring the changed place (or the chosen caret) into view.
  useEffect(() => {
    if (!editor) return;
    let lastPos = 0;
    let pending = false;
    const scrollToTarget = () => {
      pending = false;
      const box = scroller.current;
      if (!box || !following) return;
      let targetY: number | null = null;
      if (followUser) {
        const label = [...box.querySelectorAll<HTMLElement>('.collaboration-carets__label')].find((l) => l.textContent === followUser);
        if (label) targetY = label.getBoundingClientRect().top;
      }
      if (targetY === null) {
        try {
          targetY = editor.view.coordsAtPos(Math.min(lastPos, editor.state.doc.content.size)).bottom;
        } catch {
          return;
        }
      }
      const rect = box.getBoundingClientRect();
      // Only move when the target leaves the comfortable middle band: no jitter while several people type.
      const top = rect.top + rect.height * 0.25;
      const bottom = rect.top + rect.height * 0.8;
      if (targetY < top || targetY > bottom) {
        programmatic.current = Date.now();
        box.scrollTo({ top: box.scrollTop + (targetY - (rect.top + rect.height * 0.6)), behavior: 'smooth' });
      }
    };
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean; steps: { getMap(): { forEach(f: (a: number, b: number, c: number, d: number) => void): void } }[] } }) => {
      if (!transaction.docChanged) return;
      for (const step of transaction.steps) step.getMap().forEach((_a, _b, _c, newEnd) => (lastPos = newEnd));
      if (!pending) {
        pending = true;
        setTimeout(scrollToTarget, 120);
      }
    };
    editor.on('transaction', onTransaction);
    return () => {
      editor.off('transaction', onTransaction);
    };
  }, [editor, following, followUser]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '+' || e.key === '=') setFontSize((s) => Math.min(96, s + 4));
      else if (e.key === '-') setFontSize((s) => Math.max(18, s - 4));
      else if (e.key === 'f' || e.key === 'F') setFollowing(true);
      else if (e.key === 't' || e.key === 'T') setTheme((th) => THEMES[(THEMES.indexOf(th) + 1) % THEMES.length]!);
      else if (['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', ' '].includes(e.key)) setFollowing(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!token || (error && error.status === 401)) return <ErrorPage message={t('error.unauthorized')} />;
  const session = event?.sessions.find((s) => s.id === sessionId);
  if (!event || !session) return <ErrorPage message={error ? t('error.network') : t('common.loading')} />;
  const minutesLeft = session.endsAt ? Math.ceil((Date.parse(session.endsAt) - now) / 60_000) : null;
  const writers = snapshot.users.filter((u) => u.role !== 'view' && !u.isSelf);
  const offline = snapshot.status === 'offline' || snapshot.status === 'connecting';

  return (
    <div className={`projector theme-${theme}`} data-testid="projector" style={{ ['--projector-size' as string]: `${fontSize}px` }}>
      <header className="projector-head">
        <div className="projector-title">
          <h1>{session.title}</h1>
          <p>
            {session.room ? `${session.room} · ` : ''}
            {formatTime(session.startsAt, event.timezone, lang)}
            {session.endsAt ? `–${formatTime(session.endsAt, event.timezone, lang)}` : ''}
            {session.nowDiscussing ? <span className="projector-topic"> · {t('event.nowDiscussing')}: {session.nowDiscussing}</span> : null}
          </p>
        </div>
        <div className="projector-clock">
          <span className="clock" data-testid="clock">{formatTime(new Date(now).toISOString(), event.timezone, lang)}</span>
          {minutesLeft !== null && minutesLeft > 0 && minutesLeft < 24 * 60 ? <span className="remaining">{t('present.remaining', { min: minutesLeft })}</span> : null}
        </div>
      </header>
      <div className="projector-body">
        <div
          className="projector-notes"
          ref={scroller}
          data-testid="projector-scroller"
          onWheel={() => setFollowing(false)}
          onTouchMove={() => setFollowing(false)}
          onScroll={() => {
            if (Date.now() - programmatic.current > 1200) setFollowing(false);
          }}
        >
          {collab ? <NotesEditor session={collab} user={PROJECTOR_USER} editable={false} onEditor={onEditor} showToolbar={false} className="projector-editor" /> : null}
        </div>
        <aside className="projector-side">
          <div className="join" data-testid="join-panel">
            <h2>{t('present.join')}</h2>
            {qr ? <img src={qr} alt={joinUrl} data-testid="join-qr" data-url={joinUrl} /> : null}
            <p className="join-url" data-testid="join-url">{joinUrl.replace(/^https?:\/\//, '').replace(/#.*/, '')}</p>
            {links ? (
              <div className="join-toggle" role="group">
                <button type="button" className={joinRole === 'edit' ? 'is-active' : ''} data-testid="join-edit" onClick={() => setJoinRole('edit')}>
                  {t('present.joinEdit')}
                </button>
                <button type="button" className={joinRole === 'view' ? 'is-active' : ''} data-testid="join-view" onClick={() => setJoinRole('view')}>
                  {t('present.joinView')}
                </button>
              </div>
            ) : null}
          </div>
          <div className="projector-actions" data-testid="projector-actions">
            <h2>{t('session.actions.title')}</h2>
            <ul>
              {items.map((i) => (
                <li key={i.id} className={`${i.status}${fresh.has(i.id) ? ' fresh' : ''}`}>
                  <span className="box">{i.status === 'done' ? '☑' : '☐'}</span> {i.text}
                </li>
              ))}
            </ul>
          </div>
        </aside>
      </div>
      <footer className="projector-foot">
        <span data-testid="follow-state">
          {following ? (followUser ? t('present.followUser', { name: followUser }) : t('present.follow')) : t('present.paused')}
        </span>
        {!following ? (
          <button type="button" data-testid="resume-follow" onClick={() => setFollowing(true)}>
            {t('present.resume')}
          </button>
        ) : null}
        <span className="writers">
          {writers.map((w) => (
            <button key={w.clientId} type="button" className={followUser === w.name ? 'is-active' : ''} data-testid="follow-user" onClick={() => { setFollowUser(followUser === w.name ? null : w.name); setFollowing(true); }}>
              {w.name}
            </button>
          ))}
        </span>
        <span className="theme-switch">
          {THEMES.map((th) => (
            <button key={th} type="button" className={theme === th ? 'is-active' : ''} onClick={() => setTheme(th)} aria-label={`${t('present.theme')}: ${th}`}>
              {th === 'light' ? '☀' : th === 'dark' ? '☾' : '◐'}
            </button>
          ))}
          <button type="button" onClick={() => setFontSize((s) => Math.max(18, s - 4))} aria-label="smaller">A−</button>
          <button type="button" onClick={() => setFontSize((s) => Math.min(96, s + 4))} aria-label="larger">A+</button>
        </span>
        {offline ? <span className="projector-offline" data-testid="projector-offline">{t('present.disconnected')}</span> : null}
      </footer>
    </div>
  );
}
