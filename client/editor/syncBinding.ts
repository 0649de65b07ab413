import type { EditorState } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

/** The parts of y-tiptap's binding (its ProsemirrorBinding, untyped in the package) that the editor's fixes read. */
export interface SyncBinding {
  doc: Y.Doc;
  type: Y.XmlFragment;
  /** Yjs type → the ProseMirror node (or, for text, the text nodes) showing it. */
  mapping: Map<unknown, unknown>;
  /** The selection as Yjs positions, taken before the transactions in progress; null between them. */
  beforeTransactionSelection: { type?: string; anchor: unknown; head: unknown } | null;
}

/** The y-tiptap binding behind `state`, once its view exists. */
export function syncBinding(state: EditorState): SyncBinding | null {
  return (ySyncPluginKey.getState(state) as { binding?: SyncBinding | null } | undefined)?.binding ?? null;
}
