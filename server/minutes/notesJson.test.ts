import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { FLATTENED_MARKER, MINUTES_MAX_DEPTH } from '../../shared/minutes/notes.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { deepDocState } from '../../test/fixtures/minutes/deepDoc.js';
import { hostileSession, richNotesDoc } from '../../test/fixtures/minutes/fixtureNotes.js';
import { createNotesSchema } from '../notesSchema.js';
import { notesJson, notesJsonFromState } from './notesJson.js';

const schema = createNotesSchema();

/** Deepest level of the JSON tree, walked iteratively. */
function depthOf(root: JSONContent): number {
  let max = 0;
  const stack: [JSONContent, number][] = [[root, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    max = Math.max(max, d);
    for (const c of n.content ?? []) stack.push([c, d + 1]);
  }
  return max;
}

function texts(root: JSONContent): string[] {
  const out: string[] = [];
  const stack: JSONContent[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.text) out.push(n.text);
    for (const c of [...(n.content ?? [])].reverse()) stack.push(c);
  }
  return out;
}

function fragmentWith(build: (fragment: Y.XmlFragment) => void): Y.XmlFragment {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
  doc.transact(() => build(fragment));
  return fragment;
}

describe('notes JSON for the minutes, read from Yjs', () => {
  it('is what y-prosemirror gives for a document the editor wrote', () => {
    const fragment = fragmentWith((f) => prosemirrorJSONToYXmlFragment(schema, richNotesDoc(), f));
    expect(notesJson(fragment, schema)).toEqual(yXmlFragmentToProseMirrorRootNode(fragment, schema).toJSON());
  });

  it('keeps unsafe links as plain text and safe ones as links', () => {
    const fragment = fragmentWith((f) => prosemirrorJSONToYXmlFragment(schema, hostileSession().notes, f));
    const json = JSON.stringify(notesJson(fragment, schema));
    expect(json).not.toMatch(/"href":"\s*(javascript|data|vbscript|java\\tscript)/i);
    expect(json).toContain('"text":"js link spaced js tab js data link vb "');
    expect(json).toContain('"href":"https://example.org/\\" onmouseover=\\"alert(1)"');
  });

  it('keeps the text of a run with an unknown mark (the mark goes), and the known marks beside it', () => {
    const fragment = fragmentWith((f) => {
      const p = new Y.XmlElement('paragraph');
      const t = new Y.XmlText();
      t.applyDelta([{ insert: 'before ' }, { insert: 'marked', attributes: { bold: {}, sparkle: { colour: 'gold' } } }, { insert: ' after' }]);
      p.insert(0, [t]);
      f.insert(0, [p]);
    });
    expect(notesJson(fragment, schema).content).toEqual([
      {
        type: 'paragraph',
        attrs: { actionItemId: null, actionStatus: null },
        content: [{ type: 'text', text: 'before ' }, { type: 'text', text: 'marked', marks: [{ type: 'bold' }] }, { type: 'text', text: ' after' }],
      },
    ]);
    // y-prosemirror alone drops the whole run.
    expect(JSON.stringify(yXmlFragmentToProseMirrorRootNode(fragment, schema).toJSON())).not.toContain('marked');
  });

  it('keeps the text of unknown nodes: inline ones in their paragraph, block ones as paragraphs', () => {
    const fragment = fragmentWith((f) => {
      const widget = new Y.XmlElement('widget');
      widget.insert(0, [new Y.XmlText('widget text')]);
      const p = new Y.XmlElement('paragraph');
      const chip = new Y.XmlElement('mentionChip');
      chip.insert(0, [new Y.XmlText('@ana')]);
      p.insert(0, [new Y.XmlText('ask '), chip, new Y.XmlText(' later')]);
      const box = new Y.XmlElement('callout');
      const inner = new Y.XmlElement('paragraph');
      inner.insert(0, [new Y.XmlText('inside a callout')]);
      box.insert(0, [inner]);
      f.insert(0, [widget, p, box]);
    });
    expect(texts(notesJson(fragment, schema))).toEqual(['widget text', 'ask @ana later', 'inside a callout']);
    expect(notesJson(fragment, schema).content!.map((n) => n.type)).toEqual(['paragraph', 'paragraph', 'paragraph']);
  });

  it('turns a broken heading level into a level from 1 to 6', () => {
    const fragment = fragmentWith((f) => {
      for (const level of ['abc', 99, -3, 2.6]) {
        const h = new Y.XmlElement('heading');
        h.setAttribute('level', level as unknown as string);
        h.insert(0, [new Y.XmlText(`level ${level}`)]);
        f.insert(f.length, [h]);
      }
    });
    expect(notesJson(fragment, schema).content!.map((n) => n.attrs?.level)).toEqual([1, 6, 1, 3]);
  });

  it('never changes the document it reads', () => {
    const fragment = fragmentWith((f) => {
      const widget = new Y.XmlElement('widget');
      widget.insert(0, [new Y.XmlText('kept')]);
      f.insert(0, [widget]);
    });
    const before = Y.encodeStateVector(fragment.doc!);
    notesJson(fragment, schema);
    expect(Y.encodeStateVector(fragment.doc!)).toEqual(before);
    expect(fragment.length).toBe(1);
  });

  for (const depth of [3_000, 10_000]) {
    for (const shape of ['quotes', 'mixed'] as const) {
      it(`reads a document ${depth.toLocaleString('en')} levels deep (${shape}) with the tower flattened below level ${MINUTES_MAX_DEPTH}`, () => {
        const json = notesJsonFromState([deepDocState(depth, shape)], schema);
        expect(depthOf(json)).toBeLessThanOrEqual(MINUTES_MAX_DEPTH + 2);
        expect(texts(json)).toEqual(['Above the tower', FLATTENED_MARKER, 'The bottom of the tower', 'After the tower']);
        // The result is valid in the editor's schema.
        expect(() => schema.nodeFromJSON(json).check()).not.toThrow();
      });
    }
  }
});
