import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { parseActionItem } from '../../shared/actionItems/parse.js';
import { mayBeActionItem, plainText } from './blocks.js';

/** What plainText stands for: the string inserts of the text's delta, joined. */
function fromDelta(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as { insert: unknown }[]) if (typeof op.insert === 'string') out += op.insert;
  return out;
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 6 }), bold: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('format' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 5 }), mark: fc.constantFrom('bold', 'italic', 'link') }),
  fc.record({ kind: fc.constant('embed' as const), at: fc.nat() }),
);

describe('plainText', () => {
  it('is the text of the delta, whatever inserts, deletions, marks and embeds made it (two replicas, merged; deleted text kept or collected)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(op, { maxLength: 20 }), fc.boolean(), (mine, theirs, gc) => {
        const a = new Y.Doc({ gc });
        const b = new Y.Doc({ gc });
        const apply = (doc: Y.Doc, ops: typeof mine) => {
          const p = doc.getXmlFragment('notes');
          if (p.length === 0) p.insert(0, [new Y.XmlText()]);
          const text = p.get(0) as Y.XmlText;
          for (const o of ops) {
            const at = o.at % (text.length + 1);
            if (o.kind === 'insert') text.insert(at, o.text, o.bold ? { bold: {} } : undefined);
            else if (o.kind === 'delete') text.delete(at, Math.min(o.length, text.length - at));
            else if (o.kind === 'format') text.format(at, Math.min(o.length, text.length - at), { [o.mark]: o.mark === 'link' ? { href: 'https://example.org' } : {} });
            else text.insertEmbed(at, { image: 'x.png' });
          }
        };
        apply(a, mine);
        Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
        apply(b, theirs);
        apply(a, [...theirs].reverse());
        Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
        for (const doc of [a, b]) {
          const text = doc.getXmlFragment('notes').get(0) as Y.XmlText;
          expect(plainText(text)).toBe(fromDelta(text));
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );
  });
});

/** Pieces of lines that are items, nearly are, or look alike once normalised (full-width and compatibility forms). */
const PIECES = ['ACTION', 'action items', 'AI', 'ai', 'todo', 'TO-DO', 'アクション', '宿題', 'やること', ':', '：', '﹕', '︓', '[', '［', ']', '］', 'x', ' ', '　', '#', '＃', '##', '＃＃', '#action', 'ops', '-', '•', '1.', '☐', '☑', '☒', '✅', '✔', '@ana', 'due 5/17', '期限', 'é', 'Ａ', 'Ｉ'];

describe('mayBeActionItem', () => {
  it('is true for every line the parser finds an item in (so skipping the parser when it is false changes nothing)', () => {
    const text = fc.oneof(fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((p) => p.join('')), fc.string({ maxLength: 16 }), fc.string({ unit: 'binary', maxLength: 8 }));
    fc.assert(
      fc.property(text, fc.constantFrom('paragraph' as const, 'listItem' as const), (t, kind) => {
        if (parseActionItem({ text: t, kind }, { sessionDate: null }) !== null) expect(mayBeActionItem(t)).toBe(true);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000) },
    );
  });

  it('is false for plain lines', () => {
    expect(mayBeActionItem('we talked about the upgrade plan')).toBe(false);
    expect(mayBeActionItem('アップグレードの計画について話した')).toBe(false);
    expect(mayBeActionItem('TODO： @ana 資料')).toBe(true);
  });
});
