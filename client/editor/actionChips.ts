import { Extension } from '@tiptap/core';
import { DOMSerializer, type Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type NodeView, type ViewMutationRecord } from '@tiptap/pm/view';
import { parseActionItem } from '../../shared/actionItems/parse.js';

export const actionChipsKey = new PluginKey<DecorationSet>('actionChips');

export interface ActionChipsOptions {
  dueLabel: (date: string) => string;
  /** The session's local date (YYYY-MM-DD), so "due 5/17" shows the same year as the index. */
  sessionDate: () => string | null;
  /** Names of the session's people (moderators, note-takers), so "TODO: bob to …" makes bob the owner. */
  knownNames?: () => readonly string[];
  /** Ticks an item (the server sets the status in the notes and the index). Absent: no tick box is drawn. */
  toggle?: {
    onToggle: (id: string, status: 'open' | 'done') => void;
    /** Read when clicked: whether this person may tick right now (not a view link, not locked). */
    canToggle: () => boolean;
    /** Accessible names of the box, in the UI language. */
    label: (status: 'open' | 'done') => string;
  };
}

/** The tick box in front of an action line (checklist items have their own box). */
function tickBox(id: string, status: 'open' | 'done', toggle: NonNullable<ActionChipsOptions['toggle']>): HTMLElement {
  const interactive = toggle.canToggle();
  const el = document.createElement(interactive ? 'button' : 'span');
  el.className = `action-tick${status === 'done' ? ' is-done' : ''}`;
  el.contentEditable = 'false';
  el.textContent = status === 'done' ? '✓' : '';
  el.dataset.testid = 'action-tick';
  el.dataset.actionItemId = id;
  if (el instanceof HTMLButtonElement) {
    el.type = 'button';
    el.setAttribute('aria-pressed', String(status === 'done'));
    el.setAttribute('aria-label', toggle.label(status));
    el.title = toggle.label(status);
    // Not a caret move: keep the selection where the note-taker is writing.
    el.addEventListener('mousedown', (e) => e.preventDefault());
    el.addEventListener('click', (e) => {
      e.preventDefault();
      if (toggle.canToggle()) toggle.onToggle(id, status === 'done' ? 'open' : 'done');
    });
  } else el.setAttribute('aria-hidden', 'true');
  return el;
}

function chip(text: string, kind: string): HTMLElement {
  const el = document.createElement('span');
  el.className = `chip chip-${kind}`;
  el.textContent = text;
  return el;
}

/** Decorations for one paragraph the server marked: a highlight and its chips. */
function decorateParagraph(node: PMNode, pos: number, parent: PMNode | null, opts: ActionChipsOptions, out: Decoration[]): void {
  const id = node.attrs.actionItemId as string | null;
  if (!id) return;
  const isTask = parent?.type.name === 'taskItem';
  const parsed = parseActionItem({ text: node.textContent, kind: isTask ? 'taskItem' : 'paragraph', checked: Boolean(parent?.attrs.checked) }, { sessionDate: opts.sessionDate(), knownNames: opts.knownNames?.() });
  // Mirrors the tagger: a checkbox (real or typed) is the truth, otherwise the status the board set.
  const boxed = isTask || parsed?.source === 'task';
  const status = boxed ? (parsed?.status ?? 'open') : (node.attrs.actionStatus as string | null) === 'done' ? 'done' : 'open';
  out.push(Decoration.node(pos, pos + node.nodeSize, { class: `action-item action-${status}`, 'data-action-item-id': id, 'data-action-status': status }));
  // A line with its own box (a checklist item, a typed "[ ]") is ticked there; the others get one in front.
  if (!boxed && opts.toggle) {
    const toggle = opts.toggle;
    out.push(Decoration.widget(pos + 1, () => tickBox(id, status, toggle), { side: -1, ignoreSelection: true, stopEvent: () => true, key: `tick-${id}-${status}` }));
  }
  if (!parsed || (parsed.owners.length === 0 && !parsed.due && parsed.tags.length === 0)) return;
  out.push(
    Decoration.widget(
      pos + node.nodeSize - 1,
      () => {
        const wrap = document.createElement('span');
        wrap.className = 'action-chips';
        wrap.contentEditable = 'false';
        for (const o of parsed.owners) wrap.append(chip(`@${o}`, 'owner'));
        if (parsed.due) wrap.append(chip(opts.dueLabel(parsed.due), 'due'));
        for (const t of parsed.tags) wrap.append(chip(`#${t}`, 'tag'));
        return wrap;
      },
      { side: 1, ignoreSelection: true, key: `chips-${id}-${parsed.owners.join(',')}-${parsed.due}-${parsed.tags.join(',')}` },
    ),
  );
}

function decorateRange(doc: PMNode, from: number, to: number, opts: ActionChipsOptions, out: Decoration[]): void {
  doc.nodesBetween(from, to, (node, pos, parent) => {
    if (node.type.name !== 'paragraph') return true;
    decorateParagraph(node, pos, parent, opts, out);
    return false;
  });
}

