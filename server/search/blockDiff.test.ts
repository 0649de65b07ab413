import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { applyToKnown, diffBlocks, type ChangedBlocks } from './blockDiff.js';
import { blockIdOf, readBlock } from './noteBlocks.js';
import type { BlockWrite, IndexedBlock } from '../storage/searchRepo.js';

function block(name: string, text: string, attrs: Record<string, string> = {}): Y.XmlElement {
  const el = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.insert(0, [new Y.XmlText(text)]);
  return el;
}

/** Indexes the whole document into an in-memory `known`, as the first pass after a load would. */
function indexAll(fragment: Y.XmlFragment): Map<string, IndexedBlock> {
  const known = new Map<string, IndexedBlock>();
  const writes = diffBlocks(fragment, known, { dirty: new Set(), structure: true, full: true })!;
  let row = 1;
  const inserted = new Map(writes.filter((w) => w.kind === 'insert').map((w) => [w.blockId, row++]));
  applyToKnown(known, writes, inserted);
  return known;
}

const only = (changed: Partial<ChangedBlocks>): ChangedBlocks => ({ dirty: new Set(), structure: false, full: false, ...changed });
const kinds = (writes: BlockWrite[] | null) => writes?.map((w) => w.kind);

describe('diffBlocks: what one pass writes', () => {
  function notes() {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    item.insert(0, [block('paragraph', 'nested under agenda')]);
    list.insert(0, [item]);
    fragment.insert(0, [block('heading', 'Agenda', { level: '2' }), block('paragraph', 'first point'), list, block('heading', 'Notes', { level: '2' }), block('paragraph', 'rolling upgrades')]);
    return { doc, fragment, paragraph: (i: number) => fragment.get(i) as Y.XmlElement };
  }

  it('every text block gets a row with its place and the heading above it, lists included', () => {
    const { fragment } = notes();
    const known = indexAll(fragment);
    const rows = [...known.values()].sort((a, b) => a.ord - b.ord);
    expect(rows.map((r) => [r.text, r.heading])).toEqual([
      ['Agenda', ''],
      ['first point', 'Agenda'],
      ['nested under agenda', 'Agenda'],
      ['Notes', ''],
      ['rolling upgrades', 'Notes'],
    ]);
  });

  it('typing re-reads only the typed block: one write, no walk', () => {
    const { fragment, paragraph } = notes();
    const known = indexAll(fragment);
    const p = paragraph(4);
    (p.get(0) as Y.XmlText).insert(16, ' on Nova');
    const writes = diffBlocks(fragment, known, only({ dirty: new Set([p]) }));
    expect(writes).toEqual([expect.objectContaining({ kind: 'text', blockId: blockIdOf(p), text: 'rolling upgrades on Nova', norm: 'rolling upgrades on nova' })]);
  });

  it('a block added above moves the blocks below (places only) and is inserted; nothing else is re-read', () => {
    const { fragment } = notes();
    const known = indexAll(fragment);
    fragment.insert(1, [block('paragraph', 'a new first line')]);
    const writes = diffBlocks(fragment, known, only({ structure: true }))!;
    expect(writes.filter((w) => w.kind === 'insert')).toEqual([expect.objectContaining({ text: 'a new first line', ord: 1, heading: 'Agenda' })]);
    expect(new Set(kinds(writes))).toEqual(new Set(['insert', 'place']));
    expect(writes.filter((w) => w.kind === 'place')).toHaveLength(4);
  });

  it('renaming a heading asks for a walk, which updates the heading of the blocks under it', () => {
    const { fragment, paragraph } = notes();
    const known = indexAll(fragment);
    const h = paragraph(3);
    (h.get(0) as Y.XmlText).insert(5, ' and decisions');
    expect(diffBlocks(fragment, known, only({ dirty: new Set([h]) }))).toBeNull();
    const writes = diffBlocks(fragment, known, only({ dirty: new Set([h]), structure: true }))!;
    expect(writes).toContainEqual(expect.objectContaining({ kind: 'text', text: 'Notes and decisions' }));
    expect(writes).toContainEqual(expect.objectContaining({ kind: 'place', heading: 'Notes and decisions' }));
  });

  it('a deleted block is deleted from the index; an action-item id set on a block is a meta write', () => {
    const { fragment, paragraph } = notes();
    const known = indexAll(fragment);
    const p = paragraph(1);
    p.setAttribute('actionItemId', 'abcdefghijklmnop');
    expect(diffBlocks(fragment, known, only({ dirty: new Set([p]) }))).toEqual([expect.objectContaining({ kind: 'meta', actionItemId: 'abcdefghijklmnop' })]);
    const gone = blockIdOf(paragraph(4));
    fragment.delete(4, 1);
    expect(diffBlocks(fragment, known, only({ structure: true }))).toContainEqual(expect.objectContaining({ kind: 'delete', blockId: gone }));
  });

  it('a block id is the same on every replica and survives edits around it', () => {
    const { doc, fragment, paragraph } = notes();
    const id = blockIdOf(paragraph(4));
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    fragment.insert(0, [block('paragraph', 'inserted above')]);
    (paragraph(5).get(0) as Y.XmlText).insert(0, 'edited: ');
    expect(blockIdOf(paragraph(5))).toBe(id);
    expect(blockIdOf(replica.getXmlFragment(NOTES_FRAGMENT).get(4) as Y.XmlElement)).toBe(id);
  });

  it('counts the characters still in a block by the client that typed them, in code points', () => {
    const alice = new Y.Doc();
    const p = block('paragraph', '');
    alice.getXmlFragment(NOTES_FRAGMENT).insert(0, [p]);
    (p.get(0) as Y.XmlText).insert(0, 'Hello 東京 😀');
    const bob = new Y.Doc();
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    const bobText = (bob.getXmlFragment(NOTES_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    bobText.insert(0, 'Oh! ');
    bobText.delete(4, 6); // Bob deletes Alice's "Hello ": those characters are no longer in the text.
    const { text, authors } = readBlock(bob.getXmlFragment(NOTES_FRAGMENT).get(0) as Y.XmlElement);
    expect(text).toBe('Oh! 東京 😀');
    expect(authors).toEqual({ [String(bob.clientID)]: 4, [String(alice.clientID)]: 4 });
  });
});
