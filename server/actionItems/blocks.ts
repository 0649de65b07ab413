import * as Y from 'yjs';
import { ID_PATTERN } from '../../shared/ids.js';
import { normalizeWithMap } from '../../shared/actionItems/normalize.js';
import { MAX_PARSE_LENGTH, type ActionBlockKind } from '../../shared/actionItems/parse.js';

/** A textblock of the notes as the tagger sees it. */
export interface NotesBlock {
  el: Y.XmlElement;
  kind: ActionBlockKind;
  checked: boolean | undefined;
  text: string;
}

/**
 * The action item a block carries. Any client can write any value into the
 * attribute: only an id of the shape the tagger writes (and the API takes)
 * counts; anything else is no id, and never reaches the index's queries.
 */
export function actionItemIdOf(el: Y.XmlElement): string | null {
  const id = el.getAttribute('actionItemId') as unknown;
  return typeof id === 'string' && ID_PATTERN.test(id) ? id : null;
}

export function isAlive(el: Y.XmlElement): boolean {
  return el.doc !== null && !(el._item?.deleted ?? false);
}

/** The plain text of a paragraph: text runs joined, hard breaks as spaces. */
export function paragraphText(el: Y.XmlElement): string {
  let out = '';
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) {
      out += plainText(child);
    } else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') {
      out += ' ';
    }
  }
  return out;
}

/**
 * The string inserts of `text.toDelta()` joined, read straight from its
 * items: the tagger reads every changed paragraph on every run, and a delta
 * (an object per run of formatting, its attributes copied) was most of that.
 */
export function plainText(text: Y.XmlText): string {
  let out = '';
  for (let item = text._start; item !== null; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentString) out += item.content.str;
  }
  return out;
}

/** Describes a paragraph by where it sits: in a task item, a list item, or on its own. */
export function describeParagraph(el: Y.XmlElement): NotesBlock {
  const parent = el.parent;
  let kind: ActionBlockKind = 'paragraph';
  let checked: boolean | undefined;
  if (parent instanceof Y.XmlElement) {
    if (parent.nodeName === 'taskItem') {
      kind = 'taskItem';
      const c = parent.getAttribute('checked') as unknown;
      checked = c === true || c === 'true';
    } else if (parent.nodeName === 'listItem') {
      kind = 'listItem';
    }
  }
  return { el, kind, checked, text: paragraphText(el) };
}

/** A character every action item has once normalised, unless it is a task item: a marker's colon or "#action", a box, a "##tag". */
const ITEM_SIGN = /[:[#☐☑☒✅✔]/u;
const NOT_ASCII = /\P{ASCII}/u;

/**
 * False when the parser cannot find an item in this text (a paragraph or
 * list item's line): most lines of notes are not action items, and this
 * one test costs a fraction of the parser's expressions.
 */
export function mayBeActionItem(text: string): boolean {
  const head = text.length > MAX_PARSE_LENGTH ? text.slice(0, MAX_PARSE_LENGTH) : text;
  // ASCII is its own normal form.
  return ITEM_SIGN.test(NOT_ASCII.test(head) ? normalizeWithMap(head).text : head);
}

/** Only the first paragraph of a list or task item is the item's line. */
export function isItemLine(el: Y.XmlElement): boolean {
  const parent = el.parent;
  if (!(parent instanceof Y.XmlElement)) return true;
  if (parent.nodeName !== 'taskItem' && parent.nodeName !== 'listItem') return true;
  return parent.get(0) === el;
}

/**
 * Collects every paragraph below `node`, in document order. Iterative: a
 * document may nest as deep as its updates could make it, and the call stack
 * must not be what limits that.
 */
export function collectParagraphs(node: Y.XmlElement | Y.XmlFragment, out: Y.XmlElement[] = []): Y.XmlElement[] {
  const stack: (Y.XmlElement | Y.XmlFragment)[] = [node];
  while (stack.length) {
    const cur = stack.pop()!;
    if (cur instanceof Y.XmlElement && cur.nodeName === 'paragraph') {
      out.push(cur);
      continue;
    }
    const children = cur.toArray();
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child instanceof Y.XmlElement) stack.push(child);
    }
  }
  return out;
}

/**
 * Sortable positions: each ancestor's index among its siblings, zero-padded.
 * Sibling indexes are cached per parent, so typing (which never adds or
 * removes blocks) costs no walk of a long document; the tagger clears the
 * cache when blocks are added or removed.
 */
export class PositionIndex {
  private readonly byParent = new Map<object, Map<object, number>>();

  clear(): void {
    this.byParent.clear();
  }

  positionOf(el: Y.XmlElement): string {
    const parts: string[] = [];
    let node: Y.XmlElement | Y.XmlFragment = el;
    while (node instanceof Y.XmlElement && node.parent) {
      const parent: Y.AbstractType<unknown> = node.parent;
      parts.push(String(this.indexIn(parent, node)).padStart(6, '0'));
      if (!(parent instanceof Y.XmlElement)) break;
      node = parent;
    }
    return parts.reverse().join('.');
  }

  private indexIn(parent: object, child: object): number {
    let map = this.byParent.get(parent);
    if (!map) {
      map = new Map();
      (parent as Y.XmlFragment).toArray().forEach((c, i) => map!.set(c, i));
      this.byParent.set(parent, map);
    }
    return map.get(child) ?? -1;
  }
}
