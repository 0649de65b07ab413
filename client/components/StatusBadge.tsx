import type { CollabStatus } from '../collab/savedStatus.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/en.js';

const TONE: Record<CollabStatus, string> = {
  connecting: 'muted',
  syncing: 'muted',
  saving: 'busy',
  slow: 'warn',
  saved: 'ok',
  offline: 'warn',
  reconnecting: 'busy',
  readonly: 'ok',
  locked: 'warn',
  damaged: 'error',
  refused: 'error',
  revoked: 'error',
  unauthorized: 'error',
  gone: 'error',
  reload: 'error',
};

export function StatusBadge({ status }: { status: CollabStatus }) {
  const { t } = useI18n();
  return (
    <span className={`status status-${TONE[status]}`} data-testid="status" data-status={status} role="status" aria-live="polite">
      <span className="status-dot" aria-hidden="true" />
      {t(`session.status.${status}` as MessageKey)}
      {status === 'reload' ? (
        <button type="button" className="btn btn-small" onClick={() => window.location.reload()}>
          {t('session.status.reloadButton')}
        </button>
      ) : null}
    </span>
  );
}
