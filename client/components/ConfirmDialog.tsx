import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { Dialog } from './Dialog.js';

/** A yes/no question in the one native dialog: focus moves in, Escape or Cancel says no, focus goes back. */
export function ConfirmDialog({ title, children, confirmLabel, danger = false, onConfirm, onCancel, testId }: { title: ReactNode; children?: ReactNode; confirmLabel: string; danger?: boolean; onConfirm: () => void; onCancel: () => void; testId?: string }) {
  const { t } = useI18n();
  return (
    <Dialog title={title} onClose={onCancel} testId={testId}>
      {children}
      <div className="modal-actions">
        <button type="button" className="btn btn-secondary" onClick={onCancel} data-testid="confirm-cancel">
          {t('common.cancel')}
        </button>
        <button type="button" className={`btn${danger ? ' btn-danger' : ''}`} onClick={onConfirm} data-testid="confirm-ok">
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
