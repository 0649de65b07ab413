import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { canWriteNotes } from '../../shared/access.js';
import type { HistoryListDto, VersionDocDto, VersionSummary } from '../../shared/history/history.js';
import { AppHeader } from '../components/AppHeader.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ExportMenu } from '../components/ExportMenu.js';
import { LinkInvalidPage } from '../components/ConnectionBanner.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from '../lib/errorMessage.js';
import { formatDay, formatTime } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { useDocumentTitle } from '../lib/useDocumentTitle.js';
import { useEvent } from '../lib/useEvent.js';
import { ErrorPage } from '../pages/EventPage.js';
import { lastSeenRev, rememberSeenRev } from '../lib/seenRevision.js';
import { historyApi } from './historyApi.js';
import { historyColors, recolorAuthors, recolorDoc } from './authorColors.js';
import { AuthorLegend, SliderMarks, versionAuthors } from './TimesliderParts.js';
import { VersionView } from './VersionView.js';

type Compare = 'none' | 'now' | 'seen';
/** How often the list of versions is fetched again while the page is open (new edits become new positions). */
const REFRESH_MS = 4000;
const PLAY_STEP_MS = 700;
/** The session page's minutes formats; the action-item lists are left out, as they have no past versions. */
const MINUTES_FORMATS = ['md', 'html', 'txt', 'docx', 'pdf', 'json'];

/**
 * The timeslider (/e/<event>/s/<session>/history): every version of the
 * notes on one slider, read-only, with who wrote what; compare a version
 * with now (or with what this device saw last), restore it (whole or one
 * block) as a forward change, and name it. Keyboard: the slider takes
 * ← → Home End; blocks are picked with Tab and Enter.
 */
