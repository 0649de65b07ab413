import type { Editor } from '@tiptap/react';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { apiClient } from '../lib/api.js';
import { authorTintKey, clientAuthors } from './authorTint.js';

/** New writers appear in the tint within this long while it is on. */
const REFRESH_MS = 5000;

/** "Show authors" in the editor: tints the live notes by who wrote each run (the server's record of it). */
export function ShowAuthorsToggle({ editor, sessionId, token }: { editor: Editor | null; sessionId: string; token: string }) {
  const { t } = useI18n();
  const [on, setOn] = useState(false);

  useEffect(() => {
    if (!editor) return;
    if (!on) {
      if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(authorTintKey, { authors: null }));
      return;
    }
    let stopped = false;
    const load = () =>
      apiClient(token).authors(sessionId).then(
        (list) => {
          if (!stopped && !editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(authorTintKey, { authors: clientAuthors(list) }));
        },
        () => undefined,
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [editor, on, sessionId, token]);

  return (
    <button type="button" className={`btn btn-secondary${on ? ' is-active' : ''}`} aria-pressed={on} data-testid="editor-show-authors" onClick={() => setOn(!on)}>
      {t('history.showAuthors')}
    </button>
  );
}
