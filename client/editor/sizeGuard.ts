import { Extension } from '@tiptap/core';
import type { Node as PMNode, Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { ReplaceAroundStep, ReplaceStep } from '@tiptap/pm/transform';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { LIMITS } from '../../shared/limits.js';

export const sizeGuardKey = new PluginKey('sizeGuard');

/** Why a change was refused: one line longer than a text node may be, or more than one update may carry. */
export type TooLarge = 'line' | 'change';

/** What one update may carry, with room left for Yjs's own encoding of what the estimate does not count. */
const SAFE_UPDATE_BYTES = Math.floor(LIMITS.maxUpdateBytes * 0.75);
/** Yjs bytes per block beyond its text (the element, its text node, their ids and origins), rounded up. */
const BYTES_PER_NODE = 48;
/** Below this many ProseMirror positions inserted, a change is far from any limit and is not measured. */
const MEASURE_FROM = 64 * 1024;

const encoder = new TextEncoder();

/** Roughly the bytes of the Yjs update that inserts `slice`: its text as UTF-8 and a fixed cost per node. */
function estimateBytes(slice: Slice): number {
  let bytes = 0;
  slice.content.descendants((node) => {
    bytes += node.isText ? encoder.encode(node.text ?? '').length : BYTES_PER_NODE;
    return true;
  });
  return bytes;
}

/** Why `tr` would give the server what it refuses (README, Limits), or null. */
export function tooLarge(tr: Transaction): TooLarge | null {
  let inserted = 0;
  const slices: Slice[] = [];
  for (const step of tr.steps) {
    if (step instanceof ReplaceStep || step instanceof ReplaceAroundStep) {
      const { slice } = step as unknown as { slice: Slice };
      inserted += slice.content.size;
      slices.push(slice);
    }
  }
  if (inserted >= MEASURE_FROM && slices.reduce((n, s) => n + estimateBytes(s), 0) > SAFE_UPDATE_BYTES) return 'change';
  // The blocks this change touched, in the new document: none may hold more text than a text node may.
  let line = false;
  tr.steps.forEach((step, i) => {
    const rest = tr.mapping.slice(i + 1);
    step.getMap().forEach((_oldStart, _oldEnd, newStart, newEnd) => {
      const from = rest.map(newStart, -1);
      const to = rest.map(newEnd, 1);
      tr.doc.nodesBetween(from, Math.min(to, tr.doc.content.size), (node: PMNode) => {
        if (node.isTextblock && node.content.size > LIMITS.maxTextPerNode) line = true;
        return !node.isTextblock && !line;
      });
    });
  });
  return line ? 'line' : null;
}

/**
 * Refuses, before it happens, a local change the server would refuse: a paste
 * of a 300,000-character log line (a text node over maxTextPerNode) or of
 * 60,000 lines (an update over maxUpdateBytes). Made anyway, it would stay in
 * this browser's copy and be sent again on every reconnect and reload, each
 * time refused, and hold back everything typed after it (Yjs sends a client's
 * changes in order). `onRefused` tells the typist.
 */
export function SizeGuard(opts: { onRefused: (why: TooLarge) => void }) {
  return Extension.create({
    name: 'sizeGuard',
    priority: 9_999,
    addProseMirrorPlugins() {
      return [
        new Plugin({
          key: sizeGuardKey,
          filterTransaction: (tr) => {
            if (!tr.docChanged || tr.getMeta(ySyncPluginKey) !== undefined) return true;
            const why = tooLarge(tr);
            if (why) queueMicrotask(() => opts.onRefused(why));
            return why === null;
          },
        }),
      ];
    },
  });
}
