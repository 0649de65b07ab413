import { Extension } from '@tiptap/core';

/**
 * The server's action-item tagger marks blocks with these attributes. They
 * must be declared in the schema that every editor uses, or ProseMirror drops
 * them when it reads the Y.XmlFragment.
 */
export const ActionItemAttributes = Extension.create({
  name: 'actionItemAttributes',
  addGlobalAttributes() {
    return [
      {
        types: ['paragraph'],
        attributes: {
          actionItemId: {
            default: null,
            keepOnSplit: false,
            parseHTML: (el: HTMLElement) => el.getAttribute('data-action-item-id'),
            renderHTML: (attrs: Record<string, unknown>) =>
              typeof attrs.actionItemId === 'string' ? { 'data-action-item-id': attrs.actionItemId } : {},
          },
          actionStatus: {
            default: null,
            keepOnSplit: false,
            parseHTML: (el: HTMLElement) => el.getAttribute('data-action-status'),
            renderHTML: (attrs: Record<string, unknown>) =>
              attrs.actionStatus === 'open' || attrs.actionStatus === 'done'
                ? { 'data-action-status': attrs.actionStatus }
                : {},
          },
        },
      },
    ];
  },
});
