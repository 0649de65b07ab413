import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ID_PATTERN } from '../../shared/ids.js';
import { stableItemId } from './stableItemId.js';

describe('stable action-item ids', () => {
  it('are ids like any other, the same for one paragraph on every copy of the document, different per paragraph and per session', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('default');
    const a = new Y.XmlElement('paragraph');
    const b = new Y.XmlElement('paragraph');
    fragment.push([a, b]);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const copiedA = copy.getXmlFragment('default').get(0) as Y.XmlElement;
    const id = stableItemId('session-one', a);
    expect(id).toMatch(ID_PATTERN);
    expect(stableItemId('session-one', copiedA)).toBe(id);
    expect(stableItemId('session-one', b)).not.toBe(id);
    expect(stableItemId('session-two', a)).not.toBe(id);
  });
});
