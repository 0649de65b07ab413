import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import { NOTES_FRAGMENT } from '../shared/protocol.js';

/**
 * A session's first update, from ProseMirror JSON, built as y-tiptap builds
 * it (an element per node with its non-null attributes; one text per run of
 * text nodes, each mark a formatting attribute holding the mark's attributes)
 * but without the editor schema, so creating a session does not load Tiptap.
 *
 * The JSON must be complete, every attribute the schema defaults included
 * (`schema.nodeFromJSON(json).toJSON()`): templates are stored that way, and
 * the built-in one is written that way. A missing default costs nothing worse
 * than the editor writing it the first time someone edits that block.
 * `notesSeed.test.ts` holds it to y-tiptap's document.
 */
export function encodeNotesSeed(json: JSONContent): Uint8Array {
  const doc = new Y.Doc();
  doc.getXmlFragment(NOTES_FRAGMENT).insert(0, childrenOf(json));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

function childrenOf(node: JSONContent): (Y.XmlElement | Y.XmlText)[] {
  const out: (Y.XmlElement | Y.XmlText)[] = [];
  const content = node.content ?? [];
  for (let i = 0; i < content.length; i++) {
    if (content[i]!.type !== 'text') {
      out.push(element(content[i]!));
      continue;
    }
    const text = new Y.XmlText();
    const delta: { insert: string; attributes: Record<string, unknown> }[] = [];
    for (; i < content.length && content[i]!.type === 'text'; i++) delta.push({ insert: content[i]!.text ?? '', attributes: marksOf(content[i]!) });
    i--;
    text.applyDelta(delta);
    out.push(text);
  }
  return out;
}

function element(node: JSONContent): Y.XmlElement {
  const el = new Y.XmlElement(node.type ?? 'paragraph');
  for (const [key, value] of Object.entries(node.attrs ?? {})) {
    // Yjs stores any JSON value; the cast is only for its string-typed signature.
    if (value !== null && value !== undefined) el.setAttribute(key, value as string);
  }
  el.insert(0, childrenOf(node));
  return el;
}

function marksOf(node: JSONContent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const mark of node.marks ?? []) out[mark.type] = mark.attrs ?? {};
  return out;
}
