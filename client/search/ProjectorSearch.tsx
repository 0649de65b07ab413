import { useCallback, useState } from 'react';
import { Dialog } from '../components/Dialog.js';
import { useI18n } from '../i18n/i18n.js';
import { SearchBox, useSlashToFocus } from './SearchBox.js';

/** The projector's search: `/` (or the button) opens it; a result opens that session's projector at the block. */
export function ProjectorSearch({ eventSlug, token, timeZone }: { eventSlug: string; token: string; timeZone: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  useSlashToFocus(useCallback(() => setOpen(true), []));
  return (
    <>
      <button type="button" data-testid="projector-search" onClick={() => setOpen(true)} title={t('search.placeholder')} aria-label={t('search.label')}>
        ⌕
      </button>
      {open ? (
        <Dialog title={t('search.label')} onClose={() => setOpen(false)} wide testId="projector-search-dialog">
          <SearchBox eventSlug={eventSlug} token={token} timeZone={timeZone} present autoFocus slashShortcut={false} onOpened={() => setOpen(false)} />
          <div className="row">
            <button type="button" className="btn btn-secondary" onClick={() => setOpen(false)}>
              {t('common.close')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