export function HistoryPage({ eventRef, sessionId, token }: { eventRef: string; sessionId: string; token: string | null }) {
  const { t, lang } = useI18n();
  const { event, error } = useEvent(eventRef, token);
  const api = useMemo(() => historyApi(sessionId, token), [sessionId, token]);
  const [list, setList] = useState<HistoryListDto | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const [view, setView] = useState<VersionDocDto | null>(null);
  /** Which position (and comparison) `view` was loaded for: until it matches, the shown version is the previous one. */
  const [viewFor, setViewFor] = useState('');
  const [showAuthors, setShowAuthors] = useState(true);
  const [compare, setCompare] = useState<Compare>('none');
  const [playing, setPlaying] = useState(false);
  const [block, setBlock] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [versionName, setVersionName] = useState('');
  /** The version a whole restore waits to be confirmed for: it replaces everyone's notes, live. */
  const [confirmRestore, setConfirmRestore] = useState<number | null>(null);
  const [revertName, setRevertName] = useState('');
  const [confirmRevert, setConfirmRevert] = useState<string | null>(null);
  const [seen] = useState(() => lastSeenRev(sessionId));
  const fetchNo = useRef(0);

  const session = event?.sessions.find((s) => s.id === sessionId) ?? null;
  const role = event?.role ?? null;
  const mayRestore = role !== null && session !== null && canWriteNotes(role, session);
  useDocumentTitle([session ? t('history.pageTitle', { title: session.title }) : null, event?.title]);

  const reload = useCallback(async () => {
    try {
      const next = await api.list();
      setList(next);
      setLoadError(null);
      rememberSeenRev(sessionId, next.latest);
    } catch (err) {
      setLoadError(err);
    }
  }, [api, sessionId]);

  useEffect(() => {
    if (!token) return;
    void reload();
    if (playing) return;
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload, playing, token]);

  // Oldest first, as the slider runs.
  const revs: VersionSummary[] = useMemo(() => (list ? [...list.versions].reverse() : []), [list]);
  const latest = list?.latest ?? 0;
  const current = picked ?? latest;
  const index = Math.max(0, revs.findIndex((v) => v.rev === current));
  const summary = revs[index];
  // The people (not the server's own writes) whose changes are in versions after the one shown: whom a moderator may undo.
  const laterPeople = useMemo(() => {
    const people = new Set((list?.people ?? []).filter((a) => a.kind === 'person').map((a) => a.name));
    return [...new Set(revs.filter((v) => v.rev > current).flatMap((v) => v.authors))].filter((name) => people.has(name));
  }, [list, revs, current]);
  const revertWho = laterPeople.includes(revertName) ? revertName : (laterPeople[0] ?? '');
  // Two people never share a colour here while there are colours to go round (the server gives what each one showed).
  // Kept as a string so a refresh of the list that changes nothing does not render the version again (and lose the focused block).
  const colorKey = useMemo(() => JSON.stringify([...historyColors(revs, list?.people ?? [], view?.authors ?? [])]), [revs, list, view]);
  const colors = useMemo(() => new Map<string, string>(JSON.parse(colorKey) as [string, string][]), [colorKey]);
  const shownDoc = useMemo(() => (view ? recolorDoc(view.doc, colors) : null), [view, colors]);

  useEffect(() => {
    if (!current) return;
    const no = ++fetchNo.current;
    const load =
      compare === 'now' && current !== latest ? api.version(latest, current) : compare === 'seen' && seen && seen !== current ? api.version(current, seen) : api.version(current);
    load.then(
      (v) => {
        if (no !== fetchNo.current) return;
        setView(v);
        setViewFor(`${current}:${compare}`);
      },
      (err: unknown) => {
        if (no === fetchNo.current) setActionError(errorMessage(err, t));
      },
    );
  }, [api, current, compare, latest, seen, t]);

  useEffect(() => {
    if (!playing) return;
    if (index >= revs.length - 1) {
      setPlaying(false);
      return;
    }
    const timer = setTimeout(() => setPicked(revs[index + 1]!.rev), PLAY_STEP_MS);
    return () => clearTimeout(timer);
  }, [playing, index, revs]);

  const goTo = (i: number) => {
    const v = revs[Math.min(revs.length - 1, Math.max(0, i))];
    if (!v) return;
    setPicked(v.rev === latest ? null : v.rev);
    setBlock(null);
  };

  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      setNotice(await work());
      await reload();
    } catch (err) {
      setActionError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  if (!token || (error && error.status === 401 && !event)) return <LinkInvalidPage eventRef={eventRef} header={<AppHeader />} />;
  if (error && !event) return <ErrorPage message={errorMessage(error, t)} />;
  const sessionPath = `/e/${encodeURIComponent(event?.slug ?? eventRef)}/s/${encodeURIComponent(sessionId)}`;
  const tz = event?.timezone ?? 'UTC';
  const when = (iso: string) => `${formatDay(iso, tz, lang)} ${formatTime(iso, tz, lang)}`;
  const shownAuthors = summary && list ? versionAuthors(summary.authors, list.people, t) : '';
  const valueText = summary ? t('history.position', { rev: summary.rev, latest, time: when(summary.at), authors: shownAuthors || '—' }) : '';
  const named = revs.filter((v) => v.named);

  return (
    <div className="page history-page">
      <AppHeader />
      <main className="history-layout">
        <nav className="crumbs">
          <a href={sessionPath} onClick={(e) => { e.preventDefault(); navigate(sessionPath); }}>
            ← {session?.title ?? t('history.backToNotes')}
          </a>
        </nav>
        <h1>{t('history.title')}</h1>
        {loadError ? (
          <p className="error" role="alert">{errorMessage(loadError, t)}</p>
        ) : !list ? (
          <p className="muted">{t('history.loading')}</p>
        ) : revs.length === 0 ? (
          <p className="muted" data-testid="history-empty">{t('history.empty')}</p>
        ) : (
          <>
            <section className="timeslider card" aria-label={t('history.slider')}>
              <div className="timeslider-row">
                <button type="button" className="btn btn-icon" aria-label={t('history.stepBack')} title={t('history.stepBack')} disabled={index === 0} onClick={() => goTo(index - 1)}>
                  ‹
                </button>
                <button type="button" className="btn btn-icon" data-testid="history-play" aria-label={playing ? t('history.pause') : t('history.play')} title={playing ? t('history.pause') : t('history.play')} onClick={() => {
                  if (!playing && index >= revs.length - 1) goTo(0);
                  setPlaying(!playing);
                }}>
                  {playing ? '❚❚' : '▶'}
                </button>
                <button type="button" className="btn btn-icon" aria-label={t('history.stepForward')} title={t('history.stepForward')} disabled={index >= revs.length - 1} onClick={() => goTo(index + 1)}>
                  ›
                </button>
                <div className="timeslider-track">
                  <input
                    type="range"
                    data-testid="history-slider"
                    min={0}
                    max={Math.max(0, revs.length - 1)}
                    step={1}
                    value={index}
                    aria-label={t('history.slider')}
                    aria-valuetext={valueText}
                    onChange={(e) => {
                      setPlaying(false);
                      goTo(Number(e.target.value));
                    }}
                  />
                  <SliderMarks count={revs.length} marks={revs.flatMap((v, i) => (v.named ? [{ at: i, name: v.named }] : []))} />
                </div>
              </div>
              <p className="timeslider-label" data-testid="history-position" aria-live="polite">
                <strong>{t('history.version', { rev: summary?.rev ?? 0 })}</strong> {summary?.named ? <span className="named-star">★ {summary.named}</span> : null} · {summary ? when(summary.at) : ''} · {shownAuthors || '—'}
              </p>
              {named.length ? (
                <div className="named-versions" aria-label={t('history.namedVersions')}>
                  {named.map((v) => (
                    <button key={v.rev} type="button" className="chip" onClick={() => goTo(revs.indexOf(v))}>
                      ★ {v.named} <span className="muted">v{v.rev}</span>
                    </button>
                  ))}
                </div>
              ) : null}
              <div className="timeslider-options">
                <label className="check">
                  <input type="checkbox" data-testid="history-show-authors" checked={showAuthors} onChange={(e) => setShowAuthors(e.target.checked)} /> {t('history.showAuthors')}
                </label>
                <label>
                  {t('history.compare')}{' '}
                  <select data-testid="history-compare" value={compare} onChange={(e) => setCompare(e.target.value as Compare)}>
                    <option value="none">{t('history.compare.none')}</option>
                    <option value="now">{t('history.compare.now')}</option>
                    {seen ? <option value="seen">{t('history.compare.seen', { rev: seen })}</option> : null}
                  </select>
                </label>
              </div>
            </section>
            <div className="history-body">
              <article className="card history-notes" aria-busy={viewFor !== `${current}:${compare}`} data-testid="history-notes">
                {view ? (
                  <VersionView doc={shownDoc} showAuthors={showAuthors} selectedBlock={block} onSelectBlock={setBlock} label={valueText} />
                ) : (
                  <p className="muted">{t('history.loading')}</p>
                )}
              </article>
              <aside className="history-side">
                {showAuthors && view ? <AuthorLegend authors={recolorAuthors(view.authors, colors)} title={view.diffFrom !== undefined ? t('history.changedBy') : t('history.authors')} /> : null}
                {compare !== 'none' ? (
                  <p className="small muted diff-legend">
                    <ins className="change-inserted">{t('history.inserted')}</ins> <del className="change-deleted">{t('history.deleted')}</del>
                  </p>
                ) : null}
                {mayRestore ? (
                  <div className="history-actions">
                    <button type="button" className="btn btn-primary" data-testid="history-restore" disabled={busy || current === latest} onClick={() => setConfirmRestore(current)}>
                      {t('history.restoreVersion', { rev: current })}
                    </button>
                    <button type="button" className="btn btn-secondary" data-testid="history-restore-block" disabled={busy || !block} onClick={() => void act(async () => {
                      const out = await api.restore(current, block!);
                      setBlock(null);
                      return t('history.restoredBlock', { rev: current, now: out.rev });
                    })}>
                      {t('history.restoreBlock')}
                    </button>
                    <p className="small muted">{block ? t('history.blockPicked') : t('history.pickBlock')}</p>
                  </div>
                ) : (
                  // A note-taker's link on locked notes: the lock, not the link, is what stops a restore.
                  <p className="small muted" data-testid="history-read-only">{session?.locked && role === 'edit' ? t('history.lockedReadOnly') : t('history.readOnly')}</p>
                )}
                {role === 'moderate' ? (
                  <form className="history-name" onSubmit={(e) => {
                    e.preventDefault();
                    const name = versionName.trim();
                    if (!name) return;
                    void act(async () => {
                      await api.name(current, name);
                      setVersionName('');
                      return t('history.namedDone', { rev: current, name });
                    });
                  }}>
                    <label htmlFor="version-name">{t('history.nameLabel', { rev: current })}</label>
                    <div className="row">
                      <input id="version-name" data-testid="history-name-input" value={versionName} maxLength={120} placeholder={t('history.namePlaceholder')} onChange={(e) => setVersionName(e.target.value)} />
                      <button type="submit" className="btn btn-secondary" disabled={busy || !versionName.trim()}>
                        {t('history.nameButton')}
                      </button>
                    </div>
                  </form>
                ) : null}
                {role === 'moderate' && summary && laterPeople.length > 0 ? (
                  <div className="history-revert" data-testid="history-revert">
                    <label htmlFor="revert-who">{t('history.revertLabel', { rev: current })}</label>
                    <p className="small muted">{t('history.revertHint')}</p>
                    <div className="row">
                      <select id="revert-who" data-testid="history-revert-who" value={revertWho} onChange={(e) => setRevertName(e.target.value)}>
                        {laterPeople.map((name) => (
                          <option key={name} value={name}>
                            {name}
                          </option>
                        ))}
                      </select>
                      <button type="button" className="btn btn-secondary" data-testid="history-revert-button" disabled={busy || !revertWho} onClick={() => setConfirmRevert(revertWho)}>
                        {t('history.revertButton', { name: revertWho })}
                      </button>
                    </div>
                  </div>
                ) : null}
                {confirmRevert !== null && summary ? (
                  <ConfirmDialog
                    title={t('history.revertConfirmTitle', { name: confirmRevert, rev: current })}
                    confirmLabel={t('history.revertButton', { name: confirmRevert })}
                    danger
                    testId="history-revert-confirm"
                    onCancel={() => setConfirmRevert(null)}
                    onConfirm={() => {
                      const name = confirmRevert;
                      // Just after the shown version's last change (the server goes back to the newest version that ended
                      // before `since`): the version shown and everything before it stay as they are.
                      const since = new Date(Date.parse(summary.at) + 1).toISOString();
                      setConfirmRevert(null);
                      void act(async () => {
                        const out = await api.revertAuthor(name, since);
                        setPicked(null);
                        setCompare('none');
                        return t('history.reverted', { name, n: out.reverted, now: out.rev });
                      });
                    }}
                  >
                    <p>{t('history.revertConfirm', { name: confirmRevert, rev: current, latest })}</p>
                  </ConfirmDialog>
                ) : null}
                {/* Any link may export (as on the session page); the server reads any version, named or not. */}
                <div className="history-export" data-testid="history-export">
                  <ExportMenu token={token} label={t('history.export', { rev: current })} items={MINUTES_FORMATS.map((f) => ({ format: f, path: `/api/sessions/${encodeURIComponent(sessionId)}/minutes?format=${f}&version=${current}` }))} />
                  <p className="small muted">{t('history.exportHint')}</p>
                </div>
                {confirmRestore !== null ? (
                  <ConfirmDialog
                    title={t('history.restoreConfirmTitle', { rev: confirmRestore })}
                    confirmLabel={t('history.restoreVersion', { rev: confirmRestore })}
                    danger
                    testId="history-restore-confirm"
                    onCancel={() => setConfirmRestore(null)}
                    onConfirm={() => {
                      const rev = confirmRestore;
                      setConfirmRestore(null);
                      void act(async () => {
                        const out = await api.restore(rev);
                        setPicked(null);
                        setCompare('none');
                        return t('history.restored', { rev, now: out.rev });
                      });
                    }}
                  >
                    <p>{t('history.restoreConfirm', { rev: confirmRestore, latest })}</p>
                  </ConfirmDialog>
                ) : null}
                {notice ? <p className="notice small" role="status" data-testid="history-notice">{notice}</p> : null}
                {actionError ? <p className="error small" role="alert">{actionError}</p> : null}
              </aside>
            </div>
          </>
        )}
      </main>
    </div>
  );
}
