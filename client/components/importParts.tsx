import { isNotesImportProblem, type NotesImportProblem } from '../../shared/notesImport/importProblem.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n, type Translate } from '../i18n/i18n.js';
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

// A problem code without a message does not compile.
type Covered<K extends string> = [K] extends [MessageKey] ? true : never;
export const EVERY_IMPORT_PROBLEM_HAS_A_MESSAGE: Covered<`notesImport.problem.${NotesImportProblem}`> = true;

/** A problem code in the reader's language; a code this client does not know (a newer server) is said generally. */
function problemText(t: Translate, code: unknown, n: number): string {
  return isNotesImportProblem(code) ? t(`notesImport.problem.${code}`, { n }) : t('notesImport.problem.unknown');
}

/** The parser's own words, small and marked as English: useful to whoever repairs the file, not needed to act. */
function Detail({ path, detail }: { path?: string; detail?: string | number }) {
  const { t } = useI18n();
  const text = [path, detail].filter((x) => x !== undefined && x !== '').join(': ');
  if (!text) return null;
  return (
    <p className="muted small" data-testid="notes-import-error-detail">
      {t('notesImport.problem.detail')} <span lang="en">{text}</span>
    </p>
  );
}

/**
 * Why the file (or zip) cannot be imported, in the reader's language, from
 * the server's problem code, never its English reason; a zip lists each
 * refused file with its own problem.
 */
export function ImportErrorBox({ error }: { error: ApiError }) {
  const { t } = useI18n();
  const invalid = error.code === 'invalid_import' || error.code === 'invalid_zip';
  if (!invalid) {
    return (
      <div className="error" role="alert" data-testid="notes-import-error">
        <p>{errorMessage(error, t)}</p>
      </div>
    );
  }
  const details = error.details ?? [];
  const problem = error.params?.problem;
  if (problem === 'zip_files') {
    return (
      <div className="error" role="alert" data-testid="notes-import-error">
        <p>{problemText(t, problem, details.length)}</p>
        <ul>
          {details.slice(0, 10).map((d, i) => (
            <li key={i} data-code={d.code}>
              {d.path ? `${d.path}: ` : ''}
              {problemText(t, d.code, 0)}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="error" role="alert" data-testid="notes-import-error">
      <p>{problem === undefined ? errorMessage(error, t) : problemText(t, problem, 0)}</p>
      {details[0] ? <Detail path={details[0].path} detail={details[0].params?.detail} /> : null}
    </div>
  );
}
