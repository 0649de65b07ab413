import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { parseActionItem } from '../../shared/actionItems/parse.js';

export const actionChipsKey = new PluginKey<DecorationSet>('actionChips');

function chip(text: string, kind: string): HTMLElement {
  const el = document.createElement('span');
  el.className = `chip chip-${kind}`;
  el.textContent = text;
  return el;
}

function decorate(doc: PMNode, dueLabel: (date: string) => string): DecorationSet {
  const decorations: Decoration[] = [];
  doc.descendants((node, pos, parent) => {
    if (node.type.name !== 'paragraph') return true;
    const id = node.attrs.actionItemId as string | null;
    if (!id) return false;
    const isTask = parent?.type.name === 'taskItem';
    const parsed = parseActionItem({ text: node.textContent, kind: isTask ? 'taskItem' : 'paragraph', checked: Boolean(parent?.attrs.checked) }, { sessionDate: null });
    const status = isTask ? (parent?.attrs.checked ? 'done' : 'open') : (node.attrs.actionStatus as string | null) ?? 'open';
    decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: `action-item action-${status}`, 'data-action-item-id': id }));
    if (parsed) {
      decorations.push(
        Decoration.widget(
          pos + node.nodeSize - 1,
          () => {
            const wrap = document.createElement('span');
            wrap.className = 'action-chips';
            wrap.contentEditable = 'false';
            for (const o of parsed.owners) wrap.append(chip(`@${o}`, 'owner'));
            if (parsed.due) wrap.append(chip(dueLabel(parsed.due), 'due'));
            for (const t of parsed.tags) wrap.append(chip(`#${t}`, 'tag'));
            return wrap;
          },
          { side: 1, ignoreSelection: true, key: `chips-${id}-${parsed.owners.join(',')}-${parsed.due}-${parsed.tags.join(',')}` },
        ),
      );
    }
    return false;
  });
  return DecorationSet.create(doc, decorations);
}

/**
 * Renders the server's action-item marks: a highlight on the block and
 * owner, due-date and tag chips. Chips are widgets, never document content.
 */
export function ActionChips(dueLabel: (date: string) => string) {
  return Extension.create({
    name: 'actionChips',
    addProseMirrorPlugins() {
      return [
        new Plugin<DecorationSet>({
          key: actionChipsKey,
          state: {
            init: (_config, state) => decorate(state.doc, dueLabel),
            apply: (tr, old) => (tr.docChanged ? decorate(tr.doc, dueLabel) : old),
          },
          props: {
            decorations: (state) => actionChipsKey.getState(state),
          },
        }),
      ];
    },
  });
}
