import { Schema, type DOMOutputSpec, type MarkSpec, type Node as PMNode, type NodeSpec } from '@tiptap/pm/model';
import { AUTHOR_KINDS, COLOR_PATTERN, HISTORY_TEXT_BLOCKS } from './history.js';

/**
 * The notes schema as history shows it: the same nodes, plus two marks that
 * exist only in history views (who wrote a text run; what a diff inserted or
 * deleted) and each text block's Yjs id (`blockId`, what a block restore
 * names). The notes themselves never hold these: the server adds them when it
 * reads a version, the timeslider renders them.
 */

const safeColor = (c: unknown): string | null => (typeof c === 'string' && COLOR_PATTERN.test(c) ? c : null);

const authorMark: MarkSpec = {
  attrs: { name: { default: '' }, kind: { default: 'person' }, color: { default: null } },
  inclusive: false,
  toDOM(mark) {
    const name = String(mark.attrs.name ?? '');
    const kind = (AUTHOR_KINDS as readonly unknown[]).includes(mark.attrs.kind) ? String(mark.attrs.kind) : 'person';
    const color = safeColor(mark.attrs.color);
    // Only #rrggbb reaches the page: Etherpad once had XSS through author colours.
    return ['span', { class: 'author-run', 'data-author': name, 'data-kind': kind, title: name, ...(color ? { style: `--author-color: ${color}` } : {}) }, 0];
  },
};

const changeMark: MarkSpec = {
  attrs: { kind: { default: 'inserted' } },
  inclusive: false,
  excludes: '',
  toDOM(mark) {
    return mark.attrs.kind === 'deleted' ? ['del', { class: 'change-deleted' }, 0] : ['ins', { class: 'change-inserted' }, 0];
  },
};


/** Adds `data-block-id` to what a node's own toDOM returns. */
function withBlockIdAttr(out: DOMOutputSpec, blockId: unknown): DOMOutputSpec {
  if (typeof blockId !== 'string' || !Array.isArray(out)) return out;
  const [tag, second, ...rest] = out as unknown[];
  const isAttrs = typeof second === 'object' && second !== null && !Array.isArray(second) && !('nodeType' in second);
  return (isAttrs ? [tag, { ...(second as object), 'data-block-id': blockId }, ...rest] : [tag, { 'data-block-id': blockId }, second, ...rest].filter((x) => x !== undefined)) as DOMOutputSpec;
}

function withBlockId(spec: NodeSpec, allowHistoryMarks: boolean): NodeSpec {
  const toDOM = spec.toDOM;
  return {
    ...spec,
    attrs: { ...spec.attrs, blockId: { default: null } },
    ...(allowHistoryMarks ? { marks: 'author change' } : {}),
    ...(toDOM ? { toDOM: (node: PMNode) => withBlockIdAttr(toDOM(node), node.attrs.blockId) } : {}),
  };
}

/** The history schema over a notes schema (the server's, or the one the browser builds from the same extensions). */
export function historySchema(notes: Schema): Schema {
  let nodes = notes.spec.nodes;
  for (const name of HISTORY_TEXT_BLOCKS) {
    const spec = nodes.get(name);
    // A code block takes no marks in the notes; in history it shows who wrote it too.
    if (spec) nodes = nodes.update(name, withBlockId(spec, spec.marks === ''));
  }
  return new Schema({ nodes, marks: notes.spec.marks.append({ author: authorMark, change: changeMark }), topNode: notes.spec.topNode });
}
