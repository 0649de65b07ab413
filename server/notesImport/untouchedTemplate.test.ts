import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { defaultSessionTemplate } from '../../shared/editor/template.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { encodeNotesSeed } from '../notesSeed.js';
import { isUntouchedTemplate, templateHeadings } from './untouchedTemplate.js';

function seeded(template: JSONContent): Y.XmlFragment {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, encodeNotesSeed(template));
  return doc.getXmlFragment(NOTES_FRAGMENT);
}
const child = (el: Y.XmlFragment | Y.XmlElement, ...path: number[]) => path.reduce<Y.XmlFragment | Y.XmlElement>((n, i) => n.get(i) as Y.XmlElement, el) as Y.XmlElement;

describe('notes that are still the untouched template', () => {
  const headings = templateHeadings(defaultSessionTemplate('en'));

  it('the seed in either language is untouched, also with a section deleted', () => {
    expect(isUntouchedTemplate(seeded(defaultSessionTemplate('en')), headings)).toBe(true);
    expect(isUntouchedTemplate(seeded(defaultSessionTemplate('ja')), headings)).toBe(true);
    const notes = seeded(defaultSessionTemplate('en'));
    notes.delete(0, 2);
    expect(isUntouchedTemplate(notes, headings)).toBe(true);
  });

  it('a custom template is untouched as seeded, and recognised only with its own headings', () => {
    const custom: JSONContent = { type: 'doc', content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Speakers' }] }, { type: 'paragraph' }] };
    expect(isUntouchedTemplate(seeded(custom), templateHeadings(custom))).toBe(true);
    expect(isUntouchedTemplate(seeded(custom), headings)).toBe(false);
  });

  it('a typed word, a ticked item, a heading of one’s own or a block the template has not are writing; empty notes are not a template', () => {
    const typed = seeded(defaultSessionTemplate('en'));
    child(typed, 1, 0, 0).insert(0, [new Y.XmlText('Ana')]);
    expect(isUntouchedTemplate(typed, headings)).toBe(false);

    const ticked = seeded(defaultSessionTemplate('en'));
    child(ticked, 9, 0).setAttribute('checked', true as unknown as string);
    expect(isUntouchedTemplate(ticked, headings)).toBe(false);

    const renamed = seeded(defaultSessionTemplate('en'));
    (child(renamed, 4).get(0) as Y.XmlText).insert(5, ' (room 2)');
    expect(isUntouchedTemplate(renamed, headings)).toBe(false);

    const rule = seeded(defaultSessionTemplate('en'));
    rule.insert(5, [new Y.XmlElement('horizontalRule')]);
    expect(isUntouchedTemplate(rule, headings)).toBe(false);

    const empty = seeded(defaultSessionTemplate('en'));
    empty.delete(0, empty.length);
    expect(isUntouchedTemplate(empty, headings)).toBe(false);
  });
});
