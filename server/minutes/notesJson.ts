import type { JSONContent } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { normalizeNotes, type NodeKind } from '../../shared/minutes/notes.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import type { DocStore } from '../storage/docStore.js';

/** y-prosemirror stores an overlapping mark as `name--<8-character hash>`. */
const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

/**
 * The notes' stored state: the live room's (encoded, so a worker thread can
 * take it) or what storage holds, as the updates that make it up.
 */
export async function readNotesState(sessionId: string, deps: { registry: Pick<RoomRegistry, 'get'>; docStore: Pick<DocStore, 'load'> }): Promise<Uint8Array[]> {
  const live = deps.registry.get(sessionId);
  if (live) return [Y.encodeStateAsUpdate(live.doc)];
  const stored = await deps.docStore.load(sessionId);
  return stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
}

/** The notes as ProseMirror JSON, from the updates `readNotesState` gave. */
export function notesJsonFromState(parts: readonly Uint8Array[], schema: Schema): JSONContent {
  const doc = new Y.Doc();
  try {
    if (parts.length === 1) Y.applyUpdate(doc, parts[0]!);
    else if (parts.length > 1) Y.applyUpdate(doc, Y.mergeUpdates(parts as Uint8Array[]));
    return notesJson(doc.getXmlFragment(NOTES_FRAGMENT), schema);
  } finally {
    doc.destroy();
  }
}

/**
 * The notes as ProseMirror JSON through the editor's schema, read without
 * changing the document (y-prosemirror's own conversion deletes what it cannot
 * build, recurses once per level, and drops a paragraph's text for one mark
 * it does not know). Here: an iterative walk; unknown marks are dropped and
 * their text kept; unknown nodes keep their text; nesting deeper than the
 * minutes keep is flattened (shared/minutes/notes.ts); then the schema fills
 * in default attributes and mark order exactly as the editor would.
 */
export function notesJson(fragment: Y.XmlFragment, schema: Schema): JSONContent {
  const root: JSONContent = { type: 'doc', content: [] };
  const stack: { el: Y.XmlFragment | Y.XmlElement; out: JSONContent[] }[] = [{ el: fragment, out: root.content! }];
  while (stack.length) {
    const { el, out } = stack.pop()!;
    for (const child of el.toArray()) {
      if (child instanceof Y.XmlText) {
        for (const op of child.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
          if (typeof op.insert !== 'string' || op.insert === '') continue;
          const marks = marksOf(op.attributes, schema);
          out.push(marks.length ? { type: 'text', text: op.insert, marks } : { type: 'text', text: op.insert });
        }
      } else if (child instanceof Y.XmlElement) {
        const node: JSONContent = { type: child.nodeName, attrs: child.getAttributes() as Record<string, unknown>, content: [] };
        out.push(node);
        stack.push({ el: child, out: node.content! });
      }
    }
  }
  const normalized = normalizeNotes(root, {
    kindOf: (type) => kindIn(schema, type),
    itemOf: (type) => itemIn(schema, type),
    leadsWithParagraph: (parent, child) => leadsIn(schema, parent, child),
  });
  try {
    // Depth is bounded now, so the schema's own (recursive) reading is safe.
    return schema.nodeFromJSON(normalized).toJSON() as JSONContent;
  } catch {
    return normalized;
  }
}

export function marksOf(attributes: Record<string, unknown> | undefined, schema: Schema): NonNullable<JSONContent['marks']> {
  const marks: NonNullable<JSONContent['marks']> = [];
  for (const [key, value] of Object.entries(attributes ?? {})) {
    const name = HASHED_MARK.exec(key)?.[1] ?? key;
    const type = schema.marks[name];
    if (!type) continue;
    const attrs = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    try {
      // Refused attributes (a missing required one) drop the mark, not the text.
      marks.push(type.create(attrs).toJSON() as { type: string; attrs?: Record<string, unknown> });
    } catch {
      // dropped
    }
  }
  return marks;
}

/** The item a list-like node wraps stray blocks in: its content's default type when a paragraph cannot go there. */
export function itemIn(schema: Schema, name: string): string | undefined {
  const type = schema.nodes[name];
  const paragraph = schema.nodes.paragraph;
  if (!type || !paragraph || type.isTextblock || type.contentMatch.matchType(paragraph)) return undefined;
  return type.contentMatch.defaultType?.name;
}

/** A node that cannot start with `child` but can with a paragraph (a list item) gets an empty paragraph first. */
export function leadsIn(schema: Schema, parent: string, child: string): boolean {
  const p = schema.nodes[parent];
  const c = schema.nodes[child];
  const paragraph = schema.nodes.paragraph;
  return Boolean(p && c && paragraph && !p.contentMatch.matchType(c) && p.contentMatch.matchType(paragraph));
}

export function kindIn(schema: Schema, name: string): NodeKind | undefined {
  const type = schema.nodes[name];
  if (!type) return undefined;
  if (type.isInline) return 'inline';
  if (type.isTextblock) return 'textblock';
  if (type.isLeaf) return 'leaf';
  return 'container';
}

/** The notes of a session as ProseMirror JSON (live state if the room is loaded, else storage). */
export async function readNotesJson(sessionId: string, deps: { registry: Pick<RoomRegistry, 'get'>; docStore: Pick<DocStore, 'load'>; schema: Schema }): Promise<JSONContent> {
  return notesJsonFromState(await readNotesState(sessionId, deps), deps.schema);
}
