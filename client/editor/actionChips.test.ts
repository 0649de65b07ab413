import { getSchema } from '@tiptap/core';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import type { Decoration, DecorationSet } from '@tiptap/pm/view';
import { describe, expect, it } from 'vitest';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { sessionLocalDate } from '../lib/format.js';
import { actionChipsKey, actionChipsPlugin, decorateAll, type ActionChipsOptions } from './actionChips.js';

const opts: ActionChipsOptions = { dueLabel: (d) => `due ${d}`, sessionDate: () => '2016-04-25' };

/** A comparable description of a decoration set: ranges, node attributes and widget keys. */
function describeSet(set: DecorationSet): string[] {
  return set
    .find()
    .map((d: Decoration) => {
      const attrs = (d as unknown as { type: { attrs?: Record<string, string> } }).type.attrs;
      return `${d.from}-${d.to} ${attrs ? JSON.stringify(attrs) : String((d.spec as { key?: string }).key)}`;
    })
    .sort();
}

function build(schema: Schema): PMNode {
  const p = (text: string, id?: string, status?: string) =>
    schema.nodes.paragraph!.create({ actionItemId: id ?? null, actionStatus: status ?? null }, text ? schema.text(text) : null);
  const task = (text: string, checked: boolean, id?: string) =>
    schema.nodes.taskList!.create(null, schema.nodes.taskItem!.create({ checked }, p(text, id)));
  return schema.nodes.doc!.create(null, [
    schema.nodes.heading!.create({ level: 2 }, schema.text('Action items')),
    p('ACTION: @dana send the summary by 5/17 ##ops', 'aaaaaaaaaaaaaaaa', 'open'),
    p('plain notes line'),
    task('@akiko share results due 2016-06-01', false, 'bbbbbbbbbbbbbbbb'),
    p('宿題：@はな 確認（期限：6月15日）', 'cccccccccccccccc', 'done'),
    schema.nodes.bulletList!.create(null, schema.nodes.listItem!.create(null, p('TODO: @chen nested', 'dddddddddddddddd'))),
    p('last line'),
  ]);
}

function state(schema: Schema): EditorState {
  return EditorState.create({ doc: build(schema), plugins: [actionChipsPlugin(opts)] });
}

function expectIncrementalEqualsFull(s: EditorState): void {
  expect(describeSet(actionChipsKey.getState(s)!)).toEqual(describeSet(decorateAll(s.doc, opts)));
}

/** Every textblock start position, for picking places to edit. */
function textblocks(doc: PMNode): { pos: number; node: PMNode }[] {
  const out: { pos: number; node: PMNode }[] = [];
  doc.descendants((node, pos) => {
    if (node.isTextblock) out.push({ pos, node });
    return true;
  });
  return out;
}

describe('action chips', () => {
  const schema = getSchema(createSchemaExtensions());

  it('marks each tagged paragraph with its status and chips (owner, due with the session year, tags)', () => {
    const s = state(schema);
    const all = describeSet(actionChipsKey.getState(s)!);
    expect(all.filter((d) => d.includes('"class":"action-item'))).toHaveLength(4);
    expect(all.some((d) => d.includes('chips-aaaaaaaaaaaaaaaa-dana-2016-05-17-ops'))).toBe(true);
    expect(all.some((d) => d.includes('chips-cccccccccccccccc-はな-2016-06-15-'))).toBe(true);
    expect(all.some((d) => d.includes('"class":"action-item action-done","data-action-item-id":"cccccccccccccccc"'))).toBe(true);
    // Untagged lines get nothing, even when they would parse: the server decides what is an item.
    expect(all.some((d) => d.includes('plain notes line'))).toBe(false);
  });

  it('a status set on the board (an attribute step, which moves nothing) restyles the block', () => {
    let s = state(schema);
    const target = textblocks(s.doc).find((b) => b.node.attrs.actionItemId === 'aaaaaaaaaaaaaaaa')!;
    s = s.apply(s.tr.setNodeAttribute(target.pos, 'actionStatus', 'done'));
    expect(describeSet(actionChipsKey.getState(s)!).some((d) => d.includes('"class":"action-item action-done","data-action-item-id":"aaaaaaaaaaaaaaaa"'))).toBe(true);
    expectIncrementalEqualsFull(s);
  });

  it('typing, attribute changes, splits, joins and deletions give the same decorations as a full recompute', () => {
    let s = state(schema);
    // mulberry32: a small seeded generator with usable low bits, so every kind of edit is drawn.
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return n > 0 ? Math.floor(r * n) : 0;
    };
    const ops: ((tr: Transaction, doc: PMNode) => void)[] = [
      (tr, doc) => {
        const b = textblocks(doc)[rand(textblocks(doc).length)]!;
        tr.insertText(['x', ' @erin', ' ##wg', ' due 6/1', '：'][rand(5)]!, b.pos + 1 + rand(b.node.content.size + 1));
      },
      (tr, doc) => {
        const b = textblocks(doc).filter((t) => t.node.type.name === 'paragraph')[rand(3)];
        if (b) tr.setNodeMarkup(b.pos, undefined, { ...b.node.attrs, actionItemId: b.node.attrs.actionItemId ? null : `id${rand(1000)}`.padEnd(16, 'e') });
      },
      (tr, doc) => {
        const b = textblocks(doc).filter((t) => t.node.type.name === 'paragraph')[rand(4)];
        if (b) tr.setNodeAttribute(b.pos, 'actionStatus', rand(2) ? 'done' : 'open');
      },
      (tr, doc) => {
        const b = textblocks(doc)[rand(textblocks(doc).length)]!;
        if (b.node.content.size > 2) tr.split(b.pos + 1 + rand(b.node.content.size));
      },
      (tr, doc) => {
        const size = doc.content.size;
        const from = 1 + rand(size - 2);
        const to = Math.min(size - 1, from + rand(30));
        const sel = TextSelection.between(doc.resolve(from), doc.resolve(to));
        tr.setSelection(sel).deleteSelection();
      },
      (tr, doc) => {
        doc.descendants((node, pos) => {
          if (node.type.name === 'taskItem') tr.setNodeMarkup(pos, undefined, { ...node.attrs, checked: !node.attrs.checked });
          return true;
        });
      },
    ];
    for (let i = 0; i < 300; i++) {
      const tr = s.tr;
      ops[rand(ops.length)]!(tr, s.doc);
      s = s.apply(tr);
      expectIncrementalEqualsFull(s);
    }
  });

  it('sessionLocalDate is the calendar date in the event time zone', () => {
    expect(sessionLocalDate('2016-04-26T01:00:00Z', 'America/Chicago')).toBe('2016-04-25');
    expect(sessionLocalDate('2016-04-26T01:00:00Z', 'Asia/Tokyo')).toBe('2016-04-26');
    expect(sessionLocalDate(null, 'UTC')).toBeNull();
    expect(sessionLocalDate('2016-04-26T01:00:00Z', 'Not/AZone')).toBeNull();
  });
});
