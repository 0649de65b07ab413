import { getSchema } from '@tiptap/core';
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { locateBlock, pmPosOf } from './blockLocator.js';
import { targetFromQuery, targetPath } from './searchTarget.js';

const schema = getSchema(createSchemaExtensions());
const p = (text: string, attrs: Record<string, string> = {}) => ({ type: 'paragraph', attrs, content: [{ type: 'text', text }] });

function notes() {
  const doc = prosemirrorJSONToYDoc(
    schema,
    {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Notes' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [p('first')] }, { type: 'listItem', content: [p('ＮＯＶＡ upgrades')] }] },
        p('ACTION: @dana send it', { actionItemId: 'abcdefghijklmnop' }),
      ],
    },
    NOTES_FRAGMENT,
  );
  const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
  const idOf = (el: Y.XmlElement) => `${el._item!.id.client}-${el._item!.id.clock}`;
  const list = fragment.get(1) as Y.XmlElement;
  const nested = (list.get(1) as Y.XmlElement).get(0) as Y.XmlElement;
  return { doc, fragment, nested, action: fragment.get(2) as Y.XmlElement, idOf };
}

describe('finding a search result’s block in the editor', () => {
  it('by Yjs id, at the ProseMirror position of the same block (nested in a list too)', () => {
    const { doc, fragment, nested, idOf } = notes();
    const el = locateBlock(doc, fragment, { blockId: idOf(nested), actionItemId: null, text: null });
    expect(el).toBe(nested);
    const pm = yXmlFragmentToProseMirrorRootNode(fragment, schema);
    const pos = pmPosOf(el!, pm)!;
    expect(pm.nodeAt(pos)?.type.name).toBe('paragraph');
    expect(pm.nodeAt(pos)?.textContent).toBe('ＮＯＶＡ upgrades');
  });

  it('the position follows blocks inserted above since the result was found', () => {
    const { doc, fragment, action, idOf } = notes();
    const id = idOf(action);
    const extra = new Y.XmlElement('paragraph');
    extra.insert(0, [new Y.XmlText('inserted by someone else')]);
    fragment.insert(0, [extra]);
    const pm = yXmlFragmentToProseMirrorRootNode(fragment, schema);
    const el = locateBlock(doc, fragment, { blockId: id, actionItemId: null, text: null })!;
    expect(pm.nodeAt(pmPosOf(el, pm)!)?.textContent).toBe('ACTION: @dana send it');
  });

  it('a re-created block is found by its action item, then by the text that matched (width and case ignored)', () => {
    const { doc, fragment, action, nested, idOf } = notes();
    const goneId = idOf(action);
    fragment.delete(2, 1);
    const copy = new Y.XmlElement('paragraph');
    copy.setAttribute('actionItemId', 'abcdefghijklmnop');
    copy.insert(0, [new Y.XmlText('ACTION: @dana send it today')]);
    fragment.push([copy]);
    expect(locateBlock(doc, fragment, { blockId: goneId, actionItemId: 'abcdefghijklmnop', text: null })).toBe(copy);
    expect(locateBlock(doc, fragment, { blockId: '999-0', actionItemId: null, text: 'nova' })).toBe(nested);
    expect(locateBlock(doc, fragment, { blockId: goneId, actionItemId: null, text: 'nowhere' })).toBeNull();
  });

  it('the URL carries only well-formed targets', () => {
    expect(targetFromQuery('?b=123-45&a=abcdefghijklmnop&m=nova')).toEqual({ blockId: '123-45', actionItemId: 'abcdefghijklmnop', text: 'nova' });
    expect(targetFromQuery('?b=<script>&a=x')).toBeNull();
    expect(targetFromQuery('')).toBeNull();
    const r = { sessionId: 'aaaaaaaaaaaaaaaa', sessionTitle: 'S', rooms: [], startsAt: null, endsAt: null, kind: 'notes' as const, blockId: '1-2', actionItemId: null, heading: '', snippet: '…the nova upgrade', highlights: [[5, 9]] as [number, number][], isActionItem: false, status: null };
    expect(targetPath('ops', r)).toBe('/e/ops/s/aaaaaaaaaaaaaaaa?b=1-2&m=nova');
    expect(targetPath('ops', r, true)).toBe('/e/ops/s/aaaaaaaaaaaaaaaa/present?b=1-2&m=nova');
    expect(targetPath('ops', { ...r, kind: 'title' })).toBe('/e/ops/s/aaaaaaaaaaaaaaaa');
  });
});
