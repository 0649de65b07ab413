import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { AuthorCharsDto } from '../../shared/history/history.js';
import { distinctColors } from '../lib/identity.js';

/** Who each Yjs client id is (from GET /api/sessions/:id/authors), or null: authors not shown. */
export type ClientAuthors = ReadonlyMap<number, { name: string; color: string }> | null;

export const authorTintKey = new PluginKey<{ authors: ClientAuthors; decorations: DecorationSet }>('authorTint');

const COLOR = /^#[0-9a-fA-F]{6}$/;

/**
 * The authors response as a map from client id to name and colour. People
 * get colours apart from each other (in name order, so a refresh does not
 * reshuffle them); the server's kinds keep theirs.
 */
export function clientAuthors(list: readonly AuthorCharsDto[]): Map<number, { name: string; color: string }> {
  const people = list.filter((a) => a.kind === 'person').sort((a, b) => a.name.localeCompare(b.name));
  const colors = distinctColors(people.map((a) => ({ key: a.name, name: a.name, preferred: a.color })));
  const out = new Map<number, { name: string; color: string }>();
  for (const a of list) {
    const color = (a.kind === 'person' ? colors.get(a.name) : undefined) ?? a.color;
    for (const c of a.clients) out.set(c, { name: a.name, color: COLOR.test(color) ? color : '#888888' });
  }
  return out;
}

/**
 * Tints every text run with its writer's colour (name on hover), from the
 * Yjs client id that typed it: the server binds client ids to people, so the
 * tint shows who wrote what, not who claims to have. Off until the page
 * sets the authors (a transaction with this plugin's meta; null turns it off).
 */
function decorate(state: EditorState, authors: ClientAuthors): DecorationSet {
  if (!authors) return DecorationSet.empty;
  const sync = ySyncPluginKey.getState(state) as { type: Y.XmlFragment; binding: { mapping: Map<unknown, unknown> } | null } | undefined;
  if (!sync?.binding) return DecorationSet.empty;
  const decorations: Decoration[] = [];
  const size = state.doc.content.size;
  const mapping = sync.binding.mapping;
  // Where each node of the editor's document starts; the binding maps every Y element to its node.
  const posOf = new Map<PMNode, number>();
  state.doc.descendants((node, pos) => {
    posOf.set(node, pos);
    return true;
  });
  const walk = (parent: Y.XmlFragment | Y.XmlElement, contentStart: number): void => {
    let cursor = contentStart;
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) {
        for (let item = child._start; item; item = item.right) {
          if (item.deleted || !item.countable) continue;
          const from = cursor;
          cursor += item.length;
          const who = authors.get(item.id.client);
          if (!who || !(item.content instanceof Y.ContentString) || cursor > size) continue;
          decorations.push(Decoration.inline(from, cursor, { class: 'author-tint', style: `--author-color: ${who.color}`, title: who.name }));
        }
      } else if (child instanceof Y.XmlElement) {
        const node = mapping.get(child) as PMNode | undefined;
        const at = node ? posOf.get(node) : undefined;
        // A block the view has not caught up with yet is tinted at the next change; the rest keep their places.
        if (!node || at === undefined) return;
        walk(child, at + 1);
        cursor = at + node.nodeSize;
      }
    }
  };
  walk(sync.type, 0);
  return DecorationSet.create(state.doc as PMNode, decorations);
}

export const AuthorTint = Extension.create({
  name: 'authorTint',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: authorTintKey,
        state: {
          init: () => ({ authors: null as ClientAuthors, decorations: DecorationSet.empty }),
          apply(tr, prev, _old, state) {
            const meta = tr.getMeta(authorTintKey) as { authors: ClientAuthors } | undefined;
            const authors = meta ? meta.authors : prev.authors;
            if (!meta && (!authors || !tr.docChanged)) return prev;
            return { authors, decorations: decorate(state, authors) };
          },
        },
        props: {
          decorations: (state) => authorTintKey.getState(state)?.decorations ?? DecorationSet.empty,
        },
      }),
    ];
  },
});