/** The top-level blocks a transaction touched, as [from, to) ranges of the new document. */
function touchedBlocks(tr: Transaction): [number, number][] {
  const out: [number, number][] = [];
  const doc = tr.doc;
  const touch = (start: number, end: number, rest: Transaction['mapping']) => {
    const a = Math.max(0, Math.min(doc.content.size, rest.map(start, -1)));
    const b = Math.max(a, Math.min(doc.content.size, rest.map(end, 1)));
    if (doc.childCount === 0) return;
    const $a = doc.resolve(a);
    const $b = doc.resolve(b);
    const startIndex = Math.min($a.index(0), doc.childCount - 1);
    const endIndex = Math.max(startIndex, Math.min($b.index(0), doc.childCount - 1));
    out.push([$a.posAtIndex(startIndex, 0), $b.posAtIndex(endIndex, 0) + doc.child(endIndex).nodeSize]);
  };
  tr.mapping.maps.forEach((map, i) => {
    const rest = tr.mapping.slice(i + 1);
    map.forEach((_oldStart, _oldEnd, newStart, newEnd) => touch(newStart, newEnd, rest));
    // Attribute steps change no positions, so their map is empty: take the node they changed.
    const step = tr.steps[i] as unknown as { pos?: unknown };
    if (typeof step.pos === 'number') touch(step.pos, step.pos, rest);
  });
  return out;
}

/**
 * Paragraphs whose attributes change in place. Without it ProseMirror
 * re-creates a paragraph whose attributes changed, and when the server tags
 * the line someone is composing with an IME (Japanese input), the half-typed
 * reading is committed as text and then typed again ("しりょう資料").
 */
class ParagraphView implements NodeView {
  readonly dom: HTMLElement;
  readonly contentDOM: HTMLElement;
  private rendered: Set<string>;

  constructor(private node: PMNode) {
    const { dom, contentDOM } = DOMSerializer.renderSpec(document, node.type.spec.toDOM!(node));
    this.dom = dom as HTMLElement;
    this.contentDOM = (contentDOM ?? dom) as HTMLElement;
    this.rendered = new Set(this.dom.getAttributeNames());
  }

  update(node: PMNode): boolean {
    if (node.type !== this.node.type) return false;
    if (node.attrs !== this.node.attrs) {
      const fresh = DOMSerializer.renderSpec(document, node.type.spec.toDOM!(node)).dom as HTMLElement;
      if (fresh.nodeName !== this.dom.nodeName) return false;
      const names = new Set(fresh.getAttributeNames());
      // Only what toDOM rendered: decoration classes on the same element belong to ProseMirror.
      for (const name of this.rendered) if (!names.has(name)) this.dom.removeAttribute(name);
      for (const name of names) if (this.dom.getAttribute(name) !== fresh.getAttribute(name)) this.dom.setAttribute(name, fresh.getAttribute(name)!);
      this.rendered = names;
    }
    this.node = node;
    return true;
  }

  ignoreMutation(m: ViewMutationRecord): boolean {
    return m.type === 'attributes' && m.target === this.dom;
  }
}

/**
 * Renders the server's action-item marks: a highlight on the block and
 * owner, due-date and tag chips. Chips are widgets, never document content.
 * Only the blocks a transaction touched are re-read, so typing in a long
 * document does not re-parse every action item on every keystroke.
 */
export function ActionChips(opts: ActionChipsOptions) {
  return Extension.create({
    name: 'actionChips',
    addProseMirrorPlugins() {
      return [actionChipsPlugin(opts)];
    },
  });
}

/** The ProseMirror plugin behind ActionChips (exported for tests). */
export function actionChipsPlugin(opts: ActionChipsOptions): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: actionChipsKey,
    state: {
      init: (_config, state) => decorateAll(state.doc, opts),
      apply: (tr, old) => {
        if (!tr.docChanged) return old;
        let set = old.map(tr.mapping, tr.doc);
        for (const [from, to] of touchedBlocks(tr)) {
          // Strictly inside the blocks: the neighbours' decorations end or start exactly at the edges.
          set = set.remove(set.find(from + 1, Math.max(from + 1, to - 1)));
          const fresh: Decoration[] = [];
          decorateRange(tr.doc, from, to, opts, fresh);
          set = set.add(tr.doc, fresh);
        }
        return set;
      },
    },
    props: {
      decorations: (state) => actionChipsKey.getState(state),
      nodeViews: { paragraph: (node) => new ParagraphView(node) },
    },
  });
}

/** Every decoration for a whole document, computed from scratch (what the incremental path must equal). */
export function decorateAll(doc: PMNode, opts: ActionChipsOptions): DecorationSet {
  const out: Decoration[] = [];
  decorateRange(doc, 0, doc.content.size, opts, out);
  return DecorationSet.create(doc, out);
}
