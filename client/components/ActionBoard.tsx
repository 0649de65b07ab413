import { useCallback, useEffect, useMemo, useState } from 'react';
import { canWriteNotes } from '../../shared/access.js';
import { tagKey } from '../../shared/actionItems/normalize.js';
import { ownerKey } from '../../shared/actionItems/owners.js';
import type { Role } from '../../shared/roles.js';
import type { ActionItemDto, SessionDto } from '../../shared/schemas.js';
import { sessionLocalDate } from '../lib/format.js';
import { navigate, sessionTargetPath } from '../lib/router.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import { saveName, storedName } from '../lib/identity.js';
import { NameDialog } from './NameDialog.js';
import { ActionMeta, useStatusToggle } from './ActionItemsPanel.js';

interface Props {
  eventRef: string;
  token: string;
  sessions: SessionDto[];
  version: number;
  /** The link's role: ticking writes into the notes, so it follows the notes' own rule (moderators also tick in locked sessions). */
  role: Role;
  /** The event's time zone: "overdue" is judged by its calendar date, like the server's filter. */
  timeZone?: string;
}

/** Every action item of the event, filterable, with status toggles. */
export function ActionBoard({ eventRef, token, sessions, version, role, timeZone = 'UTC' }: Props) {
  const { t } = useI18n();
  const [all, setAll] = useState<ActionItemDto[]>([]);
  const [items, setItems] = useState<ActionItemDto[] | null>(null);
  const [owner, setOwner] = useState('');
  const [tag, setTag] = useState('');
  const [session, setSession] = useState('');
  const [status, setStatus] = useState<'' | 'open' | 'done'>('');
  const [overdue, setOverdue] = useState(false);
  const showStatus = useCallback((f: (items: ActionItemDto[]) => ActionItemDto[]) => setItems((items) => (items ? f(items) : items)), []);
  const { tick, error, toggle } = useStatusToggle(token, showStatus);
  const base = `/api/events/${encodeURIComponent(eventRef)}/action-items`;

  // The filter choices come from every item, so choosing one owner does not hide the others.
  useEffect(() => {
    let live = true;
    apiClient(token).eventActionItems(eventRef).then(
      (r) => live && setAll(r.items),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [base, token, version, tick]);

  useEffect(() => {
    let live = true;
    apiClient(token)
      .eventActionItems(eventRef, { status: status || undefined, owner: owner || undefined, tag: tag || undefined, session: session || undefined, overdue: overdue || undefined }).then(
      (r) => live && setItems(r.items),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [base, token, owner, tag, session, status, overdue, version, tick]);

  const byId = useMemo(() => new Map(sessions.map((s) => [s.id, s])), [sessions]);
  const owners = useMemo(() => {
    const seen = new Map<string, string>();
    for (const o of all.flatMap((i) => i.owners)) if (!seen.has(ownerKey(o))) seen.set(ownerKey(o), o);
    return [...seen.values()].sort((a, b) => a.localeCompare(b));
  }, [all]);
  // A session's tags are its working groups: the server's tag filter matches its items too, so they are choices here.
  const tags = useMemo(() => {
    return [...new Set(all.flatMap((i) => [...i.tags, ...(byId.get(i.sessionId)?.tags ?? [])]).map(tagKey))].filter(Boolean).sort();
  }, [all, byId]);
  const today = sessionLocalDate(new Date().toISOString(), timeZone);
  const itemPath = (i: ActionItemDto) => sessionTargetPath(eventRef, i.sessionId, { actionItemId: i.id, text: i.text });
  // The owner as the list spells it ("hana" for a name saved as "Hana"), so the select shows it chosen.
  const listedOwner = (name: string) => owners.find((o) => ownerKey(o) === ownerKey(name)) ?? name;
  // Kept in state: a name given here (below) must show at once.
  const [me, setMe] = useState(storedName);
  const [askingName, setAskingName] = useState(false);
  const mine = me !== null && owner !== '' && ownerKey(owner) === ownerKey(me);

  return (
    <section className="card board" data-testid="action-board">
      <div className="board-filters">
        <select value={owner} onChange={(e) => setOwner(e.target.value)} aria-label={t('board.owner')} data-testid="board-owner">
          <option value="">{t('board.owner')}: {t('board.all')}</option>
          {(owner && !owners.some((o) => ownerKey(o) === ownerKey(owner)) ? [owner, ...owners] : owners).map((o) => (
            <option key={o} value={o}>
              @{o}
            </option>
          ))}
        </select>
        {/* Without a name on this device yet (nobody asked: no notes taken here), My items asks for it first. */}
        <button
          type="button"
          className={`btn btn-secondary${mine ? ' is-active' : ''}`}
          aria-pressed={mine}
          data-testid="board-mine"
          title={me ?? undefined}
          onClick={() => (me ? setOwner(mine ? '' : listedOwner(me)) : setAskingName(true))}
        >
          {t('board.mine')}
        </button>
        {askingName ? (
          <NameDialog
            initial=""
            words={{ title: t('board.name.title'), hint: t('board.name.hint'), submit: t('board.name.submit') }}
            onCancel={() => setAskingName(false)}
            onDone={(name) => {
              const saved = saveName(name);
              setMe(saved);
              setAskingName(false);
              setOwner(listedOwner(saved));
            }}
          />
        ) : null}
        <select value={tag} onChange={(e) => setTag(e.target.value)} aria-label={t('board.tag')} data-testid="board-tag">
          <option value="">{t('board.tag')}: {t('board.all')}</option>
          {tags.map((x) => (
            <option key={x} value={x}>
              #{x}
            </option>
          ))}
        </select>
        <select value={session} onChange={(e) => setSession(e.target.value)} aria-label={t('board.session')} data-testid="board-session">
          <option value="">{t('board.session')}: {t('board.all')}</option>
          {sessions.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </select>
        <select value={status} onChange={(e) => setStatus(e.target.value as '' | 'open' | 'done')} aria-label={t('board.status')} data-testid="board-status">
          <option value="">{t('board.status')}: {t('board.all')}</option>
          <option value="open">{t('board.open')}</option>
          <option value="done">{t('board.done')}</option>
        </select>
        <label className="inline">
          <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="board-overdue" /> {t('board.overdue')}
        </label>
      </div>
      {error ? (
        <p className="error small" role="alert">
          {error}
        </p>
      ) : null}
      {items !== null && items.length === 0 ? <p className="muted">{t('board.empty')}</p> : null}
      <ul className="action-list">
        {(items ?? []).map((i) => {
          const s = byId.get(i.sessionId);
          const mayTick = canWriteNotes(role, s ?? { locked: false });
          const locked = Boolean(s?.locked) && !mayTick;
          const late = i.status === 'open' && i.due !== null && today !== null && i.due < today;
          return (
            <li key={i.id} className={`action action-${i.status}${late ? ' action-overdue' : ''}`} data-testid="board-item" data-action-item-id={i.id}>
              <input
                type="checkbox"
                checked={i.status === 'done'}
                disabled={!mayTick}
                title={locked ? t('event.locked') : undefined}
                aria-label={i.text}
                onChange={(e) => toggle(i.id, e.target.checked ? 'done' : 'open')}
              />
              <div>
                <div className="action-text">{i.text}</div>
                <ActionMeta item={i} overdue={late}>
                  {/* Opens the session at the item's line, highlighted, as a search result does. */}
                  <a
                    className="action-session"
                    data-testid="board-item-link"
                    href={itemPath(i) + window.location.hash}
                    onClick={(e) => {
                      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
                      e.preventDefault();
                      navigate(itemPath(i));
                    }}
                  >
                    {s?.title}
                  </a>
                </ActionMeta>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
