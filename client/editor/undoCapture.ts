import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

interface YSyncFlags {
  addToHistory?: boolean;
  isChangeOrigin?: boolean;
}

export const undoCaptureKey = new PluginKey('undoCapture');

/**
 * Keeps one undo step per burst of typing while someone else types too.
 *
 * y-tiptap (3.0.9–3.3.0) records a transaction's `addToHistory` only when it
 * changes the document, and its view then calls `undoManager.stopCapturing()`
 * after every transaction whose recorded flag is false and that is not a
 * remote change. A remote change sets the flag to false; the next transaction
 * that changes nothing (a remote caret moving, focus, a selection) keeps that
 * stale false, so capturing stops: with another note-taker typing, Ctrl+Z
 * undid one or two characters instead of the phrase just typed. A transaction
 * that changes no content has nothing to keep out of history, so the flag goes
 * back to true for it. Must come after the Collaboration extension's plugins
 * (it reads their state for the same transaction), which its lower priority
 * ensures.
 */
export function undoCapturePlugin(): Plugin {
  return new Plugin({
    key: undoCaptureKey,
    state: {
      init: () => null,
      apply: (tr, value, _old, next) => {
        const flags = ySyncPluginKey.getState(next) as YSyncFlags | undefined;
        if (flags && !tr.docChanged && !flags.isChangeOrigin && flags.addToHistory === false) flags.addToHistory = true;
        return value;
      },
    },
  });
}

export const UndoCapture = Extension.create({
  name: 'undoCapture',
  // Below Collaboration (1000) and the default (100): its state is applied after the sync plugin's.
  priority: 50,
  addProseMirrorPlugins() {
    return [undoCapturePlugin()];
  },
});
