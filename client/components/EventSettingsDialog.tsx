import { useMemo, useState } from 'react';
import { zoneChangeRows, type ZoneChangeRow } from '../../shared/eventZone.js';
import { EVENT_LANGUAGES, type EventDto, type EventLanguage, type EventWithSessionsDto } from '../../shared/schemas.js';
import { useI18n, type Translate } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';
import { timeRange } from '../lib/format.js';
import { timeZoneOptions } from '../lib/timeZones.js';
import { Dialog } from './Dialog.js';

/** "8 h earlier", "1 h 30 min later". */
function shiftText(minutes: number, t: Translate): string {
  const abs = Math.abs(minutes);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  const d = h && m ? t('settings.hoursMinutes', { h, m }) : h ? t('settings.hours', { h }) : t('settings.minutes', { m });
  return minutes < 0 ? t('settings.earlier', { d }) : t('settings.later', { d });
}

interface PreviewLine {
  id: string;
  title: string;
  before: string;
  after: string | null;
  shift: string | null;
}

/**
 * What the zone change does to each session, as the organiser will see it on
 * the schedule: keeping local times lists the sessions whose moment moves
 * (and by how much); keeping the moments lists the new local times.
 */
function previewLines(rows: ZoneChangeRow[], from: string, to: string, keepLocalTimes: boolean, lang: string, t: Translate): PreviewLine[] {
  const lines: PreviewLine[] = [];
  for (const r of rows) {
    const before = timeRange(r.before, from, lang);
    if (keepLocalTimes) {
      const minutes = Math.round((Date.parse(r.after.startsAt) - Date.parse(r.before.startsAt)) / 60_000);
      if (minutes !== 0) lines.push({ id: r.id, title: r.title, before, after: null, shift: shiftText(minutes, t) });
    } else {
      const after = timeRange(r.after, to, lang);
      if (after !== before) lines.push({ id: r.id, title: r.title, before, after, shift: null });
    }
  }
  return lines;
}

/**
 * Moderators rename the event, set its language and move it to another time
 * zone. Changing the zone shows, before anything is saved, what happens to
 * every session: either they keep their times on the schedule (the default:
 * the organiser typed them for the zone they meant) or they keep their
 * moments in time and show new local times.
 */
export function EventSettingsDialog({ event, token, onClose, onSaved }: { event: EventWithSessionsDto; token: string; onClose: () => void; onSaved: (e: EventDto) => void }) {
  const { t, lang } = useI18n();
  const [title, setTitle] = useState(event.title);
  const [timezone, setTimezone] = useState(event.timezone);
  const [language, setLanguage] = useState<EventLanguage>(event.language);
  const [keepLocalTimes, setKeepLocalTimes] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const zoneChanged = timezone !== event.timezone;
  const lines = useMemo(
    () => (zoneChanged ? previewLines(zoneChangeRows(event.sessions, event.timezone, timezone, keepLocalTimes), event.timezone, timezone, keepLocalTimes, lang, t) : []),
    [zoneChanged, event.sessions, event.timezone, timezone, keepLocalTimes, lang, t],
  );
  const changed = title.trim() !== event.title || zoneChanged || language !== event.language;

  const save = () => {
    setBusy(true);
    setError(null);
    const body = {
      ...(title.trim() !== event.title ? { title } : {}),
      ...(zoneChanged ? { timezone, keepLocalTimes } : {}),
      ...(language !== event.language ? { language } : {}),
    };
    apiClient(token).patchEvent(event.slug, body).then(
      (saved) => onSaved(saved),
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };

  return (
    <Dialog title={t('event.settings')} onClose={onClose} wide testId="event-settings">
      <form
        className="event-settings"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label>
          {t('settings.eventTitle')}
          <input data-testid="settings-title" required maxLength={300} value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <div className="row">
          <label>
            {t('settings.timezone')}
            <select data-testid="settings-timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)}>
              {timeZoneOptions(event.timezone).map((z) => (
                <option key={z}>{z}</option>
              ))}
            </select>
          </label>
          <label>
            {t('settings.language')}
            <select data-testid="settings-language" value={language} onChange={(e) => setLanguage(e.target.value as EventLanguage)}>
              {EVENT_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`settings.language.${l}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="muted small">{t('settings.languageHelp')}</p>
        {zoneChanged ? (
          <fieldset className="zone-change" data-testid="zone-change">
            <legend>{t('settings.zoneChange', { from: event.timezone, to: timezone })}</legend>
            <label className="choice">
              <input type="radio" name="zone-mode" data-testid="keep-local-times" checked={keepLocalTimes} onChange={() => setKeepLocalTimes(true)} />
              <span>
                <strong>{t('settings.keepLocal')}</strong>
                <span className="muted small">{t('settings.keepLocalHelp', { to: timezone })}</span>
              </span>
            </label>
            <label className="choice">
              <input type="radio" name="zone-mode" data-testid="keep-instants" checked={!keepLocalTimes} onChange={() => setKeepLocalTimes(false)} />
              <span>
                <strong>{t('settings.keepInstant')}</strong>
                <span className="muted small">{t('settings.keepInstantHelp')}</span>
              </span>
            </label>
            {lines.length ? (
              <>
                <p className="small">{keepLocalTimes ? t('settings.previewLocal') : t('settings.previewInstant')}</p>
                <ul className="zone-preview" data-testid="zone-preview">
                  {lines.map((l) => (
                    <li key={l.id} data-testid="zone-preview-row">
                      <span className="zone-preview-title">{l.title}</span>
                      <span className="zone-preview-times">
                        {l.before}
                        {l.after ? ` → ${l.after}` : ''}
                        {l.shift ? <span className="muted"> · {l.shift}</span> : null}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p className="muted small" data-testid="zone-preview-empty">
                {t('settings.noMoves')}
              </p>
            )}
          </fieldset>
        ) : null}
        {error ? (
          <p className="error" role="alert" data-testid="settings-error">
            {errorMessage(error, t)}
          </p>
        ) : null}
        <div className="modal-actions">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn" data-testid="settings-save" disabled={busy || !changed || !title.trim()}>
            {busy ? t('settings.saving') : t('settings.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
