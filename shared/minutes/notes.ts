import type { JSONContent } from '@tiptap/core';
import { safeHref } from '../editor/safeUrl.js';

/**
 * Deepest nesting the minutes keep as structure, counted from the document
 * (a list inside a list item is two levels: about 30 nested lists). Anything
 * deeper is shown flattened: a marker paragraph, then the text of every
 * paragraph below, in order.
 */
export const MINUTES_MAX_DEPTH = 64;

export const FLATTENED_MARKER = `[Nested more than ${MINUTES_MAX_DEPTH} levels deep: the rest of this part is shown flattened]`;

/** How a node type behaves, for the normaliser: holds text, holds blocks, a leaf block, or inline. */
export type NodeKind = 'textblock' | 'container' | 'leaf' | 'inline';

const KINDS: Record<string, NodeKind> = {
  doc: 'container',
  paragraph: 'textblock',
  heading: 'textblock',
  codeBlock: 'textblock',
  blockquote: 'container',
  bulletList: 'container',
  orderedList: 'container',
  listItem: 'container',
  taskList: 'container',
  taskItem: 'container',
  horizontalRule: 'leaf',
  text: 'inline',
  hardBreak: 'inline',
};

/** The kinds of the editor schema's nodes (shared/editor/extensions.ts); the server passes the schema's own. */
export const schemaNodeKind = (type: string): NodeKind | undefined => KINDS[type];

const ITEMS: Record<string, string> = { bulletList: 'listItem', orderedList: 'listItem', taskList: 'taskItem' };
export const schemaListItem = (type: string): string | undefined => ITEMS[type];
export const schemaLeadsWithParagraph = (parent: string, child: string): boolean => (parent === 'listItem' || parent === 'taskItem') && child !== 'paragraph';

export interface NormalizeOptions {
  maxDepth?: number;
  /** Unknown types (undefined) keep their text: as a paragraph, or spliced into the text around them. */
  kindOf?: (type: string) => NodeKind | undefined;
  /** For a node that holds items rather than blocks (a list), the item type a stray block is wrapped in. */
  itemOf?: (type: string) => string | undefined;
  /** Whether a node of `parent` type must start with a paragraph when its first block is a `child` (a list item does). */
  leadsWithParagraph?: (parent: string, child: string) => boolean;
}

type Node = JSONContent;
type Typed = JSONContent & { type: string };

const isNode = (n: unknown): n is Typed => typeof n === 'object' && n !== null && typeof (n as Node).type === 'string';

/** A heading level every renderer can use: an integer from 1 to 6 (a missing or broken one is 1). */
export function headingLevel(n: Node): number {
  const level = Math.round(Number(n.attrs?.level));
  return Number.isFinite(level) ? Math.min(6, Math.max(1, level)) : 1;
}

/** An ordered list's first number: a non-negative integer (a broken one is 1). */
export function listStart(n: Node): number {
  const start = Math.floor(Number(n.attrs?.start ?? 1));
  return Number.isFinite(start) ? Math.min(1e9, Math.max(0, start)) : 1;
}

function cleanText(n: Node): Node | null {
  if (typeof n.text !== 'string' || n.text === '') return null;
  const marks: NonNullable<Node['marks']> = [];
  for (const m of Array.isArray(n.marks) ? n.marks : []) {
    if (!isNode(m)) continue;
    if (m.type !== 'link') {
      marks.push(m);
      continue;
    }
    // An unsafe link loses its mark, never its text.
    const href = safeHref(m.attrs?.href);
    if (href !== null) marks.push({ ...m, attrs: { ...m.attrs, href } });
  }
  const out: Node = { type: 'text', text: n.text };
  if (marks.length) out.marks = marks;
  return out;
}

/** All text below `n`, in order (iterative: `n` may be nested arbitrarily deep). */
function textOf(n: Node): string {
  let out = '';
  const stack: unknown[] = [n];
  while (stack.length) {
    const cur = stack.pop();
    if (!isNode(cur)) continue;
    if (cur.type === 'text' && typeof cur.text === 'string') out += cur.text;
    else if (cur.type === 'hardBreak') out += '\n';
    if (Array.isArray(cur.content)) for (let i = cur.content.length - 1; i >= 0; i--) stack.push(cur.content[i]);
  }
  return out;
}

/** The inline content of a textblock: text and hard breaks; anything else becomes its text. */
function inlineContent(n: Node, kindOf: (t: string) => NodeKind | undefined): Node[] {
  const out: Node[] = [];
  for (const c of Array.isArray(n.content) ? n.content : []) {
    if (!isNode(c)) continue;
    if (c.type === 'text') {
      const t = cleanText(c);
      const prev = out.at(-1);
      // Adjacent runs with the same marks are one run, as ProseMirror keeps them (two code spans side by side would not survive Markdown).
      if (t && prev?.type === 'text' && JSON.stringify(prev.marks ?? []) === JSON.stringify(t.marks ?? [])) prev.text += t.text!;
      else if (t) out.push(t);
    } else if (kindOf(c.type) === 'inline') {
      out.push(c.content ? { ...c, content: undefined } : c);
    } else {
      const text = textOf(c);
      if (text) out.push({ type: 'text', text });
    }
  }
  return out;
}

function textblock(n: Node, kindOf: (t: string) => NodeKind | undefined): Node {
  const out: Node = { ...n, content: inlineContent(n, kindOf) };
  if (n.type === 'heading') out.attrs = { ...n.attrs, level: headingLevel(n) };
  if (!out.content!.length) delete out.content;
  return out;
}

