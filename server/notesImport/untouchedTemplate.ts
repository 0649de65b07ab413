import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import { TEMPLATE_HEADINGS } from '../../shared/editor/template.js';

/** The blocks a template's empty sections are made of; anything else (a rule, code, an image) was added by someone. */
const EMPTY_SECTION_NODES = new Set(['paragraph', 'bulletList', 'orderedList', 'listItem', 'taskList', 'taskItem']);

/**
 * The heading texts a session of this event may have been seeded with: those
 * of the event's template, and those of the built-in template in every
 * language (the event's template or language may have changed since the
 * session was created).
 */
export function templateHeadings(template: JSONContent): Set<string> {
  const out = new Set<string>(Object.values(TEMPLATE_HEADINGS).flat());
  const walk = (node: JSONContent) => {
    if (node.type === 'heading') out.add(textOfJson(node).trim());
    for (const child of node.content ?? []) walk(child);
  };
  walk(template);
  return out;
}

/**
 * Whether nobody has written anything in these notes yet: they hold only
 * template headings (texts in `headings`) and empty sections (empty
 * paragraphs, empty list and unticked task items). Such notes are the seed as
 * it was created, or that seed with sections removed; importing "after" them
 * would leave the template's empty sections above the imported notes, and put
 * the imported notes under the template's last heading.
 *
 * Empty notes are not "untouched": appending and replacing are the same there.
 */
export function isUntouchedTemplate(fragment: Y.XmlFragment, headings: ReadonlySet<string>): boolean {
  if (fragment.length === 0) return false;
  return fragment.toArray().every((node) => {
    if (node instanceof Y.XmlText) return textOfY(node).trim() === '';
    if (!(node instanceof Y.XmlElement)) return false;
    if (node.nodeName === 'heading') {
      const children = node.toArray();
      if (!children.every((c) => c instanceof Y.XmlText)) return false;
      const text = children.map((c) => textOfY(c as Y.XmlText)).join('').trim();
      return text === '' || headings.has(text);
    }
    return isEmptySection(node);
  });
}

function isEmptySection(el: Y.XmlElement): boolean {
  if (!EMPTY_SECTION_NODES.has(el.nodeName)) return false;
  // A ticked item is something someone did, even without a word.
  const checked: unknown = el.getAttribute('checked');
  if (el.nodeName === 'taskItem' && (checked === true || checked === 'true')) return false;
  return el.toArray().every((c) => {
    if (c instanceof Y.XmlText) return textOfY(c).trim() === '';
    return c instanceof Y.XmlElement && isEmptySection(c);
  });
}

function textOfY(text: Y.XmlText): string {
  // Embeds (a mention, an image inline) are content too: they count as a character.
  return (text.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '\uFFFC')).join('');
}

function textOfJson(node: JSONContent): string {
  if (node.type === 'text') return node.text ?? '';
  return (node.content ?? []).map(textOfJson).join('');
}
