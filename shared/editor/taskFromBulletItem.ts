import { InputRule } from '@tiptap/core';
import { Fragment, Slice } from '@tiptap/pm/model';
import { canJoin, ReplaceAroundStep } from '@tiptap/pm/transform';

/**
 * `[ ] ` or `[x] ` typed at the start of a bullet-list item turns that item
 * into a task item, as GitHub, Notion and HedgeDoc do with `- [ ] `. Tiptap's
 * own rule only wraps a textblock in a new task list, which a list item's
 * first paragraph cannot be, so the item stayed a bullet with a literal box
 * (and the tagger read it as an action paragraph). An ordered-list item too
 * (`1. [ ] `, a task in an ordered list in Markdown): Tiptap's task lists are
 * unordered, so it becomes a task item the same way, and the ordered items
 * after it keep their numbers. Only that item changes: the items before and
 * after it stay in their lists, and a task list right before or after it is
 * joined, as the plain-paragraph rule joins the one before. The item's
 * paragraph and nested blocks are moved, not copied, so the caret stays
 * where it was; like every input rule it is undone by the next Backspace (or
 * Ctrl+Z on the client, see client/editor/undoInputRule.ts). In a task item,
 * see tickTaskItem.ts.
 */
export function taskFromBulletItemRule(find: RegExp): InputRule {
  return new InputRule({
    find,
    handler: ({ state, range, match }) => {
      const { taskList, taskItem, bulletList, orderedList, listItem } = state.schema.nodes;
      if (!taskList || !taskItem || !bulletList || !listItem) return null;
      const $start = state.doc.resolve(range.from);
      const itemDepth = $start.depth - 1;
      const listDepth = $start.depth - 2;
      // The first paragraph of an item of a bullet or ordered list, and only that.
      if (listDepth < 0 || $start.index(itemDepth) !== 0) return null;
      const from = $start.node(listDepth);
      if ($start.node(itemDepth).type !== listItem || (from.type !== bulletList && from.type !== orderedList)) return null;

      const tr = state.tr.delete(range.from, range.to);
      const $item = tr.doc.resolve(range.from);
      const index = $item.index(listDepth);
      // Split the list around the item: the item alone in a list of its own. Ordered items after it keep their numbers.
      if (index < from.childCount - 1) {
        const rest = from.type === orderedList ? [{ type: orderedList, attrs: { ...from.attrs, start: orderedStart(from.attrs) + index + 1 } }] : undefined;
        tr.split($item.after(itemDepth), 1, rest);
      }
      let listPos = $item.before(listDepth);
      if (index > 0) {
        tr.split($item.before(itemDepth), 1);
        listPos = $item.before(itemDepth) + 1;
      }
      const list = tr.doc.nodeAt(listPos);
      if (!list || list.type !== from.type || list.childCount !== 1) return null;
      const end = listPos + list.nodeSize;
      // bulletList (or orderedList) > listItem > (content) becomes taskList > taskItem > (the same content).
      const wrapper = taskList.create(null, taskItem.create({ checked: match[match.length - 1] === 'x' }));
      tr.step(new ReplaceAroundStep(listPos, end, listPos + 2, end - 2, new Slice(Fragment.from(wrapper), 0, 0), 2, true));

      const taskEnd = listPos + tr.doc.nodeAt(listPos)!.nodeSize;
      if (tr.doc.resolve(taskEnd).nodeAfter?.type === taskList && canJoin(tr.doc, taskEnd)) tr.join(taskEnd);
      if (tr.doc.resolve(listPos).nodeBefore?.type === taskList && canJoin(tr.doc, listPos)) tr.join(listPos);
      return undefined;
    },
  });
}

/** An ordered list's first number, from its attributes (Tiptap's `start`, 1 unless the list says otherwise). */
export function orderedStart(attrs: Record<string, unknown> | undefined): number {
  const start = Number(attrs?.start);
  return Number.isSafeInteger(start) ? start : 1;
}