/** Everything below a too-deep node, as a marker and one paragraph per textblock, in document order. */
function flatten(n: Node, kindOf: (t: string) => NodeKind | undefined): Node[] {
  const out: Node[] = [{ type: 'paragraph', content: [{ type: 'text', text: FLATTENED_MARKER }] }];
  const stack: unknown[] = [n];
  while (stack.length) {
    const cur = stack.pop();
    if (!isNode(cur)) continue;
    const kind = kindOf(cur.type);
    const hasInline = Array.isArray(cur.content) && cur.content.some((c) => isNode(c) && (c.type === 'text' || kindOf(c.type) === 'inline'));
    if (kind === 'textblock' || (kind === undefined && hasInline)) {
      const content = inlineContent(cur, kindOf);
      if (content.length) out.push({ type: 'paragraph', content });
      continue;
    }
    if (Array.isArray(cur.content)) for (let i = cur.content.length - 1; i >= 0; i--) stack.push(cur.content[i]);
  }
  return out;
}

interface Frame {
  /** Type of the node the children go into (an unwrapped unknown node's children go into its parent). */
  type: string;
  children: unknown[];
  next: number;
  out: Node[];
  depth: number;
  /** The paragraph stray inline content currently goes into. */
  holder: Node | null;
  /** The item made here to hold blocks a list cannot hold directly. */
  wrap: Node | null;
}

/**
 * Notes as every renderer may safely walk them, whatever they came from
 * (a live document, storage from before the validator bounded depth, a JSON
 * file): nesting bounded by `maxDepth` (deeper parts flattened after a
 * marker), links only with safe hrefs (unsafe ones become plain text),
 * heading levels 1–6 and list starts sane, text kept from unknown nodes,
 * stray text in a block position wrapped in a paragraph, and blocks a list
 * cannot hold wrapped in an item. Iterative, so any depth is fine; the result
 * is a new tree.
 */
export function normalizeNotes(doc: unknown, opts: NormalizeOptions = {}): JSONContent {
  const maxDepth = opts.maxDepth ?? MINUTES_MAX_DEPTH;
  const kindOf = opts.kindOf ?? schemaNodeKind;
  const itemOf = opts.itemOf ?? schemaListItem;
  const leads = opts.leadsWithParagraph ?? schemaLeadsWithParagraph;
  const root: Node = { ...(isNode(doc) ? doc : {}), type: 'doc', content: [] };
  const frame0: Frame = { type: 'doc', children: isNode(doc) && Array.isArray(doc.content) ? doc.content : [], next: 0, out: root.content!, depth: 0, holder: null, wrap: null };
  const stack: Frame[] = [frame0];

  /** Whether a block of this type must go into an item in this frame's node (a paragraph in a list). */
  const wrapped = (frame: Frame, type: string) => {
    const item = itemOf(frame.type);
    return item !== undefined && type !== item;
  };
  /** Puts a block into the frame's node, inside an item when the node is a list. */
  const emit = (frame: Frame, node: Node) => {
    frame.holder = null;
    const item = itemOf(frame.type);
    if (!item || node.type === item) {
      if (frame.out.length === 0 && leads(frame.type, node.type!)) frame.out.push({ type: 'paragraph' });
      frame.out.push(node);
      frame.wrap = null;
      return;
    }
    if (!frame.wrap) {
      frame.wrap = { type: item, ...(item === 'taskItem' ? { attrs: { checked: false } } : {}), content: [] };
      frame.out.push(frame.wrap);
    }
    if (frame.wrap.content!.length === 0 && leads(item, node.type!)) frame.wrap.content!.push({ type: 'paragraph' });
    frame.wrap.content!.push(node);
  };

  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.children.length) {
      stack.pop();
      continue;
    }
    const child = frame.children[frame.next++];
    if (!isNode(child)) continue;
    const kind = kindOf(child.type);
    const depth = frame.depth + 1;
    if (kind === 'inline' || child.type === 'text') {
      const inline = child.type === 'text' ? cleanText(child) : { type: child.type, ...(child.attrs ? { attrs: child.attrs } : {}) };
      if (!inline) continue;
      if (!frame.holder) {
        const holder: Node = { type: 'paragraph', content: [] };
        emit(frame, holder);
        frame.holder = holder;
      }
      frame.holder.content!.push(inline);
      continue;
    }
    if (kind === 'leaf') {
      emit(frame, { type: child.type, ...(child.attrs ? { attrs: child.attrs } : {}) });
      continue;
    }
    const children = Array.isArray(child.content) ? child.content : [];
    if (kind === 'textblock') {
      emit(frame, textblock(child, kindOf));
      continue;
    }
    if (kind === undefined) {
      const blocks = children.some((c) => isNode(c) && c.type !== 'text' && kindOf(c.type) !== 'inline');
      // An unknown node is unwrapped: its children take its place (text alone becomes a paragraph).
      if (!blocks) {
        const content = inlineContent(child, kindOf);
        if (content.length) emit(frame, { type: 'paragraph', content });
      } else {
        frame.holder = null;
        stack.push({ ...frame, children, next: 0, holder: null, wrap: null, out: frame.out });
      }
      continue;
    }
    // A container: kept, unless it is too deep to keep as structure (an item made to hold it is a level too).
    const at = depth + (wrapped(frame, child.type) ? 1 : 0);
    // Only containers below make it deeper: one holding text alone stays (so a second pass changes nothing).
    if (at >= maxDepth && children.some((c) => isNode(c) && c.type !== 'text' && (kindOf(c.type) === 'container' || kindOf(c.type) === undefined))) {
      for (const n of flatten(child, kindOf)) emit(frame, n);
      continue;
    }
    const out: Node = { ...child, content: [] };
    if (child.type === 'orderedList') out.attrs = { ...child.attrs, start: listStart(child) };
    emit(frame, out);
    stack.push({ type: child.type, children, next: 0, out: out.content!, depth: at, holder: null, wrap: null });
  }
  return root;
}
