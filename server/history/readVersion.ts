import type { JSONContent } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';
import type { HistoryAuthor } from '../../shared/history/history.js';
import { HISTORY_TEXT_BLOCKS } from '../../shared/history/history.js';
import { normalizeNotes } from '../../shared/minutes/notes.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { itemIn, kindIn, leadsIn, marksOf } from '../minutes/notesJson.js';

export interface ReadVersionOptions {
  /** The version to show, as a snapshot of `doc`. */
  at: Y.Snapshot;
  /** An earlier version to compare with: what changed since gets `change` marks (inserted, deleted). */
  from?: Y.Snapshot;
  /** Who wrote with a Yjs client id. */
  authorOf(client: number): HistoryAuthor;
  /** The history schema (shared/history/historySchema.ts). */
  schema: Schema;
}

export interface ReadVersion {
  doc: JSONContent;
  /** The authors of the text shown, most characters first. */
  authors: (HistoryAuthor & { chars: number })[];
}

type ChildState = 'same' | 'inserted' | 'deleted';

const TEXT_BLOCKS = new Set<string>(HISTORY_TEXT_BLOCKS);

const visible = (item: Y.Item, snap: Y.Snapshot): boolean => (snap.sv.get(item.id.client) ?? 0) > item.id.clock && !Y.isDeleted(snap.ds, item.id);

function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

/**
 * The notes as they were in one version (or what changed between two), as
 * ProseMirror JSON of the history schema: every text run carries an `author`
 * mark, every text block its Yjs id (`blockId`); with `from`, insertions and
 * deletions carry `change` marks and deleted blocks are shown where they were.
 * Reads the document through snapshots, so `doc` must keep deleted content
 * (gc off) and hold at least everything up to `at`. Iterative, like the
 * minutes' reading (server/minutes/notesJson.ts), and normalised the same way.
 */
export function readVersion(doc: Y.Doc, opts: ReadVersionOptions): ReadVersion {
  const { at, from, schema } = opts;
  const chars = new Map<number, number>();
  const root: JSONContent = { type: 'doc', content: [] };
  // One transaction for the whole walk: Yjs splits the structs a snapshot cuts through once, not per text node.
  doc.transact(() => {
    const stack: { el: Y.XmlFragment | Y.XmlElement; out: JSONContent[] }[] = [{ el: doc.getXmlFragment(NOTES_FRAGMENT), out: root.content! }];
    while (stack.length) {
      const { el, out } = stack.pop()!;
      for (let item = el._start; item; item = item.right) {
        if (!(item.content instanceof Y.ContentType)) continue;
        const inAt = visible(item, at);
        const inFrom = from ? visible(item, from) : inAt;
        if (!inAt && !inFrom) continue;
        const state: ChildState = inAt && inFrom ? 'same' : inAt ? 'inserted' : 'deleted';
        const child = item.content.type;
        if (child instanceof Y.XmlText) {
          for (const run of textRuns(child, at, from, state, opts, chars)) out.push(run);
        } else if (child instanceof Y.XmlElement) {
          const attrs = child.getAttributes(state === 'deleted' ? from : at) as Record<string, unknown>;
          if (TEXT_BLOCKS.has(child.nodeName)) attrs.blockId = `${item.id.client}-${item.id.clock}`;
          const node: JSONContent = { type: child.nodeName, attrs, content: [] };
          out.push(node);
          stack.push({ el: child, out: node.content! });
        }
      }
    }
  }, 'history-read');
  const normalized = normalizeNotes(root, {
    kindOf: (type) => kindIn(schema, type),
    itemOf: (type) => itemIn(schema, type),
    leadsWithParagraph: (parent, child) => leadsIn(schema, parent, child),
  });
  let json: JSONContent;
  try {
    json = schema.nodeFromJSON(normalized).toJSON() as JSONContent;
  } catch {
    json = normalized;
  }
  const authors = new Map<string, HistoryAuthor & { chars: number }>();
  for (const [client, n] of chars) {
    const a = opts.authorOf(client);
    const id = `${a.kind}:${a.name}`;
    const e = authors.get(id);
    if (e) e.chars += n;
    else authors.set(id, { ...a, chars: n });
  }
  return { doc: json, authors: [...authors.values()].sort((a, b) => b.chars - a.chars || a.name.localeCompare(b.name)) };
}

interface YChange {
  type: 'added' | 'removed';
  user: number;
}

function textRuns(text: Y.XmlText, at: Y.Snapshot, from: Y.Snapshot | undefined, state: ChildState, opts: ReadVersionOptions, chars: Map<number, number>): JSONContent[] {
  const out: JSONContent[] = [];
  // Against the empty snapshot every visible run is "added", which is how each run gets the client id that wrote it.
  const delta = text.toDelta(at, from ?? Y.emptySnapshot, (type: 'added' | 'removed', id: Y.ID): YChange => ({ type, user: id.client })) as {
    insert: unknown;
    attributes?: Record<string, unknown>;
  }[];
  for (const op of delta) {
    if (typeof op.insert !== 'string' || op.insert === '') continue;
    const { ychange, ...attributes } = op.attributes ?? {};
    const change = ychange as YChange | undefined;
    const marks = marksOf(attributes, opts.schema);
    if (change) {
      const a = opts.authorOf(change.user);
      marks.push({ type: 'author', attrs: { name: a.name, kind: a.kind, color: a.color } });
      if (change.type === 'added' || from) chars.set(change.user, (chars.get(change.user) ?? 0) + codePoints(op.insert));
      if (from && change.type === 'added') marks.push({ type: 'change', attrs: { kind: 'inserted' } });
      if (from && change.type === 'removed') marks.push({ type: 'change', attrs: { kind: 'deleted' } });
    } else if (from && state !== 'same') {
      marks.push({ type: 'change', attrs: { kind: state } });
    }
    out.push(marks.length ? { type: 'text', text: op.insert, marks } : { type: 'text', text: op.insert });
  }
  return out;
}
