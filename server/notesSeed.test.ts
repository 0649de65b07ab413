import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { defaultSessionTemplate } from '../shared/editor/template.js';
import { NOTES_FRAGMENT } from '../shared/protocol.js';
import { fuzzRuns } from '../test/helpers/fuzz.js';
import { notesDocArb } from '../test/helpers/notesArbitrary.js';
import { notesFromText } from './notesImport/fromText.js';
import { createNotesSchema } from './notesSchema.js';
import { encodeNotesSeed } from './notesSeed.js';

const schema = createNotesSchema();

/** The notes as y-tiptap writes them: elements, attributes, text and its formatting. */
function notesOf(update: Uint8Array): unknown {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const walk = (t: Y.XmlElement | Y.XmlText | Y.XmlFragment): unknown =>
    t instanceof Y.XmlText ? { delta: t.toDelta() as unknown } : { name: t instanceof Y.XmlElement ? t.nodeName : '#fragment', attrs: t instanceof Y.XmlElement ? t.getAttributes() : {}, children: t.toArray().map((c) => walk(c as Y.XmlElement | Y.XmlText)) };
  return walk(doc.getXmlFragment(NOTES_FRAGMENT));
}

/** Null attributes (and an `attrs` left empty by them) dropped: y-tiptap never writes a null. */
function withoutNulls(json: unknown): unknown {
  return JSON.parse(
    JSON.stringify(json, (_key, value: unknown) => {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
      const kept = Object.entries(value).filter(([k, v]) => v !== null && !(k === 'attrs' && typeof v === 'object' && Object.values(v as object).every((a) => a === null)));
      return Object.fromEntries(kept);
    }),
  ) as unknown;
}

function byYTiptap(json: object): Uint8Array {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(schema, json, doc.getXmlFragment(NOTES_FRAGMENT));
  return Y.encodeStateAsUpdate(doc);
}

describe('a session seed built without the editor schema', () => {
  it('is the document y-tiptap builds from the built-in templates, which are complete as written', () => {
    for (const language of ['en', 'ja'] as const) {
      const template = defaultSessionTemplate(language);
      // Complete: the schema adds no attribute the template leaves out (but nulls, which y-tiptap skips too).
      expect(withoutNulls(schema.nodeFromJSON(template).toJSON())).toEqual(template);
      expect(notesOf(encodeNotesSeed(template))).toEqual(notesOf(byYTiptap(template)));
    }
  });

  it('is the document y-tiptap builds from any notes, once the schema completed them (as stored templates are)', () => {
    fc.assert(
      fc.property(notesDocArb, (doc) => {
        const complete = schema.nodeFromJSON(doc).toJSON() as object;
        expect(notesOf(encodeNotesSeed(complete))).toEqual(notesOf(byYTiptap(complete)));
      }),
      { numRuns: fuzzRuns(200) },
    );
  });

  it('builds the demo notes as y-tiptap does', () => {
    const json = notesFromText('Ops Meetup\n\n## Attendees\n- ana\n- 山田\n\nACTION: @ana send the summary\n[ ] book the room', { dropTitleLine: true });
    expect(notesOf(encodeNotesSeed(json))).toEqual(notesOf(byYTiptap(json)));
  });
});
