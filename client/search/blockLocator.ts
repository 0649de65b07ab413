import type { Node as PMNode } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { searchNormalize } from '../../shared/search/normalize.js';
import type { SearchTarget } from './searchTarget.js';

const TEXT_BLOCKS = new Set(['paragraph', 'heading', 'codeBlock']);

function isLive(el: Y.XmlElement): boolean {
  return el.doc !== null && !(el._item?.deleted ?? false);
}

/** The text block with this Yjs id, if it is still in the notes. */
function byBlockId(doc: Y.Doc, blockId: string): Y.XmlElement | null {
  const [client, clock] = blockId.split('-').map(Number) as [number, number];
  if (!doc.store.clients.has(client) || clock >= Y.getState(doc.store, client)) return null;
  try {
    const item = Y.getItem(doc.store, Y.createID(client, clock));
    const type = item instanceof Y.Item && item.content instanceof Y.ContentType ? item.content.type : null;
    return type instanceof Y.XmlElement && TEXT_BLOCKS.has(type.nodeName) && isLive(type) ? type : null;
  } catch {
    return null;
  }
}

function textOf(el: Y.XmlElement): string {
  return el
    .toArray()
    .map((c) => (c instanceof Y.XmlText ? c.toDelta().map((d: { insert?: unknown }) => (typeof d.insert === 'string' ? d.insert : '')).join('') : ' '))
    .join('');
}

function find(fragment: Y.XmlFragment, test: (el: Y.XmlElement) => boolean): Y.XmlElement | null {
  for (const child of fragment.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (TEXT_BLOCKS.has(child.nodeName)) {
      if (test(child)) return child;
    } else {
      const inner = find(child, test);
      if (inner) return inner;
    }
  }
  return null;
}

/**
 * The block a search result points at, in this replica of the notes: by its
 * Yjs id (stable while the block lives), else by the action item it carried
 * (the editor re-creates a block whose type changes, attributes and all),
 * else the first block that contains what matched.
 */
export function locateBlock(doc: Y.Doc, fragment: Y.XmlFragment, target: SearchTarget): Y.XmlElement | null {
  const exact = target.blockId ? byBlockId(doc, target.blockId) : null;
  if (exact && fragmentOf(exact) === fragment) return exact;
  if (target.actionItemId) {
    const item = find(fragment, (el) => el.getAttribute('actionItemId') === target.actionItemId);
    if (item) return item;
  }
  const needle = target.text ? searchNormalize(target.text).trim() : '';
  return needle ? find(fragment, (el) => searchNormalize(textOf(el)).includes(needle)) : null;
}

function fragmentOf(el: Y.XmlElement): unknown {
  let node: unknown = el;
  while (node instanceof Y.XmlElement) node = node.parent;
  return node;
}

/**
 * Where a block of the Yjs notes sits in the editor's ProseMirror document.
 * The editor keeps one node per Yjs element, in the same order, so the
 * element's index path (computed now, from the live replica) is its place:
 * no positions are remembered across edits.
 */
export function pmPosOf(el: Y.XmlElement, pmDoc: PMNode): number | null {
  if (!isLive(el)) return null;
  const path: number[] = [];
  let node: Y.XmlElement | Y.XmlFragment = el;
  while (node instanceof Y.XmlElement) {
    const parent: unknown = node.parent;
    if (!(parent instanceof Y.XmlFragment)) return null;
    const index = parent.toArray().indexOf(node);
    if (index < 0) return null;
    path.unshift(index);
    node = parent;
  }
  let pos = 0;
  let pm: PMNode = pmDoc;
  for (let depth = 0; depth < path.length; depth++) {
    const index = path[depth]!;
    if (index >= pm.childCount) return null;
    for (let i = 0; i < index; i++) pos += pm.child(i).nodeSize;
    pm = pm.child(index);
    if (depth < path.length - 1) pos += 1;
  }
  return pm.type.name === el.nodeName ? pos : null;
}
