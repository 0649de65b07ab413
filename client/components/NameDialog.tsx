import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';

export function NameDialog({ initial, onDone, onCancel }: { initial: string; onDone: (name: string) => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(initial);
  return (
    <div className="modal-backdrop">
      <form
        className="modal"
        data-testid="name-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) onDone(name);
        }}
      >
        <h2>{t('session.name.title')}</h2>
        <p className="muted">{t('session.name.hint')}</p>
        <label>
          {t('session.name.label')}
          <input autoFocus data-testid="name-input" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
        </label>
        <div className="modal-actions">
          {onCancel ? (
            <button type="button" className="btn btn-secondary" onClick={onCancel}>
              {t('common.cancel')}
            </button>
          ) : null}
          <button type="submit" className="btn" data-testid="name-submit" disabled={!name.trim()}>
            {t('session.name.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
