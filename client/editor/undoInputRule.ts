import { Extension } from '@tiptap/core';

/**
 * Ctrl+Z (⌘Z) right after an input rule (`- `, `## `, `[ ] `, `- [ ] `…) gives
 * back the text as typed, as Backspace does in Tiptap. The Yjs undo manager
 * groups the rule with the keystrokes before it (one burst of typing), so its
 * undo took back the markers, the line and the rule all at once. The next
 * Ctrl+Z, or one after any other change, is the Yjs undo as before.
 */
export const UndoInputRule = Extension.create({
  name: 'undoInputRule',
  // Above Collaboration (1000), whose Mod-z is the Yjs undo: this one is asked first and passes when there is no rule to undo.
  priority: 1100,
  addKeyboardShortcuts() {
    return { 'Mod-z': () => this.editor.commands.undoInputRule() };
  },
});
