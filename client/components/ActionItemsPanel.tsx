import { useEffect, useState } from 'react';
import type { Editor } from '@tiptap/react';
import type { ActionItemDto } from '../../shared/schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { apiFetch } from '../lib/api.js';

/** The session's action items, live; clicking one scrolls to its block in the notes. */
export function ActionItemsPanel({ sessionId, token, version, editor, canEdit }: { sessionId: string; token: string; version: number; editor: Editor | null; canEdit: boolean }) {
  const { t } = useI18n();
  const [items, setItems] = useState<ActionItemDto[]>([]);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    apiFetch<{ items: ActionItemDto[] }>(`/api/sessions/${sessionId}/action-items`, { token }).then(
      (r) => setItems(r.items),
      () => {},
    );
  }, [sessionId, token, version, tick]);
  const scrollTo = (id: string) => {
    const el = editor?.view.dom.querySelector(`[data-action-item-id="${CSS.escape(id)}"]`);
    if (el instanceof HTMLElement) {
      el.scrollIntoView({ behavior: 'smooth', block: 'center' });
      el.classList.add('flash');
      setTimeout(() => el.classList.remove('flash'), 1200);
    }
  };
  return (
    <section className="side-card" data-testid="action-panel">
      <h2>
        {t('session.actions.title')} <span className="count">{items.filter((i) => i.status === 'open').length}</span>
      </h2>
      {items.length === 0 ? <p className="muted small">{t('session.actions.empty')}</p> : null}
      <ul className="action-list compact">
        {items.map((i) => (
          <li key={i.id} className={`action action-${i.status}`} data-testid="panel-item">
            <input
              type="checkbox"
              checked={i.status === 'done'}
              disabled={!canEdit}
              aria-label={i.text}
              onChange={(e) => void apiFetch(`/api/action-items/${i.id}`, { method: 'PATCH', token, body: { status: e.target.checked ? 'done' : 'open' } }).then(() => setTick((x) => x + 1))}
            />
            <button type="button" className="linklike" onClick={() => scrollTo(i.id)}>
              <span className="action-text">{i.text}</span>
              <span className="action-meta">
                {i.owners.map((o) => <span key={o} className="chip chip-owner">@{o}</span>)}
                {i.due ? <span className="chip chip-due">{t('session.actions.due', { date: i.due })}</span> : null}
                {i.tags.map((x) => <span key={x} className="chip chip-tag">#{x}</span>)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
