import type * as Y from 'yjs';
import { searchNormalize } from '../../shared/search/normalize.js';
import { actionItemIdOf } from '../actionItems/blocks.js';
import { blockIdOf, isTextBlockIn, placeBlocks, readBlock } from './noteBlocks.js';
import type { BlockWrite, IndexedBlock } from '../storage/searchRepo.js';

export interface ChangedBlocks {
  /** Text blocks whose text or attributes changed. */
  dirty: ReadonlySet<Y.XmlElement>;
  /** Blocks were added or removed (positions and headings may have moved): walk the whole document. */
  structure: boolean;
  /** Re-read every block (the index may not match the document at all). */
  full: boolean;
}

/**
 * The index writes that bring `known` in line with the document. Typing
 * touches only the typed block; adding or removing blocks walks the block
 * list (positions and headings) but re-reads only new and changed blocks.
 * Returns null when it needs a walk it was not asked for (a dirty heading, or
 * a block the index never saw): call again with `structure: true`.
 */
export function diffBlocks(fragment: Y.XmlFragment, known: ReadonlyMap<string, IndexedBlock>, changed: ChangedBlocks): BlockWrite[] | null {
  const writes: BlockWrite[] = [];
  const contentWrite = (el: Y.XmlElement, blockId: string, k: IndexedBlock) => {
    const { text, authors } = readBlock(el);
    const json = JSON.stringify(authors);
    const actionItemId = actionItemIdOf(el);
    if (text !== k.text) writes.push({ kind: 'text', blockId, rowId: k.rowId, text, norm: searchNormalize(text), actionItemId, authors: json });
    else if (json !== k.authors || actionItemId !== k.actionItemId) writes.push({ kind: 'meta', blockId, rowId: k.rowId, actionItemId, authors: json });
  };

  if (!changed.structure && !changed.full) {
    for (const el of changed.dirty) {
      if (!isTextBlockIn(el, fragment)) continue;
      const id = blockIdOf(el);
      const k = id ? known.get(id) : undefined;
      // A heading's text is every block below it's heading; a block never seen needs its place.
      if (!id || !k || el.nodeName === 'heading') return null;
      contentWrite(el, id, k);
    }
    return writes;
  }

  const seen = new Set<string>();
  for (const b of placeBlocks(fragment)) {
    seen.add(b.blockId);
    const k = known.get(b.blockId);
    if (!k) {
      const { text, authors } = readBlock(b.el);
      writes.push({ kind: 'insert', blockId: b.blockId, ord: b.ord, heading: b.heading, actionItemId: actionItemIdOf(b.el), text, norm: searchNormalize(text), authors: JSON.stringify(authors) });
      continue;
    }
    if (changed.full || changed.dirty.has(b.el)) contentWrite(b.el, b.blockId, k);
    if (k.ord !== b.ord || k.heading !== b.heading) writes.push({ kind: 'place', blockId: b.blockId, rowId: k.rowId, ord: b.ord, heading: b.heading });
  }
  for (const [blockId, k] of known) if (!seen.has(blockId)) writes.push({ kind: 'delete', blockId, rowId: k.rowId });
  return writes;
}

/** `known` after the writes went in (`inserted`: row ids of new blocks). */
export function applyToKnown(known: Map<string, IndexedBlock>, writes: readonly BlockWrite[], inserted: ReadonlyMap<string, number>): void {
  for (const w of writes) {
    if (w.kind === 'insert') {
      const rowId = inserted.get(w.blockId);
      if (rowId !== undefined) known.set(w.blockId, { rowId, ord: w.ord, heading: w.heading, actionItemId: w.actionItemId, text: w.text, authors: w.authors });
      continue;
    }
    const k = known.get(w.blockId);
    if (!k) continue;
    if (w.kind === 'delete') known.delete(w.blockId);
    else if (w.kind === 'text') Object.assign(k, { text: w.text, actionItemId: w.actionItemId, authors: w.authors });
    else if (w.kind === 'meta') Object.assign(k, { actionItemId: w.actionItemId, authors: w.authors });
    else Object.assign(k, { ord: w.ord, heading: w.heading });
  }
}
