import { useRef, useState } from 'react';
import type { EventNotesImportResult } from '../../shared/notesImport/importResult.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient, ApiError } from '../lib/api.js';
import { Dialog } from './Dialog.js';
import { ImportErrorBox, ModeChoice, type ImportMode } from './importParts.js';

/** "Import pads" on the event page (moderators): a zip with one pad or Markdown file per session, matched by title. */
export function EventNotesImport({ eventRef, token }: { eventRef: string; token: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-secondary" data-testid="open-pads-import" onClick={() => setOpen(true)}>
        {t('padsImport.open')}
      </button>
      {open ? <EventNotesImportDialog eventRef={eventRef} token={token} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function EventNotesImportDialog({ eventRef, token, onClose }: { eventRef: string; token: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('append');
  const [result, setResult] = useState<EventNotesImportResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // Only the newest preview's answer is shown (a file or mode changed while one was on its way); an import's always is.
  const latest = useRef(0);
  const importing = useRef(false);

  const send = async (f: File, m: ImportMode, dryRun: boolean) => {
    if (importing.current) return;
    const n = ++latest.current;
    importing.current = !dryRun;
    setBusy(true);
    setError(null);
    try {
      const answer = await apiClient(token).importEventNotes(eventRef, f, { mode: m, dryRun });
      if (n === latest.current) setResult(answer);
    } catch (err) {
      if (n !== latest.current) return;
      setResult(null);
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    } finally {
      if (!dryRun) importing.current = false;
      if (n === latest.current) setBusy(false);
    }
  };
  const done = result !== null && !result.dryRun;

  return (
    <Dialog title={t('padsImport.title')} onClose={onClose} wide testId="pads-import-dialog">
      <p className="muted">{t('padsImport.intro')}</p>
      <input
        type="file"
        accept=".zip,application/zip"
        data-testid="pads-import-file"
        aria-label={t('padsImport.zip')}
        disabled={done}
        onChange={(e) => {
          const f = e.target.files?.[0] ?? null;
          setFile(f);
          setResult(null);
          if (f) void send(f, mode, true);
        }}
      />
      {done ? null : (
        <ModeChoice
          mode={mode}
          onChange={(m) => {
            setMode(m);
            // The preview says what this mode does to each session (append may replace an untouched template).
            if (file) void send(file, m, true);
          }}
        />
      )}
      {error ? <ImportErrorBox error={error} /> : null}
      {result ? (
        <div className="import-preview" data-testid={done ? 'pads-import-done' : 'pads-import-preview'}>
          <p>
            <strong>{done ? t('padsImport.done', { n: result.matches.length }) : t('padsImport.summary', { matched: result.matches.length, unmatched: result.unmatched.length, without: result.sessionsWithout.length })}</strong>
          </p>
          {result.matches.length ? (
            <table className="pads-import-table">
              <thead>
                <tr>
                  <th scope="col">{t('padsImport.file')}</th>
                  <th scope="col">{t('padsImport.session')}</th>
                  <th scope="col">{t('padsImport.items')}</th>
                  <th scope="col">{t('notesImport.mode')}</th>
                </tr>
              </thead>
              <tbody>
                {result.matches.map((m) => (
                  <tr key={m.file}>
                    <td>{m.file.split('/').pop()}</td>
                    <td>{m.sessionTitle}</td>
                    <td>{m.actionItems}</td>
                    <td className="muted small" data-testid={m.replacesTemplate ? 'pads-import-replaces-template' : undefined}>
                      {m.replacesTemplate ? t('padsImport.replacesTemplate') : t(`notesImport.mode.${result.mode}`)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {!done && result.unmatched.length ? (
            <>
              <p className="small">{t('padsImport.unmatched')}</p>
              <ul className="small" data-testid="pads-import-unmatched">
                {result.unmatched.map((u) => (
                  <li key={u.file}>
                    {u.file.split('/').pop()}: <span className="muted">{t(`padsImport.why.${u.why}`, { names: u.names.map((n) => n.split('/').pop()).join(lang === 'ja' ? '、' : '; ') })}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {!done && result.sessionsWithout.length ? (
            <details className="small">
              <summary>{t('padsImport.without', { n: result.sessionsWithout.length })}</summary>
              <ul>
                {result.sessionsWithout.map((s) => (
                  <li key={s.id}>{s.title}</li>
                ))}
              </ul>
            </details>
          ) : null}
        </div>
      ) : null}
      <div className="modal-actions">
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          {done ? t('common.close') : t('common.cancel')}
        </button>
        {done ? null : (
          <button type="button" className="btn" data-testid="pads-import-apply" disabled={!file || !result || result.matches.length === 0 || busy} onClick={() => file && void send(file, mode, false)}>
            {t('padsImport.apply', { n: result?.matches.length ?? 0 })}
          </button>
        )}
      </div>
    </Dialog>
  );
}
