import type { JSONContent } from '@tiptap/core';
import { isSafeUrl } from '../editor/safeUrl.js';
import { LIMITS } from '../limits.js';
import { ImportProblem } from './importProblem.js';

/** Paragraph attributes only the server's tagger may set: an imported file never brings its own. */
const TAGGER_ATTRS = new Set(['actionItemId', 'actionStatus']);
/** Nodes whose children are blocks: stray inline content in them is wrapped in a paragraph, empty paragraphs go. */
const BLOCK_CONTAINERS = new Set(['doc', 'blockquote']);
const ITEM_CONTAINERS = new Set(['listItem', 'taskItem']);
const INLINE = new Set(['text', 'hardBreak']);

/**
 * The last step of every converter, on the client (paste) and the server
 * (import): links that are not http, https or mailto lose their link (the
 * text stays), tagger attributes go, a text node's newlines become separate
 * paragraphs (one line is one block, as in a pad, so the tagger sees each
 * action line), empty text nodes and blank paragraphs between blocks go,
 * inline content standing among blocks gets a paragraph, and nesting deeper than
 * `LIMITS.maxImportDepth` is refused.
 */
export function sanitizeNotes(doc: JSONContent, maxDepth: number = LIMITS.maxImportDepth): JSONContent {
  const clean = (node: JSONContent, depth: number, inCode: boolean): JSONContent[] => {
    if (depth > maxDepth) throw new ImportProblem('too_deep', `the notes are nested more than ${maxDepth} levels deep`);
    if (node.type === 'text') {
      if (!node.text) return [];
      const marks = (node.marks ?? []).flatMap((m) => {
        if (m.type !== 'link') return [m];
        const href = typeof m.attrs?.href === 'string' ? m.attrs.href.trim() : '';
        return isSafeUrl(href) ? [{ type: 'link', attrs: { href } }] : [];
      });
      return [{ type: 'text', text: node.text, ...(marks.length ? { marks } : {}) }];
    }
    const code = inCode || node.type === 'codeBlock';
    const out: JSONContent = { type: node.type };
    if (node.attrs) {
      const attrs = Object.fromEntries(Object.entries(node.attrs).filter(([k]) => !TAGGER_ATTRS.has(k)));
      if (Object.keys(attrs).length) out.attrs = attrs;
    }
    if (node.content) out.content = mergeTexts(node.content.flatMap((c) => clean(c, depth + 1, code)));
    if (out.content && (BLOCK_CONTAINERS.has(node.type ?? '') || ITEM_CONTAINERS.has(node.type ?? ''))) out.content = blocksOnly(out.content, ITEM_CONTAINERS.has(node.type ?? ''));
    if (node.type === 'paragraph' && !code) return splitLines(out);
    return [out];
  };
  const [root] = clean(doc, 0, false);
  return root ?? { type: 'doc', content: [] };
}

/** "a\nb" in one paragraph becomes two paragraphs; marks stay on their text. */
function splitLines(p: JSONContent): JSONContent[] {
  const content = p.content ?? [];
  if (!content.some((c) => c.type === 'text' && c.text?.includes('\n'))) return [p];
  const lines: JSONContent[][] = [[]];
  for (const c of content) {
    if (c.type !== 'text' || !c.text!.includes('\n')) {
      lines[lines.length - 1]!.push(c);
      continue;
    }
    c.text!.split('\n').forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines[lines.length - 1]!.push({ ...c, text: part });
    });
  }
  const paragraphs = lines.filter((l) => l.length > 0).map((l) => ({ ...p, content: l }));
  return paragraphs.length ? paragraphs : [{ ...p, content: [] }];
}

function blocksOnly(children: JSONContent[], isItem: boolean): JSONContent[] {
  const out: JSONContent[] = [];
  for (const c of children) {
    if (!INLINE.has(c.type ?? '')) out.push(c);
    else {
      const last = out[out.length - 1];
      if (last?.type === 'paragraph' && last.wrapped) last.content!.push(c);
      else out.push({ type: 'paragraph', content: [c], wrapped: true } as JSONContent);
    }
  }
  for (const c of out) delete (c as { wrapped?: boolean }).wrapped;
  // A list item needs its first paragraph, even an empty one; elsewhere blank paragraphs are only spacing.
  return out.filter((c, i) => c.type !== 'paragraph' || (c.content?.length ?? 0) > 0 || (isItem && i === 0));
}

/** Neighbouring text with the same marks is one text node (as ProseMirror would store it). */
function mergeTexts(nodes: JSONContent[]): JSONContent[] {
  const out: JSONContent[] = [];
  for (const n of nodes) {
    const last = out[out.length - 1];
    if (n.type === 'text' && last?.type === 'text' && JSON.stringify(last.marks ?? []) === JSON.stringify(n.marks ?? [])) out[out.length - 1] = { ...last, text: last.text! + n.text! };
    else out.push(n);
  }
  return out;
}
