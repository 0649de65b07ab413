import type { Node as PMNode } from '@tiptap/pm/model';

/**
 * Where a change ended in the new document, or null when nothing changed.
 * The Yjs binding turns every remote update into one replace of the whole
 * document, so step maps always point at the end; comparing the documents
 * finds the place someone actually typed.
 */
export function lastChangedPos(before: PMNode, after: PMNode): number | null {
  const start = before.content.findDiffStart(after.content);
  if (start === null) return null;
  const end = before.content.findDiffEnd(after.content);
  // findDiffEnd may overlap the start when the change repeats nearby text.
  return Math.min(after.content.size, Math.max(start, end ? end.b : start));
}
