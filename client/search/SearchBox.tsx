import { roomsText } from '../../shared/sessionFields.js';
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { SearchResultDto } from '../../shared/search/types.js';
import { useI18n } from '../i18n/i18n.js';
import { errorMessage } from '../lib/errorMessage.js';
import { timeRange } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { Highlighted } from './Highlighted.js';
import { targetPath } from './searchTarget.js';
import { useSearch } from './useSearch.js';

interface Props {
  eventSlug: string;
  token: string;
  timeZone: string;
  /** Results open the projector of their session instead of the session page. */
  present?: boolean;
  autoFocus?: boolean;
  /** Called after a result was opened (a dialog closes itself). */
  onOpened?: () => void;
  /** `/` anywhere on the page focuses this box. */
  slashShortcut?: boolean;
}

/** True when a key press belongs to something people type into. */
function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea, select, [contenteditable="true"]') !== null);
}

/** `/` focuses the search box, unless someone is typing somewhere. */
export function useSlashToFocus(focus: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target)) return;
      e.preventDefault();
      focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focus]);
}

function groups(results: readonly SearchResultDto[]): SearchResultDto[][] {
  const out: SearchResultDto[][] = [];
  for (const r of results) {
    const last = out[out.length - 1];
    if (last && last[0]!.sessionId === r.sessionId) last.push(r);
    else out.push([r]);
  }
  return out;
}

/**
 * Search every session's notes, titles, moderators and action items of the
 * event, live as you type. Results come grouped by session; each opens the
 * session at its block.
 */
export function SearchBox({ eventSlug, token, timeZone, present = false, autoFocus = false, onOpened, slashShortcut = true }: Props) {
  const { t, lang } = useI18n();
  const [input, setInput] = useState('');
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const listId = useId();
  const state = useSearch(eventSlug, token, input);
  const results = state.response?.results ?? [];
  const showing = open && input.trim() !== '';
  useSlashToFocus(
    useCallback(() => {
      if (slashShortcut) field.current?.focus();
    }, [slashShortcut]),
  );

  useEffect(() => {
    if (!showing) return;
    const onPointer = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [showing]);

  const links = () => [...(root.current?.querySelectorAll<HTMLAnchorElement>('a.search-hit') ?? [])];
  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === 'Escape') {
      if (input) setInput('');
      else field.current?.blur();
      field.current?.focus();
      setOpen(false);
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const all = links();
    if (all.length === 0) return;
    e.preventDefault();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    const next = e.key === 'ArrowDown' ? Math.min(all.length - 1, at + 1) : at - 1;
    if (next < 0) field.current?.focus();
    else all[next]!.focus();
  };

  const status = state.error
    ? errorMessage(state.error, t)
    : state.loading && !state.response
      ? t('search.searching')
      : state.response && state.query
        ? results.length === 0
          ? t('search.none', { q: state.query })
          : state.response.truncated
            ? t('search.truncated', { n: results.length })
            : results.length === 1
              ? t('search.count1')
              : t('search.count', { n: results.length })
        : '';

  return (
    <div className="search" ref={root} onKeyDown={onKeyDown} data-testid="search">
      <input
        ref={field}
        type="search"
        className="search-input"
        role="combobox"
        aria-autocomplete="list"
        data-testid="search-input"
        value={input}
        autoFocus={autoFocus}
        maxLength={200}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        aria-controls={listId}
        aria-expanded={showing}
        aria-describedby={`${listId}-help`}
        enterKeyHint="search"
        onFocus={() => setOpen(true)}
        onChange={(e) => {
          setInput(e.target.value);
          setOpen(true);
        }}
      />
      <span id={`${listId}-help`} className="visually-hidden">
        {t('search.help')}
      </span>
      {showing ? (
        <div className="search-panel" id={listId} data-testid="search-results" aria-busy={state.loading}>
          <p className={`search-status${state.error ? ' error' : ''}`} role="status" data-testid="search-status">
            {status}
          </p>
          {groups(results).map((hits) => {
            const s = hits[0]!;
            const when = timeRange(s, timeZone, lang);
            return (
              <section key={s.sessionId} className="search-group" data-testid="search-group">
                <h3>
                  <span className="search-session">{s.sessionTitle}</span>
                  {s.rooms.length || when ? <span className="muted small"> {[roomsText(s.rooms), when].filter(Boolean).join(' · ')}</span> : null}
                </h3>
                <ul>
                  {hits.map((r) => {
                    const path = targetPath(eventSlug, r, present);
                    return (
                      <li key={`${r.kind}:${r.blockId ?? ''}`}>
                        <a
                          className="search-hit"
                          data-testid="search-hit"
                          href={path + window.location.hash}
                          onClick={(e) => {
                            if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
                            e.preventDefault();
                            setOpen(false);
                            navigate(path);
                            onOpened?.();
                          }}
                        >
                          <span className="search-meta">
                            {r.kind === 'title' ? <span className="chip chip-plain">{t('search.inTitle')}</span> : null}
                            {r.kind === 'moderators' ? <span className="chip chip-plain">{t('search.inModerators')}</span> : null}
                            {r.isActionItem ? (
                              <span className={`chip chip-action chip-${r.status ?? 'open'}`}>
                                {t('search.actionItem')}
                                {r.status ? ` · ${t(`search.status.${r.status}`)}` : ''}
                              </span>
                            ) : null}
                            {r.heading ? <span className="search-heading">{t('search.under', { heading: r.heading })}</span> : null}
                          </span>
                          <span className="search-snippet">
                            <Highlighted text={r.snippet} ranges={r.highlights} />
                          </span>
                        </a>
                      </li>
                    );
                  })}
                </ul>
              </section>
            );
          })}
          {results.length === 0 && !state.loading ? <p className="muted small search-help">{t('search.help')}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
