import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Editor } from '@tiptap/react';
import type { ActionItemDto, ActionItemStatus } from '../../shared/schemas.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient, ApiError } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';
import { applyTick, openCount, undoTick } from './actionTick.js';
import { useBackOnline } from './useBackOnline.js';

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
 * notes, item deleted) or cannot be reached. The list shows the new state at
 * once; a tick that fails is taken back, and the refetch after the answer puts
 * the server's truth back. When the connection returns (the browser's `online`
 * event, or `reachable` turning true), the list is fetched again and an error
 * that only said the server could not be reached goes: the list then shows the
 * server's state. Call `synced()` after a successful fetch of the list: it
 * clears that error too.
 */
export function useStatusToggle(token: string, setItems: (f: (items: ActionItemDto[]) => ActionItemDto[]) => void, reachable = true) {
  const { t } = useI18n();
  const [tick, setTick] = useState(0);
  const [failure, setFailure] = useState<{ message: string; network: boolean } | null>(null);
  const toggle = useCallback(
    (id: string, status: ActionItemStatus) => {
      setFailure(null);
      setItems((items) => applyTick(items, id, status));
      apiClient(token).setActionItemStatus(id, status).then(
        () => setTick((x) => x + 1),
        (err: unknown) => {
          setItems((items) => undoTick(items, id, status));
          setFailure({ message: errorMessage(err, t), network: err instanceof ApiError && (err.status === 0 || err.code === 'network') });
          setTick((x) => x + 1);
        },
      );
    },
    [token, t, setItems],
  );
  const synced = useCallback(() => setFailure((f) => (f?.network ? null : f)), []);
  const back = useCallback(() => {
    synced();
    setTick((x) => x + 1);
  }, [synced]);
  useBackOnline(back, reachable);
  return { tick, error: failure?.message ?? null, toggle, synced };
}

/**
 * The session's action items, live; clicking one scrolls to its block in the notes.
 * `reachable`: the page's connection to the server is up (it is fetched again when that returns).
 */
export function ActionItemsPanel({ sessionId, token, version, editor, canEdit, reachable = true }: { sessionId: string; token: string; version: number; editor: Editor | null; canEdit: boolean; reachable?: boolean }) {
  const { t } = useI18n();
  const [items, setItems] = useState<ActionItemDto[]>([]);
  const { tick, error, toggle, synced } = useStatusToggle(token, setItems, reachable);
  useEffect(() => {
    let live = true;
    apiClient(token).sessionActionItems(sessionId).then(
      (r) => {
        if (!live) return;
        setItems(r.items);
        synced();
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [sessionId, token, version, tick, synced]);
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
        {t('session.actions.title')} <span className="count">{openCount(items)}</span>
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
