import type { Editor } from '@tiptap/react';

/**
 * Turns the editor read-only or editable again without losing the caret.
 * A contenteditable that turns read-only loses focus (the browser moves it to
 * the body), so after a moderator's unlock a note-taker's typing went nowhere
 * until she clicked. The editor's selection stays in its state meanwhile
 * (mapped through remote edits by the collaboration binding), so focusing the
 * view puts the caret back where it was. `hadFocus` remembers, between the
 * two calls, whether the editor had focus when it turned read-only; focus is
 * given back only when nothing else took it in between.
 */
export function setEditableKeepingFocus(editor: Editor, editable: boolean, hadFocus: { current: boolean }): void {
  if (!editable) {
    hadFocus.current = hadFocus.current || editor.view.hasFocus();
    editor.setEditable(false);
    return;
  }
  editor.setEditable(true);
  const refocus = hadFocus.current;
  hadFocus.current = false;
  if (!refocus || editor.isDestroyed) return;
  const active = document.activeElement;
  if (active === null || active === document.body || active === document.documentElement || active === editor.view.dom) editor.view.focus();
}
