import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import type { DeletedSession } from '../lib/pendingUndo.js';

const SHOW_MS = 20_000;

/**
 * "“Title” was deleted. [Undo]": undoing brings the session back with its notes.
 * One per deletion (the schedule stacks them), each with its own timer; `onDone` gets the session's id.
 */
export function UndoToast({ deleted, token, onDone }: { deleted: DeletedSession; token: string; onDone: (id: string) => void }) {
  const { t } = useI18n();
  const [state, setState] = useState<'deleted' | 'busy' | 'restored' | 'failed'>('deleted');
  useEffect(() => {
    const id = setTimeout(() => onDone(deleted.id), state === 'restored' ? 4000 : SHOW_MS);
    return () => clearTimeout(id);
  }, [state, onDone, deleted.id]);
  return (
    <div className="toast" role="status" aria-live="polite" data-testid="undo-toast" data-session-id={deleted.id}>
      <span>{state === 'restored' ? t('session.restored', { title: deleted.title }) : state === 'failed' ? t('session.undoFailed') : t('session.deleted', { title: deleted.title })}</span>
      {state === 'deleted' || state === 'failed' || state === 'busy' ? (
        <button
          type="button"
          className="btn btn-small"
          data-testid="undo-delete"
          disabled={state === 'busy'}
          onClick={() => {
            setState('busy');
            apiClient(token).undeleteSession(deleted.id).then(
              () => setState('restored'),
              () => setState('failed'),
            );
          }}
        >
          {t('session.undo')}
        </button>
      ) : null}
      <button type="button" className="toast-close" aria-label={t('common.close')} onClick={() => onDone(deleted.id)}>
        ×
      </button>
    </div>
  );
}
