import type { JSONContent } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import type { DocStore } from '../storage/docStore.js';

/**
 * The notes as ProseMirror JSON, read through the same schema the editor
 * uses (so unknown nodes are dropped exactly as the editor would drop them).
 * A loaded room gives the live state (copied); otherwise the stored state is read.
 */
export async function readNotesJson(sessionId: string, deps: { registry: Pick<RoomRegistry, 'get'>; docStore: Pick<DocStore, 'load'>; schema: Schema }): Promise<JSONContent> {
  const live = deps.registry.get(sessionId);
  const doc = new Y.Doc();
  if (live) {
    // A copy, never the live document: y-prosemirror's conversion deletes nodes it cannot
    // build, and such a change to the room's document would be neither stored nor broadcast.
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(live.doc));
  } else {
    const stored = await deps.docStore.load(sessionId);
    const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
    if (parts.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(parts));
  }
  try {
    return toJson(doc, deps.schema);
  } finally {
    doc.destroy();
  }
}

function toJson(doc: Y.Doc, schema: Schema): JSONContent {
  return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(NOTES_FRAGMENT), schema).toJSON() as JSONContent;
}
