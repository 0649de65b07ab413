import type { AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { inputRegex as taskItemInputRegex, TaskItem, TaskList } from '@tiptap/extension-list';
import { ActionItemAttributes } from './actionItemAttributes.js';
import { isSafeUrl } from './safeUrl.js';
import { taskFromBulletItemRule } from './taskFromBulletItem.js';
import { tickTaskItemRule } from './tickTaskItem.js';

/**
 * The one extension list that defines the notes schema. The browser editor,
 * the server's tagger and every exporter use it, so what people see is what
 * the server understands. Collaboration, carets and placeholder are added on
 * the client only: they change behaviour, not the schema.
 */
export function createSchemaExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      // Collaboration brings its own Yjs-aware undo manager.
      undoRedo: false,
      // Every client would append its own empty paragraph after a final list, as a write of its own: duplicate
      // blank lines, readers refused with 4403, and visitors counted as note-takers. Enter on an empty item leaves a list.
      trailingNode: false,
      link: {
        openOnClick: false,
        autolink: true,
        // No `protocols`: linkify knows http, https and mailto already, and registering them again after its first
        // use printed "linkifyjs: already initialized" warnings on every session page. isSafeUrl decides what may link.
        defaultProtocol: 'https',
        isAllowedUri: (url) => isSafeUrl(url),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
    TaskList,
    // `- [ ] ` and `1. [ ] ` make a task item too, `[x] ` in a task item ticks it: Tiptap's own rule (first) covers
    // `[ ] ` at the start of a plain paragraph only.
    TaskItem.extend({
      addInputRules() {
        return [...(this.parent?.() ?? []), taskFromBulletItemRule(taskItemInputRegex), tickTaskItemRule(taskItemInputRegex)];
      },
    }).configure({ nested: true }),
    ActionItemAttributes,
  ];
}
