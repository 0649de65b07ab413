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
  const { t, lang } = useI18n();
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const ja = lang === 'ja';
  const run = async (dryRun: boolean) => {
    setError(null);
    try {
      const r = await apiFetch<ImportResult>(`/api/events/${encodeURIComponent(eventRef)}/schedule?dryRun=${dryRun}`, { method: 'POST', token, raw: { body: text, type: guessType(name, text) } });
      if (dryRun) setPreview(r);
      else onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    }
  };
  return (
    <div className="modal-backdrop">
      <div className="modal modal-wide" data-testid="import-dialog">
        <h2>{t('event.import')}</h2>
        <p className="muted">{ja ? 'iCalendar (.ics)、CSV、JSON に対応。まずプレビューで内容を確認します。' : 'iCalendar (.ics), CSV or JSON. You see a preview before anything changes.'}</p>
        <input
          type="file"
          accept=".ics,.csv,.json,text/calendar,text/csv,application/json"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            setName(file.name);
            void file.text().then((x) => {
              setText(x);
              setPreview(null);
            });
          }}
        />
        <textarea rows={8} value={text} placeholder="BEGIN:VCALENDAR … / title,date,start,end,room,moderators,tags …" onChange={(e) => { setText(e.target.value); setPreview(null); }} />
        {error ? (
          <div className="error" role="alert">
            <p>{error.message}</p>
            <ul>
              {(error.details ?? []).slice(0, 20).map((d, i) => (
                <li key={i}>
                  {d.line ? `${ja ? '行' : 'line'} ${d.line}: ` : d.path ? `${d.path}: ` : ''}
                  {d.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {preview ? (
          <div className="import-preview" data-testid="import-preview">
            <p>
              <strong>{preview.created.length}</strong> {ja ? '件を新規作成' : 'new'} · <strong>{preview.updated.length}</strong> {ja ? '件を更新' : 'updated'} · <strong>{preview.unchanged.length}</strong> {ja ? '件は変更なし' : 'unchanged'}
              {preview.missing.length ? ` · ${preview.missing.length} ${ja ? '件はファイルにありません（削除されません）' : 'not in the file (kept, never deleted)'}` : ''}
            </p>
            <ul>
              {preview.created.slice(0, 8).map((s, i) => <li key={i}>+ {s.title}</li>)}
              {preview.updated.slice(0, 8).map((s) => <li key={s.id}>~ {s.title} ({s.changes.join(', ')})</li>)}
            </ul>
          </div>
        ) : null}
        <div className="modal-actions">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          {preview ? (
            <button type="button" className="btn" data-testid="import-apply" onClick={() => void run(false)}>
              {ja ? '取り込む' : 'Import'}
            </button>
          ) : (
            <button type="button" className="btn" data-testid="import-preview-button" disabled={!text.trim()} onClick={() => void run(true)}>
              {ja ? 'プレビュー' : 'Preview'}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
