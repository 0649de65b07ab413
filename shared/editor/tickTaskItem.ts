import { InputRule } from '@tiptap/core';

/**
 * `[x] ` typed at the start of a task item ticks it, `[ ] ` unticks it, and
 * the typed box goes: the box says what the item is, as `- [x] ` does when
 * it makes one. Neither Tiptap's rule (a task item's first paragraph cannot
 * be wrapped in a task list) nor taskFromBulletItem (a bullet or ordered
 * item only) applies there, so an empty task item, the one Enter makes,
 * kept a literal box next to its checkbox. Only the item's first paragraph,
 * and only at its start (the rule's pattern is anchored), whatever follows
 * the caret. Undone like every input rule by the next Backspace, or Ctrl+Z
 * on the client (client/editor/undoInputRule.ts).
 */
export function tickTaskItemRule(find: RegExp): InputRule {
  return new InputRule({
    find,
    handler: ({ state, range, match }) => {
      const { taskItem } = state.schema.nodes;
      if (!taskItem) return null;
      const $start = state.doc.resolve(range.from);
      const itemDepth = $start.depth - 1;
      if (itemDepth < 1 || $start.index(itemDepth) !== 0 || $start.parentOffset !== 0) return null;
      const item = $start.node(itemDepth);
      if (item.type !== taskItem) return null;

      const checked = match[match.length - 1] === 'x';
      const tr = state.tr.delete(range.from, range.to);
      if (item.attrs.checked !== checked) tr.setNodeMarkup($start.before(itemDepth), undefined, { ...item.attrs, checked });
      return undefined;
    },
  });
}
