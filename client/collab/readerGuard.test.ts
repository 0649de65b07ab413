import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MESSAGE_TYPES } from '../../shared/protocol.js';
import { readerSafeMessage } from './readerGuard.js';

function syncMessage(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_TYPES.sync);
  write(e);
  return encoding.toUint8Array(e);
}

/** Applies a sync message to a fresh doc and says whether it changed anything. */
function changes(message: Uint8Array): boolean {
  const doc = new Y.Doc();
  let changed = false;
  doc.on('update', () => (changed = true));
  const d = decoding.createDecoder(message);
  decoding.readVarUint(d);
  syncProtocol.readSyncMessage(d, encoding.createEncoder(), doc, null);
  return changed;
}

describe('reader guard', () => {
  const local = new Y.Doc();
  // What Tiptap's trailing-node plugin did on a reader: an empty paragraph appended to the notes.
  local.getXmlFragment('default').push([new Y.XmlElement('paragraph')]);

  it('replaces a sync step 2 that carries content with an empty one', () => {
    const step2 = syncMessage((e) => syncProtocol.writeSyncStep2(e, local));
    expect(changes(step2)).toBe(true);
    const out = readerSafeMessage(step2);
    expect(out.withheld).toBe(true);
    expect(changes(out.data)).toBe(false);
    // Still a sync step 2: the exchange with the server looks the same.
    const d = decoding.createDecoder(out.data);
    expect([decoding.readVarUint(d), decoding.readVarUint(d)]).toEqual([MESSAGE_TYPES.sync, syncProtocol.messageYjsSyncStep2]);
  });

  it('replaces an update that carries a deletion', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('default');
    fragment.push([new Y.XmlElement('paragraph')]);
    const before = Y.encodeStateVector(doc);
    fragment.delete(0, 1);
    const update = Y.encodeStateAsUpdate(doc, before);
    const out = readerSafeMessage(syncMessage((e) => syncProtocol.writeUpdate(e, update)));
    expect(out.withheld).toBe(true);
    expect(changes(out.data)).toBe(false);
  });

  it('lets an empty step 2, a step 1 and awareness through unchanged', () => {
    const empty = syncMessage((e) => syncProtocol.writeSyncStep2(e, new Y.Doc()));
    const step1 = syncMessage((e) => syncProtocol.writeSyncStep1(e, local));
    const aw = new awarenessProtocol.Awareness(new Y.Doc());
    aw.setLocalState({ user: { name: 'Projector' } });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_TYPES.awareness);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(aw, [aw.clientID]));
    const awareness = encoding.toUint8Array(e);
    for (const m of [empty, step1, awareness]) expect(readerSafeMessage(m)).toEqual({ data: m, withheld: false });
  });
});
