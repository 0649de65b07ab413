import { useId, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { Dialog } from './Dialog.js';

/**
 * Asks for the display name. Note-takers need one to write (it names their
 * caret and their line in the minutes); a reader is asked only when they
 * choose to appear in "Here now". Escape or Cancel closes it either way.
 */
export function NameDialog({
  initial,
  onDone,
  onCancel,
  reader = false,
  words,
}: {
  initial: string;
  onDone: (name: string) => void;
  onCancel: () => void;
  reader?: boolean;
  /** Another purpose's title, hint and button (the action board asks whose items are "mine"). */
  words?: { title: string; hint: string; submit: string };
}) {
  const { t } = useI18n();
  const [name, setName] = useState(initial);
  const inputId = useId();
  const hintId = useId();
  return (
    <Dialog title={words?.title ?? (reader ? t('session.name.readerTitle') : t('session.name.title'))} onClose={onCancel} testId="name-dialog">
      <form
        className="modal-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) onDone(name);
        }}
      >
        <p className="muted" id={hintId}>
          {words?.hint ?? (reader ? t('session.name.readerHint') : t('session.name.hint'))}
        </p>
        <label htmlFor={inputId}>{t('session.name.label')}</label>
        <input id={inputId} autoFocus data-testid="name-input" value={name} maxLength={60} aria-describedby={hintId} onChange={(e) => setName(e.target.value)} />
        <div className="modal-actions">
          <button type="button" className="btn btn-secondary" data-testid="name-cancel" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn" data-testid="name-submit" disabled={!name.trim()}>
            {words?.submit ?? (reader ? t('session.name.readerSubmit') : t('session.name.submit'))}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
