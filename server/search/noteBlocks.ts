import * as Y from 'yjs';

/** The blocks that hold text; everything else (lists, quotes, task items) only contains them. */
export const TEXT_BLOCKS = new Set(['paragraph', 'heading', 'codeBlock']);

/**
 * A block's address: the Yjs id of its element ("client-clock"). It is the
 * same on every replica, never changes while the block lives (typing, edits
 * elsewhere, blocks added above it), costs no write into the document, and
 * names nothing once the block is gone. An index path ("3.0.1") would point
 * at another block after any concurrent insert above it.
 */
export function blockIdOf(el: Y.XmlElement): string | null {
  const id = el._item?.id;
  return id ? `${id.client}-${id.clock}` : null;
}

export const BLOCK_ID_PATTERN = /^\d{1,10}-\d{1,12}$/;

export interface BlockContent {
  /** Text runs joined, hard breaks as spaces. */
  text: string;
  /** Characters (code points) of the current text by the Yjs client id that typed them. */
  authors: Record<string, number>;
}

function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/** One pass over a text block's items: its text and who typed each character still in it. */
export function readBlock(el: Y.XmlElement): BlockContent {
  let text = '';
  const authors: Record<string, number> = {};
  for (let child = el._start; child; child = child.right) {
    if (child.deleted || !(child.content instanceof Y.ContentType)) continue;
    const type = child.content.type;
    if (type instanceof Y.XmlText) {
      for (let item = type._start; item; item = item.right) {
        if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
        const s = item.content.str;
        text += s;
        const client = String(item.id.client);
        authors[client] = (authors[client] ?? 0) + codePoints(s);
      }
    } else if (type instanceof Y.XmlElement && type.nodeName === 'hardBreak') {
      text += ' ';
    }
  }
  return { text, authors };
}


export interface PlacedBlock {
  el: Y.XmlElement;
  blockId: string;
  /** Position in document order. */
  ord: number;
  /** Text of the nearest heading above ('' for headings themselves and blocks above the first heading). */
  heading: string;
  isHeading: boolean;
}

const HEADING_CHARS = 200;

/** Every text block of the notes in document order, with the heading each sits under. */
export function placeBlocks(fragment: Y.XmlFragment): PlacedBlock[] {
  const out: PlacedBlock[] = [];
  let heading = '';
  const visit = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (!TEXT_BLOCKS.has(child.nodeName)) {
        visit(child);
        continue;
      }
      const blockId = blockIdOf(child);
      if (!blockId) continue;
      const isHeading = child.nodeName === 'heading';
      if (isHeading) heading = readBlock(child).text.replace(/\s+/g, ' ').trim().slice(0, HEADING_CHARS);
      out.push({ el: child, blockId, ord: out.length, heading: isHeading ? '' : heading, isHeading });
    }
  };
  visit(fragment);
  return out;
}

export function isLive(el: Y.XmlElement): boolean {
  return el.doc !== null && !(el._item?.deleted ?? false);
}

/** True when `el` is a text block of `fragment` (not of another type someone created in the document). */
export function isTextBlockIn(el: Y.XmlElement, fragment: Y.XmlFragment): boolean {
  if (!TEXT_BLOCKS.has(el.nodeName) || !isLive(el)) return false;
  let node: unknown = el;
  while (node instanceof Y.XmlElement) node = node.parent;
  return node === fragment;
}
