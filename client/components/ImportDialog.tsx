import { useEffect, useRef, useState } from 'react';
import { CSV_COLUMNS } from '../../shared/schedule/columns.js';
import type { ScheduleIssue } from '../../shared/schedule/issues.js';
import type { ScheduleImportResult, UnscheduledChoice } from '../../shared/schedule/types.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n, type Translate } from '../i18n/i18n.js';
import { apiClient, ApiError } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';
import { timeRange } from '../lib/format.js';
import { Dialog } from './Dialog.js';
import { fieldLabel, issueLine, issuePlace } from './scheduleIssues.js';

function guessType(name: string, text: string): string {
  if (/\.ics$/i.test(name) || text.trimStart().startsWith('BEGIN:VCALENDAR')) return 'text/calendar';
  if (/\.json$/i.test(name) || /^\s*[{[]/.test(text)) return 'application/json';
  return 'text/csv';
}

/** The whole-file error in the UI language: the server's code decides, never its English. */
function errorHeadline(t: Translate, error: ApiError): string {
  if (error.code === 'invalid_schedule') {
    const n = error.details?.length ?? 0;
    return n === 1 ? t('import.error.invalid_schedule.one') : t('import.error.invalid_schedule.many', { n });
  }
  if (error.code === 'too_large' || error.code === 'unsupported_type' || error.code === 'too_many_sessions' || error.code === 'network') return t(`import.error.${error.code}`);
  // Anything else (a dead link, a missing role…) is an API error like any other.
  return errorMessage(error, t);
}

const HELP_KEYS: Partial<Record<string, MessageKey>> = {
  title: 'import.help.col.title',
  date: 'import.help.col.date',
  start: 'import.help.col.start',
  end: 'import.help.col.end',
  rooms: 'import.help.col.rooms',
  moderators: 'import.help.col.moderators',
  tags: 'import.help.col.tags',
};

/** The CSV columns with their Japanese names and the two sample files, for an organiser's first import. */
function ImportHelp({ tz }: { tz: string }) {
  const { t, lang } = useI18n();
  return (
    <details className="import-help" data-testid="import-help">
      <summary>{t('import.help.title')}</summary>
      <p>{t('import.help.columns')}</p>
      <table className="import-columns">
        <thead>
          <tr>
            <th scope="col">{t('import.help.header')}</th>
            <th scope="col">{t('import.help.japanese')}</th>
            <th scope="col">{t('import.help.meaning')}</th>
          </tr>
        </thead>
        <tbody>
          {CSV_COLUMNS.filter((c) => c.documented).map((c) => (
            <tr key={c.key}>
              <td><code>{c.header}</code></td>
              <td><code lang="ja">{c.ja}</code></td>
              <td>{HELP_KEYS[c.key] ? t(HELP_KEYS[c.key]!) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{t('import.help.more', { tz })}</p>
      <p className="import-samples">
        <a className="btn btn-secondary" data-testid="sample-csv" href={`/api/schedule/sample.csv?lang=${lang}`} download>
          {t('import.sample.csv')}
        </a>
        <a className="btn btn-secondary" data-testid="sample-ics" href={`/api/schedule/sample.ics?lang=${lang}&tz=${encodeURIComponent(tz)}`} download>
          {t('import.sample.ics')}
        </a>
      </p>
    </details>
  );
}

/**
 * Upload or paste a schedule, see a dry run (with every warning per row, and
 * a choice for rows without a start time), then apply it. Problems are
 * rendered from their codes in the UI language.
 */
export function ImportDialog({ eventRef, token, tz, onClose, onDone, initialFocus = 'file' }: { eventRef: string; token: string; tz: string; onClose: () => void; onDone: () => void; initialFocus?: 'file' | 'paste' }) {
  const { t, lang } = useI18n();
  // The empty event's "Paste a schedule" opens this dialog ready for pasting.
  const fileInput = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [preview, setPreview] = useState<ScheduleImportResult | null>(null);
  const [unscheduled, setUnscheduled] = useState<UnscheduledChoice>('import');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const textArea = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    (initialFocus === 'paste' ? textArea.current : fileInput.current)?.focus();
  }, [initialFocus]);
  const run = async (dryRun: boolean, choice = unscheduled) => {
    setError(null);
    setBusy(true);
    try {
      const r = await apiClient(token).importSchedule(eventRef, { body: text, type: guessType(name, text) }, { dryRun, unscheduled: choice });
      if (dryRun) setPreview(r);
      else onDone();
    } catch (err) {
      setPreview(null);
      setError(err instanceof ApiError ? err : new ApiError(0, 'network', String(err)));
    } finally {
      setBusy(false);
    }
  };
  const edited = () => {
    setPreview(null);
    setUnscheduled('import');
  };
  const more = (shown: number, total: number) => (total > shown ? <li className="muted">{t('import.more', { n: total - shown })}</li> : null);
  const from = (place: Pick<ScheduleIssue, 'row' | 'line' | 'path'>) => {
    const where = issuePlace(t, place);
    return where ? <span className="muted"> ({where})</span> : null;
  };
  return (
    <Dialog title={t('event.import')} onClose={onClose} wide testId="import-dialog">
      <p className="muted">{t('import.intro')}</p>
      <ImportHelp tz={tz} />
      <input
        ref={fileInput}
        type="file"
        data-testid="import-file"
        aria-label={t('event.import')}
        accept=".ics,.csv,.json,text/calendar,text/csv,application/json"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          setName(file.name);
          setError(null);
          void file.text().then((x) => {
            setText(x);
            edited();
          });
        }}
      />
      <label className="import-paste">
        {t('import.paste')}
        <textarea
          ref={textArea}
          rows={8}
          data-testid="import-text"
          value={text}
          placeholder="title,date,start,end,room,moderators,tags / タイトル,日付,開始,終了,部屋,モデレーター,タグ / BEGIN:VCALENDAR …"
          onChange={(e) => {
            setText(e.target.value);
            setName('');
            edited();
          }}
        />
      </label>
      {error ? (
        <div className="error" role="alert" data-testid="import-error">
          <p>{errorHeadline(t, error)}</p>
          <ul>
            {((error.details ?? []) as ScheduleIssue[]).slice(0, 20).map((d, i) => (
              <li key={i} data-code={d.code}>{issueLine(t, d)}</li>
            ))}
            {more(20, error.details?.length ?? 0)}
          </ul>
        </div>
      ) : null}
      {preview ? (
        <div className="import-preview" data-testid="import-preview">
          <p>
            <strong>{t('import.summary', { created: preview.created.length, updated: preview.updated.length, unchanged: preview.unchanged.length })}</strong>
          </p>
          <ul>
            {preview.created.slice(0, 10).map((s, i) => (
              <li key={i} data-testid="import-preview-created">
                + {s.title}
                {/* A recurring event is several sessions of one title: their date and time (the event's zone) tell them apart. */}
                {s.startsAt ? <span className="import-when"> · {timeRange(s, tz, lang)}</span> : null}
                {from(s)}
              </li>
            ))}
            {more(10, preview.created.length)}
            {preview.updated.slice(0, 10).map((s) => (
              <li key={s.id} data-testid="import-preview-updated">
                ~ {s.title}
                {s.startsAt ? <span className="import-when"> · {timeRange(s, tz, lang)}</span> : null} ({t('import.changed', { fields: s.changes.map((f) => fieldLabel(t, f)).join(', ') })})
              </li>
            ))}
            {more(10, preview.updated.length)}
          </ul>
          {preview.missing.length ? (
            <>
              <p>{t('import.missing', { n: preview.missing.length })}</p>
              <ul>
                {/* Those with notes first, marked: a session the new schedule dropped but people wrote in is what to check. */}
                {[...preview.missing].sort((a, b) => Number(b.hasNotes) - Number(a.hasNotes)).slice(0, 10).map((s) => (
                  <li key={s.id} data-testid="import-missing" data-has-notes={s.hasNotes ? 'true' : 'false'}>
                    {s.title}
                    {s.hasNotes ? <>{' '}<span className="badge">{t('import.missingHasNotes')}</span></> : null}
                  </li>
                ))}
                {more(10, preview.missing.length)}
              </ul>
            </>
          ) : null}
          {preview.warnings.length ? (
            <div className="import-warnings" data-testid="import-warnings">
              <p>{t('import.warnings')}</p>
              <ul>
                {preview.warnings.slice(0, 20).map((w, i) => (
                  <li key={i} data-code={w.code}>{issueLine(t, w)}</li>
                ))}
                {more(20, preview.warnings.length)}
              </ul>
            </div>
          ) : null}
          {preview.unscheduled.count > 0 ? (
            <fieldset className="import-unscheduled" data-testid="import-unscheduled">
              <legend>{t('import.unscheduled.title', { n: preview.unscheduled.count })}</legend>
              {(['import', 'skip'] as const).map((choice) => (
                <label key={choice} className="inline">
                  <input
                    type="radio"
                    name="unscheduled"
                    value={choice}
                    checked={unscheduled === choice}
                    disabled={busy}
                    onChange={() => {
                      setUnscheduled(choice);
                      void run(true, choice);
                    }}
                  />{' '}
                  {t(`import.unscheduled.${choice}`)}
                </label>
              ))}
              <button
                type="button"
                className="linklike"
                data-testid="import-fix"
                onClick={() => {
                  edited();
                  textArea.current?.focus();
                }}
              >
                {t('import.unscheduled.fix')}
              </button>
            </fieldset>
          ) : null}
        </div>
      ) : null}
      <div className="modal-actions">
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
        {preview ? (
          <button type="button" className="btn" data-testid="import-apply" disabled={busy} onClick={() => void run(false)}>
            {t('import.apply')}
          </button>
        ) : (
          <button type="button" className="btn" data-testid="import-preview-button" disabled={!text.trim() || busy} onClick={() => void run(true)}>
            {t('import.preview')}
          </button>
        )}
      </div>
    </Dialog>
  );
}
