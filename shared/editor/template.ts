import type { JSONContent } from '@tiptap/core';

const heading = (text: string): JSONContent => ({
  type: 'heading',
  attrs: { level: 2 },
  content: [{ type: 'text', text }],
});
const emptyBullets: JSONContent = {
  type: 'bulletList',
  content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }],
};

/**
 * The Ops Meetup session template: Attendees, Agenda, Notes, Decisions,
 * Action items. The server seeds it once, when the session is created.
 */
export function defaultSessionTemplate(): JSONContent {
  return {
    type: 'doc',
    content: [
      heading('Attendees'),
      emptyBullets,
      heading('Agenda'),
      emptyBullets,
      heading('Notes'),
      { type: 'paragraph' },
      heading('Decisions'),
      emptyBullets,
      heading('Action items'),
      {
        type: 'taskList',
        content: [{ type: 'taskItem', attrs: { checked: false }, content: [{ type: 'paragraph' }] }],
      },
    ],
  };
}
