import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

export const readOnlyGuardKey = new PluginKey('readOnlyGuard');

/** True for transactions that mirror the shared document into the editor (remote edits, the first render). */
function fromSharedDocument(tr: Transaction): boolean {
  return tr.getMeta(ySyncPluginKey) !== undefined;
}

/**
 * While the notes may not be edited here, the editor itself must not change
 * them either. Plugins that "fix" a document do so on any editor: Tiptap's
 * trailing node appends an empty paragraph after a heading, and the
 * collaboration binding then writes that into the shared document, which a
 * reader's connection may not send (the server closes it with 4403). This
 * refuses every document change that does not come from the shared document
 * while `canWrite()` is false; selection and decoration changes pass.
 */
export function readOnlyGuardPlugin(canWrite: () => boolean): Plugin {
  return new Plugin({
    key: readOnlyGuardKey,
    filterTransaction: (tr) => !tr.docChanged || canWrite() || fromSharedDocument(tr),
  });
}

export function ReadOnlyGuard(opts: { canWrite: () => boolean }) {
  return Extension.create({
    name: 'readOnlyGuard',
    // Before every other plugin, so nothing sees a change that is then refused.
    priority: 10_000,
    addProseMirrorPlugins() {
      return [readOnlyGuardPlugin(opts.canWrite)];
    },
  });
}
