import { useEffect, useMemo, useState } from 'react';
import type { ActionItemDto, SessionDto } from '../../shared/schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { apiFetch } from '../lib/api.js';
import { storedName } from '../lib/identity.js';

/** Every action item of the event, filterable, with status toggles. */
export function ActionBoard({ eventRef, token, sessions, version, canEdit }: { eventRef: string; token: string; sessions: SessionDto[]; version: number; canEdit: boolean }) {
  const { t } = useI18n();
  const [items, setItems] = useState<ActionItemDto[]>([]);
  const [owner, setOwner] = useState('');
  const [tag, setTag] = useState('');
  const [session, setSession] = useState('');
  const [status, setStatus] = useState<'' | 'open' | 'done'>('');
  const [overdue, setOverdue] = useState(false);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const q = new URLSearchParams();
    if (status) q.set('status', status);
    if (owner) q.set('owner', owner);
    if (tag) q.set('tag', tag);
    if (session) q.set('session', session);
    if (overdue) q.set('overdue', 'true');
    void apiFetch<{ items: ActionItemDto[] }>(`/api/events/${encodeURIComponent(eventRef)}/action-items?${q}`, { token }).then((r) => setItems(r.items));
  }, [eventRef, token, owner, tag, session, status, overdue, version, tick]);
  const titles = useMemo(() => new Map(sessions.map((s) => [s.id, s.title])), [sessions]);
  const owners = [...new Set(items.flatMap((i) => i.owners))].sort();
  const tags = [...new Set(items.flatMap((i) => i.tags))].sort();
  const me = storedName();
  return (
    <section className="card board" data-testid="action-board">
      <div className="board-filters">
        <select value={owner} onChange={(e) => setOwner(e.target.value)} aria-label={t('board.owner')}>
          <option value="">{t('board.owner')}: {t('board.all')}</option>
          {(owner && !owners.includes(owner) ? [owner, ...owners] : owners).map((o) => <option key={o}>{o}</option>)}
        </select>
        {me ? (
          <button type="button" className={`btn btn-secondary${owner === me ? ' is-active' : ''}`} onClick={() => setOwner(owner === me ? '' : me)}>
            {t('board.mine')}
          </button>
        ) : null}
        <select value={tag} onChange={(e) => setTag(e.target.value)} aria-label={t('board.tag')}>
          <option value="">{t('board.tag')}: {t('board.all')}</option>
          {tags.map((x) => <option key={x} value={x}>#{x}</option>)}
        </select>
        <select value={session} onChange={(e) => setSession(e.target.value)} aria-label={t('board.session')}>
          <option value="">{t('board.session')}: {t('board.all')}</option>
          {sessions.map((s) => <option key={s.id} value={s.id}>{s.title}</option>)}
        </select>
        <select value={status} onChange={(e) => setStatus(e.target.value as '' | 'open' | 'done')} aria-label={t('board.status')}>
          <option value="">{t('board.status')}: {t('board.all')}</option>
          <option value="open">{t('board.open')}</option>
          <option value="done">{t('board.done')}</option>
        </select>
        <label className="inline">
          <input type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} /> {t('board.overdue')}
        </label>
      </div>
      {items.length === 0 ? <p className="muted">{t('board.empty')}</p> : null}
      <ul className="action-list">
        {items.map((i) => (
          <li key={i.id} className={`action action-${i.status}`} data-testid="board-item">
            <input
              type="checkbox"
              checked={i.status === 'done'}
              disabled={!canEdit}
              aria-label={i.text}
              onChange={(e) => {
                void apiFetch(`/api/action-items/${i.id}`, { method: 'PATCH', token, body: { status: e.target.checked ? 'done' : 'open' } }).then(() => setTick((x) => x + 1));
              }}
            />
            <div>
              <div className="action-text">{i.text}</div>
              <div className="action-meta">
                {i.owners.map((o) => <span key={o} className="chip chip-owner">@{o}</span>)}
                {i.due ? <span className="chip chip-due">{t('session.actions.due', { date: i.due })}</span> : null}
                {i.tags.map((x) => <span key={x} className="chip chip-tag">#{x}</span>)}
                <span className="muted">{titles.get(i.sessionId)}</span>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
