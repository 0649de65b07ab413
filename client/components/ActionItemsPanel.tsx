import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Editor } from '@tiptap/react';
import type { ActionItemDto, ActionItemStatus } from '../../shared/schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';

/** Owner, due-date and tag chips of one item, as the editor shows them. */
export function ActionMeta({ item, overdue = false, children }: { item: ActionItemDto; overdue?: boolean; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <span className="action-meta">
      {item.owners.map((o) => (
        <span key={o} className="chip chip-owner">
          @{o}
        </span>
      ))}
      {item.due ? <span className={`chip chip-due${overdue ? ' chip-overdue' : ''}`}>{overdue ? t('board.overdueOn', { date: item.due }) : t('session.actions.due', { date: item.due })}</span> : null}
      {item.tags.map((x) => (
        <span key={x} className="chip chip-tag">
          #{x}
        </span>
      ))}
      {children}
    </span>
  );
}

/**
 * PATCHes an item's status and says why when the server refuses (locked
 * notes, item deleted). The list shows the new state at once; the refetch
 * after the answer puts the server's truth back.
 */
export function useStatusToggle(token: string, setItems: (f: (items: ActionItemDto[]) => ActionItemDto[]) => void) {
  const { t } = useI18n();
  const [tick, setTick] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const toggle = useCallback(
    (id: string, status: ActionItemStatus) => {
      setError(null);
      setItems((items) => items.map((i) => (i.id === id ? { ...i, status } : i)));
      apiClient(token).setActionItemStatus(id, status).then(
        () => setTick((x) => x + 1),
        (err: unknown) => {
          setError(errorMessage(err, t));
          setTick((x) => x + 1);
        },
      );
    },
    [token, t, setItems],
  );
  return { tick, error, toggle };
}

/** The session's action items, live; clicking one scrolls to its block in the notes. */
export function ActionItemsPanel({ sessionId, token, version, editor, canEdit }: { sessionId: string; token: string; version: number; editor: Editor | null; canEdit: boolean }) {
  const { t } = useI18n();
  const [items, setItems] = useState<ActionItemDto[]>([]);
  const { tick, error, toggle } = useStatusToggle(token, setItems);
  useEffect(() => {
    let live = true;
    apiClient(token).sessionActionItems(sessionId).then(
      (r) => live && setItems(r.items),
      () => {},
    );
    return () => {
      live = false;
    };
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
      {error ? (
        <p className="error small" role="alert">
          {error}
        </p>
      ) : null}
      <ul className="action-list compact">
        {items.map((i) => (
          <li key={i.id} className={`action action-${i.status}`} data-testid="panel-item" data-action-item-id={i.id}>
            <input type="checkbox" checked={i.status === 'done'} disabled={!canEdit} aria-label={i.text} onChange={(e) => toggle(i.id, e.target.checked ? 'done' : 'open')} />
            {/* The line as written already names its owner and due date: no chips that say it twice. */}
            <button type="button" className="linklike" onClick={() => scrollTo(i.id)}>
              <span className="action-text">{i.text}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
