import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { restoreBlock, restoreWhole, revertAuthor, BlockNotFound } from './restoreChange.js';

const RESTORE_ID = 4242;

function person(id: number): Y.Doc {
  const d = new Y.Doc();
  d.clientID = id;
  return d;
}

function para(doc: Y.Doc, text: string, at?: number): Y.XmlElement {
  const f = doc.getXmlFragment(NOTES_FRAGMENT);
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  f.insert(at ?? f.length, [p]);
  return p;
}

const text = (doc: Y.Doc): string[] =>
  doc
    .getXmlFragment(NOTES_FRAGMENT)
    .toArray()
    .map((p) => ((p as Y.XmlElement).toArray().map((t) => (t as Y.XmlText).toString()).join('')));

const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

/** A copy without garbage collection of `doc` as it is now: what history rebuilds a version as. */
function version(doc: Y.Doc): Y.Doc {
  const v = new Y.Doc({ gc: false });
  Y.applyUpdate(v, Y.encodeStateAsUpdate(doc));
  return v;
}

describe('restoreWhole', () => {
  it('brings the notes back as a forward change whose new text is written by the restore client', () => {
    const live = new Y.Doc({ gc: true });
    const alice = person(1);
    para(alice, 'Alice line');
    para(alice, 'second line');
    sync(alice, live);
    const v = new Y.Doc({ gc: false });
    Y.applyUpdate(v, Y.encodeStateAsUpdate(alice));
    // Someone empties the notes, then writes something else.
    alice.getXmlFragment(NOTES_FRAGMENT).delete(0, 2);
    para(alice, 'junk');
    sync(alice, live);
    expect(text(live)).toEqual(['junk']);

    const update = restoreWhole(v, live, RESTORE_ID)!;
    Y.applyUpdate(live, update);
    expect(text(live)).toEqual(['Alice line', 'second line']);
    // Re-inserted, not rewritten: the restore's own client id wrote the text that came back.
    const meta = Y.parseUpdateMeta(update);
    expect([...meta.to.keys()]).toEqual([RESTORE_ID]);
    // Applying it to a client that has the same state gives the same notes.
    sync(live, alice);
    expect(text(alice)).toEqual(['Alice line', 'second line']);
  });

  it('keeps an edit the server had not seen yet (made concurrently) on top of the restore', () => {
    const live = new Y.Doc();
    const alice = person(1);
    const bob = person(2);
    para(alice, 'kept paragraph');
    sync(alice, live);
    sync(live, bob);
    const v = version(live);
    para(alice, 'later paragraph');
    sync(alice, live);
    sync(live, bob);
    // Bob types into the kept paragraph while the restore is computed: the server has not seen it.
    ((bob.getXmlFragment(NOTES_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Bob: ');
    Y.applyUpdate(live, restoreWhole(v, live, RESTORE_ID)!);
    expect(text(live)).toEqual(['kept paragraph']);
    sync(bob, live);
    sync(live, bob);
    expect(text(live)).toEqual(['Bob: kept paragraph']);
    expect(text(bob)).toEqual(text(live));
  });

  it('lets an offline client merge its edits on top when it comes back', () => {
    const live = new Y.Doc();
    const offline = person(7);
    para(offline, 'shared start');
    sync(offline, live);
    const v = version(live);
    para(live, 'vandalism');
    sync(live, offline);
    // Offline: writes a paragraph of its own.
    para(offline, 'written on the train');
    Y.applyUpdate(live, restoreWhole(v, live, RESTORE_ID)!);
    sync(offline, live);
    sync(live, offline);
    expect(text(live)).toEqual(['shared start', 'written on the train']);
    expect(text(offline)).toEqual(text(live));
  });

  it('returns null when the notes are already as they were', () => {
    const live = new Y.Doc();
    para(live, 'same');
    expect(restoreWhole(version(live), live, RESTORE_ID)).toBeNull();
  });

  it('can undo a restore by restoring again', () => {
    const live = new Y.Doc();
    para(live, 'one');
    const v1 = version(live);
    para(live, 'two');
    const v2 = version(live);
    Y.applyUpdate(live, restoreWhole(v1, live, RESTORE_ID)!);
    expect(text(live)).toEqual(['one']);
    Y.applyUpdate(live, restoreWhole(v2, live, RESTORE_ID)!);
    expect(text(live)).toEqual(['one', 'two']);
  });
});

describe('restoreBlock', () => {
  const idOf = (el: Y.XmlElement) => `${el._item!.id.client}-${el._item!.id.clock}`;

  it('undoes the changes of one block only', () => {
    const live = new Y.Doc();
    const a = para(live, 'first');
    para(live, 'second');
    const v = version(live);
    (a.get(0) as Y.XmlText).insert(0, 'changed ');
    const second = live.getXmlFragment(NOTES_FRAGMENT).get(1) as Y.XmlElement;
    (second.get(0) as Y.XmlText).insert(6, ' also changed');
    Y.applyUpdate(live, restoreBlock(v, live, idOf(a), RESTORE_ID)!);
    expect(text(live)).toEqual(['first', 'second also changed']);
  });

  it('puts a deleted block back where it was, inside the list that still holds its neighbours', () => {
    const live = new Y.Doc();
    const f = live.getXmlFragment(NOTES_FRAGMENT);
    const list = new Y.XmlElement('bulletList');
    const items = ['a', 'b', 'c'].map((t) => {
      const li = new Y.XmlElement('listItem');
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(t)]);
      li.insert(0, [p]);
      return li;
    });
    list.insert(0, items);
    f.insert(0, [list]);
    para(live, 'after');
    const bParagraph = items[1]!.get(0) as Y.XmlElement;
    const blockId = idOf(bParagraph);
    const v = version(live);
    list.delete(1, 1);
    expect(list.length).toBe(2);
    Y.applyUpdate(live, restoreBlock(v, live, blockId, RESTORE_ID)!);
    expect(list.toArray().map((li) => ((li as Y.XmlElement).get(0) as Y.XmlElement).toString())).toEqual(['<paragraph>a</paragraph>', '<paragraph>b</paragraph>', '<paragraph>c</paragraph>']);
    // A whole list deleted: the list comes back holding that one item.
    const v2 = version(live);
    f.delete(0, 1);
    const v2List = v2.getXmlFragment(NOTES_FRAGMENT).get(0) as Y.XmlElement;
    const cId = idOf((v2List.get(2) as Y.XmlElement).get(0) as Y.XmlElement);
    Y.applyUpdate(live, restoreBlock(v2, live, cId, RESTORE_ID)!);
    expect(f.toString()).toBe('<bulletlist><listitem><paragraph>c</paragraph></listitem></bulletlist><paragraph>after</paragraph>');
  });

  it('refuses a block that is not in that version', () => {
    const live = new Y.Doc();
    para(live, 'x');
    expect(() => restoreBlock(version(live), live, '999-0', RESTORE_ID)).toThrow(BlockNotFound);
  });
});

/**
 * Alice's lines as the version to go back to, and a way to record what Alice
 * and a vandal (client 66) do next as revisions, the vandal's marked undo.
 */
function aliceAndVandal(lines: readonly string[]) {
  const live = new Y.Doc();
  const alice = person(1);
  const vandal = person(66);
  for (const line of lines) para(alice, line);
  sync(alice, live);
  sync(live, vandal);
  const target = version(live);
  const later: { parts: Uint8Array[]; undo: boolean }[] = [];
  const record = (doc: Y.Doc, undo: boolean, fn: () => void) => {
    const sv = Y.encodeStateVector(live);
    fn();
    sync(doc, live);
    later.push({ parts: [Y.encodeStateAsUpdate(live, sv)], undo });
    for (const d of [alice, vandal]) sync(live, d);
  };
  return { live, alice, vandal, target, later, record };
}

describe('revertAuthor', () => {
  it("undoes one author's revisions, and what they typed in shared ones, keeping everyone else's", () => {
    const { live, alice, vandal, target, later, record } = aliceAndVandal(['Alice one']);
    record(vandal, true, () => {
      vandal.getXmlFragment(NOTES_FRAGMENT).delete(0, 1);
      para(vandal, 'SPAM');
    });
    record(alice, false, () => para(alice, 'Alice two'));
    // A revision the vandal shared with Alice (a batch holding both): only his text goes.
    const sv = Y.encodeStateVector(live);
    para(vandal, 'MORE SPAM');
    para(alice, 'Alice three');
    sync(vandal, live);
    sync(alice, live);
    later.push({ parts: [Y.encodeStateAsUpdate(live, sv)], undo: false });

    const out = revertAuthor(target, later, live, new Set([66]), RESTORE_ID);
    expect(out.reverted).toBe(1);
    Y.applyUpdate(live, out.update!);
    expect(text(live).sort()).toEqual(['Alice one', 'Alice three', 'Alice two']);
  });

  it('keeps what others typed inside a line the author wrote, as a line of its own where that line was', () => {
    const { live, alice, vandal, target, later, record } = aliceAndVandal(['Agenda', 'Alice one']);
    // The vandal replaces Alice's second line with his own; Alice, who had her caret there, types on into his line.
    record(vandal, true, () => {
      vandal.getXmlFragment(NOTES_FRAGMENT).delete(1, 1);
      para(vandal, 'LOL', 1);
    });
    record(alice, false, () => {
      const line = (alice.getXmlFragment(NOTES_FRAGMENT).get(1) as Y.XmlElement).get(0) as Y.XmlText;
      line.insert(line.length, ' Alice after the vandal');
    });

    const out = revertAuthor(target, later, live, new Set([66]), RESTORE_ID);
    Y.applyUpdate(live, out.update!);
    // Her line is back, his is gone, and what she typed into his line stays, where it was, as her own line.
    expect(text(live)).toEqual(['Agenda', 'Alice one', 'Alice after the vandal']);
  });
});
