import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import { CopyField } from './CopyField.js';
import { Dialog } from './Dialog.js';

/** The event's calendar feed address (always with the view key), to paste into a calendar app. */
export function CalendarSubscribe({ eventRef, token }: { eventRef: string; token: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState<{ url: string; webcal: string } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!open || link) return;
    apiClient(token).calendarLink(eventRef).then(setLink, () => setFailed(true));
  }, [open, link, eventRef, token]);
  return (
    <>
      {/* A phone shows the short label, so the button fits on the day tabs' row (the visible word stays inside the accessible name). */}
      <button type="button" className="btn btn-secondary calendar-subscribe" data-testid="calendar-subscribe" aria-label={t('event.calendar.subscribe')} onClick={() => setOpen(true)}>
        <span className="label-full">{t('event.calendar.subscribe')}</span>
        <span className="label-short">{t('event.calendar.short')}</span>
      </button>
      {open ? (
        <Dialog title={t('event.calendar.title')} onClose={() => setOpen(false)} testId="calendar-dialog">
          <p className="muted">{t('event.calendar.help')}</p>
          {link ? <CopyField value={link.url} label={t('event.calendar.title')} testId="calendar-url" /> : failed ? <p className="error">{t('common.error')}</p> : <p>{t('common.loading')}</p>}
          <div className="modal-actions">
            <button type="button" className="btn btn-secondary" onClick={() => setOpen(false)}>
              {t('common.close')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
