import { useI18n } from '../i18n/i18n.js';
import type { ApiError } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';

export type ImportMode = 'append' | 'replace';

/** Append or replace, with what replace means said where it is chosen. */
export function ModeChoice({ mode, onChange }: { mode: ImportMode; onChange: (m: ImportMode) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="import-mode">
      <legend>{t('notesImport.mode')}</legend>
      {(['append', 'replace'] as const).map((m) => (
        <label key={m} className="inline">
          <input type="radio" name="import-mode" value={m} checked={mode === m} data-testid={`import-mode-${m}`} onChange={() => onChange(m)} /> {t(`notesImport.mode.${m}`)}
        </label>
      ))}
      {mode === 'replace' ? <p className="muted small">{t('notesImport.replaceHint')}</p> : null}
    </fieldset>
  );
}

/** What kind of problem it is, in the reader's language; a damaged file's own reasons (English) are listed below it. */
export function ImportErrorBox({ error }: { error: ApiError }) {
  const { t } = useI18n();
  const invalid = error.code === 'invalid_import' || error.code === 'invalid_zip';
  return (
    <div className="error" role="alert" data-testid="notes-import-error">
      <p>{errorMessage(error, t)}</p>
      {invalid && error.details?.length ? (
        <ul>
          {error.details.slice(0, 10).map((d, i) => (
            <li key={i}>
              {d.path ? `${d.path}: ` : ''}
              {d.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
