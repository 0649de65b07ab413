import type { JSONContent } from '@tiptap/core';

/** The languages a session template exists in (the event's language chooses one). */
export type TemplateLanguage = 'en' | 'ja';

/**
 * The Ops Meetup template's sections, in each language: who was there, the
 * agenda, the notes, what was decided and who does what next.
 */
export const TEMPLATE_HEADINGS: Record<TemplateLanguage, readonly [attendees: string, agenda: string, notes: string, decisions: string, actionItems: string]> = {
  en: ['Attendees', 'Agenda', 'Notes', 'Decisions', 'Action items'],
  ja: ['参加者', '議題', 'メモ', '決定事項', 'アクションアイテム'],
};

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
 * Action items (参加者 / 議題 / メモ / 決定事項 / アクションアイテム for a
 * Japanese event). The server seeds it once, when the session is created.
 */
export function defaultSessionTemplate(language: TemplateLanguage = 'en'): JSONContent {
  const [attendees, agenda, notes, decisions, actionItems] = TEMPLATE_HEADINGS[language] ?? TEMPLATE_HEADINGS.en;
  return {
    type: 'doc',
    content: [
      heading(attendees),
      emptyBullets,
      heading(agenda),
      emptyBullets,
      heading(notes),
      { type: 'paragraph' },
      heading(decisions),
      emptyBullets,
      heading(actionItems),
      {
        type: 'taskList',
        content: [{ type: 'taskItem', attrs: { checked: false }, content: [{ type: 'paragraph' }] }],
      },
    ],
  };
}
