import type { JSONContent } from '@tiptap/core';
import { UndoRedo } from '@tiptap/extensions';
import { EditorContent, useEditor } from '@tiptap/react';
import { useEffect, useState } from 'react';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { Toolbar } from '../editor/Toolbar.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';

/**
 * Moderators edit the event's template for new session notes with the same
 * editor (and schema) as the notes. Saving affects only sessions created
 * afterwards; the server seeds each new session from it exactly once.
 */
export function TemplateEditor({ eventRef, token }: { eventRef: string; token: string }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<unknown>(null);
  const path = `/api/events/${encodeURIComponent(eventRef)}/template`;
  const editor = useEditor({
    extensions: [...createSchemaExtensions(), UndoRedo],
    editorProps: { attributes: { class: 'notes-prose template-prose', 'aria-label': t('template.title'), 'data-testid': 'template-editor' } },
    onUpdate: () => setStatus('idle'),
  });

  useEffect(() => {
    if (!editor) return;
    let cancelled = false;
    apiClient(token).getTemplate<JSONContent>(eventRef).then(
      (r) => !cancelled && editor.commands.setContent(r.template, { emitUpdate: false }),
      (err: unknown) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [editor, path, token]);

  const save = (template: JSONContent | null) => {
    setStatus('saving');
    setError(null);
    apiClient(token).putTemplate<JSONContent>(eventRef, template).then(
      (r) => {
        if (template === null) editor?.commands.setContent(r.template, { emitUpdate: false });
        setStatus('saved');
      },
      (err: unknown) => {
        setStatus('idle');
        setError(err);
      },
    );
  };

  return (
    <section className="card template-editor" data-testid="template-panel">
      <h2>{t('template.title')}</h2>
      <p className="muted">{t('template.help')}</p>
      {editor ? <Toolbar editor={editor} /> : null}
      <EditorContent editor={editor} className="template-frame" />
      {error ? (
        <p className="error" role="alert">
          {errorMessage(error, t)}
        </p>
      ) : null}
      <div className="template-actions">
        <button type="button" className="btn" data-testid="template-save" disabled={!editor || status === 'saving'} onClick={() => editor && save(editor.getJSON())}>
          {t('template.save')}
        </button>
        <button type="button" className="btn btn-secondary" disabled={status === 'saving'} onClick={() => save(null)}>
          {t('template.reset')}
        </button>
        {status === 'saved' ? (
          <span className="muted" role="status" data-testid="template-saved">
            {t('template.saved')}
          </span>
        ) : null}
      </div>
    </section>
  );
}
