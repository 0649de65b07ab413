import { useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { ApiError, apiFetch } from '../lib/api.js';

interface ImportResult {
  created: { title: string }[];
  updated: { id: string; title: string; changes: string[] }[];
  unchanged: { id: string; title: string }[];
  missing: { id: string; title: string; hasNotes: boolean }[];
}

function guessType(name: string, text: string): string {
  if (/\.ics$/i.test(name) || text.trimStart().startsWith('BEGIN:VCALENDAR')) return 'text/calendar';
  if (/\.json$/i.test(name) || /^\s*[{[]/.test(text)) return 'application/json';
  return 'text/csv';
}

/** Upload or paste a schedule, preview the dry run, then apply it. */
export function ImportDialog({ eventRef, token, onClose, onDone }: { eventRef: string; token: string; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (dryRun: boolean) => {
    setError(null);
    setBusy(true);
    try {
      const r = await apiFetch<ImportResult>(`/api/events/${encodeURIComponent(eventRef)}/schedule?dryRun=${dryRun}`, { method: 'POST', token, raw: { body: text, type: guessType(name, text) } });
      if (dryRun) setPreview(r);
      else onDone();
    } catch (err) {
      setPreview(null);
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    } finally {
      setBusy(false);
    }
  };
  const more = (shown: number, total: number) => (total > shown ? <li className="muted">{t('import.more', { n: total - shown })}</li> : null);
  return (
    <div className="modal-backdrop">
      <div className="modal modal-wide" data-testid="import-dialog" role="dialog" aria-modal="true" aria-labelledby="import-title">
        <h2 id="import-title">{t('event.import')}</h2>
        <p className="muted">{t('import.intro')}</p>
        <input
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
              setPreview(null);
            });
          }}
        />
        <label className="import-paste">
          {t('import.paste')}
          <textarea
            rows={8}
            data-testid="import-text"
            value={text}
            placeholder="BEGIN:VCALENDAR … / title,date,start,end,room,moderators,tags …"
            onChange={(e) => {
              setText(e.target.value);
              setName('');
              setPreview(null);
            }}
          />
        </label>
        {error ? (
          <div className="error" role="alert" data-testid="import-error">
            <p>{error.message}</p>
            <ul>
              {(error.details ?? []).slice(0, 20).map((d, i) => (
                <li key={i}>
                  {d.line ? `${t('import.line', { n: d.line })}: ` : d.path ? `${d.path}: ` : ''}
                  {d.message}
                </li>
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
                <li key={i}>+ {s.title}</li>
              ))}
              {more(10, preview.created.length)}
              {preview.updated.slice(0, 10).map((s) => (
                <li key={s.id}>
                  ~ {s.title} ({s.changes.join(', ')})
                </li>
              ))}
              {more(10, preview.updated.length)}
            </ul>
            {preview.missing.length ? (
              <>
                <p>{t('import.missing', { n: preview.missing.length })}</p>
                <ul>
                  {preview.missing.slice(0, 10).map((s) => (
                    <li key={s.id}>{s.title}</li>
                  ))}
                  {more(10, preview.missing.length)}
                </ul>
              </>
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
      </div>
    </div>
  );
}
