import { useRef, useState } from 'react';
import type { NotesImportResult } from '../../shared/notesImport/importResult.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/en.js';
import { apiClient, ApiError } from '../lib/api.js';
import { Dialog } from './Dialog.js';
import { ImportErrorBox, ModeChoice, type ImportMode } from './importParts.js';

const ACCEPT = '.md,.markdown,.txt,.html,.htm,.etherpad,.json,text/markdown,text/plain,text/html,application/json';

/** "Import notes" on a session page (edit and moderate links): a file, append or replace, a preview, then the import. */
export function NotesImportButton({ sessionId, token }: { sessionId: string; token: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-secondary" data-testid="open-notes-import" onClick={() => setOpen(true)}>
        {t('notesImport.open')}
      </button>
      {open ? <NotesImportDialog sessionId={sessionId} token={token} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function NotesImportDialog({ sessionId, token, onClose }: { sessionId: string; token: string; onClose: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('append');
  const [preview, setPreview] = useState<NotesImportResult | null>(null);
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
      const result = await apiClient(token).importNotes(sessionId, { body: f, type: f.type || 'application/octet-stream' }, { mode: m, dryRun, filename: f.name });
      if (n !== latest.current) return;
      if (dryRun) setPreview(result);
      else onClose();
    } catch (err) {
      if (n !== latest.current) return;
      setPreview(null);
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    } finally {
      if (!dryRun) importing.current = false;
      if (n === latest.current) setBusy(false);
    }
  };

  return (
    <Dialog title={t('notesImport.title')} onClose={onClose} wide testId="notes-import-dialog">
      <p className="muted">{t('notesImport.intro')}</p>
      <input
        type="file"
        accept={ACCEPT}
        data-testid="notes-import-file"
        aria-label={t('notesImport.file')}
        onChange={(e) => {
          const f = e.target.files?.[0] ?? null;
          setFile(f);
          setPreview(null);
          if (f) void send(f, mode, true);
        }}
      />
      <ModeChoice
        mode={mode}
        onChange={(m) => {
          setMode(m);
          // The preview says what this mode does to these notes (append may replace an untouched template).
          if (file) void send(file, m, true);
        }}
      />
      {error ? <ImportErrorBox error={error} /> : null}
      {preview ? (
        <div className="import-preview" data-testid="notes-import-preview">
          <p>
            <strong>{t(`notesImport.format.${preview.format}` as MessageKey)}</strong> · {t('notesImport.counts', { blocks: preview.blocks, lines: preview.lines, items: preview.actionItems.length })}
          </p>
          {preview.mode === 'append' && preview.replacesTemplate ? (
            <p className="small" data-testid="notes-import-replaces-template">
              {t('notesImport.replacesTemplate')}
            </p>
          ) : null}
          {preview.frontMatter?.title ? <p className="muted small">{t('notesImport.noteTitle', { title: preview.frontMatter.title })}</p> : null}
          {preview.authors?.length ? <p className="muted small">{t('notesImport.authors', { names: preview.authors.map((a) => a.name ?? a.id).join(', ') })}</p> : null}
          <ul className="notes-import-lines">
            {preview.preview.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
          {preview.actionItems.length ? (
            <>
              <p className="small">{t('notesImport.itemsFound')}</p>
              <ul className="small">
                {preview.actionItems.slice(0, 8).map((a, i) => (
                  <li key={i}>{a.status === 'done' ? '☑' : '☐'} {a.text}</li>
                ))}
                {preview.actionItems.length > 8 ? <li className="muted">{t('import.more', { n: preview.actionItems.length - 8 })}</li> : null}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      <div className="modal-actions">
        <button type="button" className="btn btn-secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="button" className="btn" data-testid="notes-import-apply" disabled={!file || !preview || busy} onClick={() => file && void send(file, mode, false)}>
          {mode === 'replace' ? t('notesImport.applyReplace') : t('notesImport.apply')}
        </button>
      </div>
    </Dialog>
  );
}
