import { useI18n } from '../i18n/i18n.js';
import type { ApiError } from '../lib/api.js';

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

/** The server's reasons are English; what kind of problem it is, is said in the reader's language. */
export function ImportErrorBox({ error }: { error: ApiError }) {
  const { t } = useI18n();
  const known: Partial<Record<string, string>> = {
    network: t('error.network'),
    unsupported_type: t('notesImport.error.unsupported'),
    too_large: t('notesImport.error.tooLarge'),
    locked: t('actions.error.locked'),
  };
  const invalid = error.code === 'invalid_import' || error.code === 'invalid_zip';
  return (
    <div className="error" role="alert" data-testid="notes-import-error">
      <p>{known[error.code] ?? (invalid ? `${t('notesImport.error.invalid')} ${error.message}` : error.message)}</p>
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
