import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { deeplyNestedUpdate } from '../../test/fixtures/yjsHostileUpdates.js';
import { admitUpdate, type AdmissionLimits } from './updateAdmission.js';

const LIMITS: AdmissionLimits = { maxDepth: 64, maxNodes: 1000, maxTextPerNode: 10_000 };

/** Runs `change` on `doc` and returns the update it produced. */
function edit(doc: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const capture = (u: Uint8Array) => updates.push(u);
  doc.on('update', capture);
  doc.transact(change);
  doc.off('update', capture);
  return Y.mergeUpdates(updates);
}

function replicaOf(doc: Y.Doc): Y.Doc {
  const r = new Y.Doc();
  Y.applyUpdate(r, Y.encodeStateAsUpdate(doc));
  return r;
}

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

describe('admitUpdate', () => {
  it('admits what an editor produces: paragraphs, typing, formatting, attributes, deletions', () => {
    const client = new Y.Doc();
    const server = new Y.Doc();
    const frag = client.getXmlFragment('default');
    const steps: (() => void)[] = [
      () => frag.insert(0, [paragraph('hello')]),
      () => ((frag.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(5, ' world', { bold: true }),
      () => (frag.get(0) as Y.XmlElement).setAttribute('actionItemId', 'abc'),
      () => {
        const list = new Y.XmlElement('bulletList');
        const item = new Y.XmlElement('listItem');
        item.insert(0, [paragraph('item')]);
        list.insert(0, [item]);
        frag.insert(1, [list]);
      },
      () => ((frag.get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 2),
      () => frag.delete(1, 1),
    ];
    for (const step of steps) {
      const u = edit(client, step);
      expect(admitUpdate(server, u, LIMITS)).toMatchObject({ ok: true });
      Y.applyUpdate(server, u);
    }
    expect(server.getXmlFragment('default').toString()).toBe(frag.toString());
  });

  it.each([10_000, 3_000, 63])('refuses %i nested elements as over the limit', (depth) => {
    expect(admitUpdate(new Y.Doc(), deeplyNestedUpdate(depth), LIMITS)).toMatchObject({ ok: false, kind: 'limit', reason: 'update nests too deeply' });
  });

  it('admits nesting right at the limit (62 quotes, a paragraph and its text: 64 levels)', () => {
    expect(admitUpdate(new Y.Doc(), deeplyNestedUpdate(62), LIMITS)).toMatchObject({ ok: true });
  });

  it('counts the ancestors an update’s nodes get in the stored document', () => {
    const client = new Y.Doc();
    const server = new Y.Doc();
    Y.applyUpdate(server, deeplyNestedUpdate(50, { doc: client }));
    const chain = (levels: number) => {
      const top = new Y.XmlElement('blockquote');
      let cur = top;
      for (let i = 1; i < levels; i++) {
        const next = new Y.XmlElement('blockquote');
        cur.insert(0, [next]);
        cur = next;
      }
      return top;
    };
    // The bottom paragraph sits at depth 51: 13 more levels reach 64, 14 go beyond.
    const below = (levels: number) => {
      const replica = replicaOf(client);
      let bottom = replica.getXmlFragment('default').get(0) as Y.XmlElement;
      while (bottom.nodeName === 'blockquote') bottom = bottom.get(0) as Y.XmlElement;
      return edit(replica, () => bottom.insert(0, [chain(levels)]));
    };
    expect(admitUpdate(server, below(13), LIMITS)).toMatchObject({ ok: true });
    expect(admitUpdate(server, below(14), LIMITS)).toMatchObject({ ok: false, kind: 'limit' });
  });

  it('follows neighbours to the parent: an element typed next to a deep one counts that depth', () => {
    const client = new Y.Doc();
    const server = new Y.Doc();
    Y.applyUpdate(server, deeplyNestedUpdate(62, { doc: client }));
    // Inserted after the existing text, so the encoding names no parent: Yjs takes the left neighbour's.
    const besideText = (node: () => Y.XmlElement | Y.XmlText) => {
      const replica = replicaOf(client);
      let bottom = replica.getXmlFragment('default').get(0) as Y.XmlElement;
      while (bottom.nodeName === 'blockquote') bottom = bottom.get(0) as Y.XmlElement;
      return edit(replica, () => bottom.insert(1, [node()]));
    };
    const mention = () => {
      const el = new Y.XmlElement('mention');
      el.insert(0, [new Y.XmlText('x')]);
      return el;
    };
    expect(admitUpdate(server, besideText(mention), LIMITS)).toMatchObject({ ok: false, kind: 'limit' });
    expect(admitUpdate(server, besideText(() => new Y.XmlText('fine')), LIMITS)).toMatchObject({ ok: true });
  });

  it('refuses an update that creates more nodes than allowed', () => {
    const client = new Y.Doc();
    const u = edit(client, () => {
      const frag = client.getXmlFragment('default');
      for (let i = 0; i < 501; i++) frag.insert(i, [paragraph(`p${i}`)]);
    });
    expect(admitUpdate(new Y.Doc(), u, LIMITS)).toMatchObject({ ok: false, kind: 'limit', reason: 'update creates too many nodes' });
  });

  it('refuses text that would grow a node past the limit, counting what the node already holds', () => {
    const client = new Y.Doc();
    const server = new Y.Doc();
    const first = edit(client, () => client.getXmlFragment('default').insert(0, [paragraph('a'.repeat(9_000))]));
    expect(admitUpdate(server, first, LIMITS)).toMatchObject({ ok: true });
    Y.applyUpdate(server, first);
    const text = (client.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const fits = edit(client, () => text.insert(9_000, 'b'.repeat(1_000)));
    expect(admitUpdate(server, fits, LIMITS)).toMatchObject({ ok: true });
    Y.applyUpdate(server, fits);
    const over = edit(client, () => text.insert(0, 'c'));
    expect(admitUpdate(server, over, LIMITS)).toMatchObject({ ok: false, kind: 'limit', reason: 'text node too long' });
  });

  it('reports missing dependencies (not malformed): a clock gap, an unknown neighbour, an unknown deletion', () => {
    const client = new Y.Doc();
    const server = new Y.Doc();
    const a = edit(client, () => client.getText('t').insert(0, 'a'));
    const b = edit(client, () => client.getText('t').insert(1, 'b'));
    expect(admitUpdate(server, b, LIMITS)).toMatchObject({ ok: false, kind: 'missing' });
    expect(admitUpdate(server, Y.mergeUpdates([a, b]), LIMITS)).toMatchObject({ ok: true });

    // Another client writes after `a`: its origin is a change the server never saw.
    const other = new Y.Doc();
    Y.applyUpdate(other, a);
    const c = edit(other, () => other.getText('t').insert(1, 'c'));
    expect(admitUpdate(server, c, LIMITS)).toMatchObject({ ok: false, kind: 'missing' });

    // Deleting `a`, which the server does not hold.
    const del = edit(other, () => other.getText('t').delete(0, 1));
    expect(admitUpdate(server, del, LIMITS)).toMatchObject({ ok: false, kind: 'missing' });
    Y.applyUpdate(server, a);
    expect(admitUpdate(server, del, LIMITS)).toMatchObject({ ok: true });
  });

  it('never throws, whatever the bytes', () => {
    const u = deeplyNestedUpdate(5);
    for (let i = 0; i < u.length; i++) {
      const m = u.slice();
      m[i] = (m[i]! + 1) % 256;
      expect(() => admitUpdate(new Y.Doc(), m, LIMITS)).not.toThrow();
    }
  });
});
