import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { deeplyNestedUpdate, YJS_HOSTILE_UPDATES } from '../../test/fixtures/yjsHostileUpdates.js';
import { validateUpdateV1 } from './updateValidation.js';

function richDoc(): Y.Doc {
  const doc = new Y.Doc();
  const frag = doc.getXmlFragment('default');
  const p = new Y.XmlElement('paragraph');
  p.setAttribute('actionItemId', 'abc');
  const t = new Y.XmlText();
  t.insert(0, 'hello 日本語', { bold: true });
  p.insert(0, [t]);
  frag.push([p, new Y.XmlElement('horizontalRule')]);
  doc.getMap('meta').set('any', { n: 1, f: 1.5, s: 's', a: [true, null, false], b: new Uint8Array([1, 2]) });
  doc.getArray('arr').push([1, 'two', { three: 3 }]);
  doc.getText('text').insert(0, 'abcdef');
  doc.getText('text').delete(1, 3);
  return doc;
}

describe('validateUpdateV1', () => {
  it('accepts every update Yjs itself produces', () => {
    const doc = richDoc();
    expect(validateUpdateV1(Y.encodeStateAsUpdate(doc))).toBeNull();
    expect(validateUpdateV1(Y.encodeStateAsUpdate(new Y.Doc()))).toBeNull();
    const updates: Uint8Array[] = [];
    const d2 = new Y.Doc();
    d2.on('update', (u: Uint8Array) => updates.push(u));
    Y.applyUpdate(d2, Y.encodeStateAsUpdate(doc));
    d2.getText('text').insert(2, 'xyz');
    d2.getXmlFragment('default').delete(0, 1);
    for (const u of updates) expect(validateUpdateV1(u)).toBeNull();
    expect(validateUpdateV1(Y.mergeUpdates(updates))).toBeNull();
  });

  it.each(Object.entries(YJS_HOSTILE_UPDATES))('rejects the hostile vector "%s"', (_name, bytes) => {
    expect(validateUpdateV1(new Uint8Array(bytes))).not.toBeNull();
  });

  it('rejects every truncation of a valid update and trailing garbage', () => {
    const full = Y.encodeStateAsUpdate(richDoc());
    for (let len = 0; len < full.length - 1; len++) {
      expect(validateUpdateV1(full.slice(0, len)), `length ${len}`).not.toBeNull();
    }
    const padded = new Uint8Array(full.length + 1);
    padded.set(full);
    expect(validateUpdateV1(padded)).not.toBeNull();
  });

  it('never throws on random mutations, and anything it accepts Yjs can apply', () => {
    const full = Y.encodeStateAsUpdate(richDoc());
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const m = full.slice();
      const flips = 1 + Math.floor(rand() * 3);
      for (let f = 0; f < flips; f++) m[Math.floor(rand() * m.length)] = Math.floor(rand() * 256);
      const verdict = validateUpdateV1(m);
      if (verdict === null) {
        accepted++;
        const doc = new Y.Doc();
        try {
          Y.applyUpdate(doc, m);
        } catch {
          // Structurally valid but semantically odd updates may still throw inside Yjs; the server catches that.
        }
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('is structural only: the 10,000- and 3,000-level updates are well formed (admitUpdate refuses their depth)', () => {
    expect(validateUpdateV1(deeplyNestedUpdate(10_000))).toBeNull();
    expect(validateUpdateV1(deeplyNestedUpdate(3_000))).toBeNull();
  });

  it('refuses invalid UTF-8 in text, element names, map keys and values, which Yjs would throw on later', () => {
    const cases: [string, (d: Y.Doc) => void][] = [
      ['text', (d) => d.getXmlFragment('default').insert(0, [new Y.XmlText('zzzzzz')])],
      ['element name', (d) => d.getXmlFragment('default').insert(0, [new Y.XmlElement('zzzzzz')])],
      ['attribute key', (d) => d.getMap('m').set('zzzzzz', 1)],
      ['attribute value', (d) => d.getMap('m').set('k', 'zzzzzz')],
      ['format', (d) => d.getText('t').insert(0, 'x', { zzzzzz: true })],
    ];
    for (const [what, make] of cases) {
      const doc = new Y.Doc();
      make(doc);
      const bytes = Y.encodeStateAsUpdate(doc);
      expect(validateUpdateV1(bytes), what).toBeNull();
      const at = Buffer.from(bytes).indexOf(Buffer.from('zzzzzz'));
      bytes[at + 2] = 0xc3; // a lead byte followed by an ASCII byte: invalid
      expect(validateUpdateV1(bytes), what).toMatch(/UTF-8/);
      expect(() => Y.applyUpdate(new Y.Doc(), bytes), what).toThrow();
    }
  });

  it('refuses subdocuments, a client listed twice, and empty items', () => {
    const withSub = new Y.Doc();
    withSub.getMap('m').set('sub', new Y.Doc());
    expect(validateUpdateV1(Y.encodeStateAsUpdate(withSub))).toBe('subdocuments are not accepted');

    // The same one-struct block of client 5, twice.
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 2);
    for (let i = 0; i < 2; i++) {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, 5);
      encoding.writeVarUint(e, i);
      encoding.writeUint8(e, 4); // ContentString, parent given by key
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, 't');
      encoding.writeVarString(e, 'a');
    }
    encoding.writeVarUint(e, 0);
    expect(validateUpdateV1(encoding.toUint8Array(e))).toBe('a client is listed twice');

    const empty = encoding.createEncoder();
    encoding.writeVarUint(empty, 1);
    encoding.writeVarUint(empty, 1);
    encoding.writeVarUint(empty, 5);
    encoding.writeVarUint(empty, 0);
    encoding.writeUint8(empty, 4);
    encoding.writeVarUint(empty, 1);
    encoding.writeVarString(empty, 't');
    encoding.writeVarString(empty, '');
    encoding.writeVarUint(empty, 0);
    expect(validateUpdateV1(encoding.toUint8Array(empty))).toBe('empty text');
  });

  it('refuses deeply nested attribute values and embedded JSON (JSON.stringify and renderers recurse on them)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const any = new Y.Doc();
    any.getMap('m').set('k', deep);
    expect(validateUpdateV1(Y.encodeStateAsUpdate(any))).toBe('value nested too deeply');
    const embed = new Y.Doc();
    embed.getText('t').insertEmbed(0, deep as object);
    expect(validateUpdateV1(Y.encodeStateAsUpdate(embed))).toBe('embed nested too deeply');
    const fine = new Y.Doc();
    fine.getText('t').insertEmbed(0, { a: [1, { b: '] }' }] });
    expect(validateUpdateV1(Y.encodeStateAsUpdate(fine))).toBeNull();
  });
});
