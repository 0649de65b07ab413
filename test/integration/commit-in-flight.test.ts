import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import { encodeSyncStep1 } from '../../server/collab/messages.js';
import type { DocStore } from '../../server/storage/docStore.js';
import { MESSAGE_TYPES, NOTES_FRAGMENT, SYNC_TYPES } from '../../shared/protocol.js';
import { openRaw } from '../helpers/rawSocket.js';
import { createEventWithSession, startTestServer, serverSuite } from '../helpers/testServer.js';
import { appendParagraph, connectClient, notesText, waitFor, waitForSync } from '../helpers/yClient.js';

interface Gate {
  armed: boolean;
  started: boolean;
  release(): void;
  wait: Promise<void>;
}

/** A real SQLite store whose appends, once armed, wait for the test: a commit held in flight. */
function heldAppends(store: DocStore, gate: Gate): DocStore {
  return {
    ...store,
    async append(writes) {
      if (gate.armed) {
        gate.started = true;
        await gate.wait;
      }
      return store.append(writes);
    },
  };
}

function kindOf(msg: Uint8Array): 'step2' | 'awareness' | 'other' {
  const d = decoding.createDecoder(msg);
  const type = decoding.readVarUint(d);
  if (type === MESSAGE_TYPES.awareness) return 'awareness';
  if (type === MESSAGE_TYPES.sync && decoding.readVarUint(d) === SYNC_TYPES.step2) return 'step2';
  return 'other';
}

function step2Text(msg: Uint8Array): string {
  const d = decoding.createDecoder(msg);
  decoding.readVarUint(d);
  decoding.readVarUint(d);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, decoding.readVarUint8Array(d));
  return doc.getXmlFragment(NOTES_FRAGMENT).toString();
}

describe('a commit in flight', () => {
  const suite = serverSuite();

  it('a client that syncs while an edit is being stored gets it only once it is durable', async () => {
    let release!: () => void;
    const gate: Gate = { armed: false, started: false, release: () => release(), wait: new Promise<void>((r) => (release = r)) };
    suite.server = await startTestServer({ wrapDocStore: (s) => heldAppends(s, gate) });
    const { event, session } = await createEventWithSession(suite.server.url);

    const writer = connectClient(suite.server.wsUrl, session.id, event.tokens.edit);
    suite.clients.push(writer);
    await waitForSync(writer);
    writer.provider.awareness.setLocalStateField('user', { name: 'Writer' });
    await waitFor(() => (suite.server!.registry.get(session.id)?.awareness.getStates().size ?? 0) > 0, 5000, 'the writer present');
    await waitFor(() => !suite.server!.registry.get(session.id)!.hasUncommitted(), 5000, 'set-up committed');
    gate.armed = true;
    appendParagraph(writer.doc, 'not durable yet');
    await waitFor(() => gate.started, 5000, 'the commit is in flight');

    const raw = await openRaw(`${suite.server.wsUrl}/${session.id}?token=${event.tokens.view}`);
    try {
      // Served as soon as the socket is in the room: the writer's presence, sent on joining.
      raw.ws.send(new Uint8Array([MESSAGE_TYPES.queryAwareness]));
      await waitFor(() => raw.messages.filter((m) => kindOf(m) === 'awareness').length >= 2, 5000, 'the query answered');
      // One socket is served in order, so the second query's answer comes only after SyncStep1's: while the
      // commit is held, neither comes.
      raw.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
      raw.ws.send(new Uint8Array([MESSAGE_TYPES.queryAwareness]));
      const room = suite.server.registry.get(session.id)!;
      // A round trip through the server started after those frames were sent (on another socket, so a
      // barrier in practice rather than by protocol): a presence change of the writer, relayed to everyone.
      writer.provider.awareness.setLocalStateField('user', { name: 'Writer 2' });
      await waitFor(() => raw.messages.some((m) => kindOf(m) === 'awareness' && Buffer.from(m).includes(Buffer.from('Writer 2'))), 5000, 'a later presence relayed');
      expect(room.hasUncommitted()).toBe(true);
      expect(raw.messages.filter((m) => kindOf(m) === 'step2')).toEqual([]);

      gate.release();
      await waitFor(() => raw.messages.some((m) => kindOf(m) === 'step2'), 5000, 'the state once durable');
      const step2 = raw.messages.find((m) => kindOf(m) === 'step2')!;
      expect(step2Text(step2)).toContain('not durable yet');
      // The query sent after SyncStep1 is answered only after it: in order, once durable.
      await waitFor(() => raw.messages.filter((m) => kindOf(m) === 'awareness' && Buffer.from(m).includes(Buffer.from('Writer 2'))).length >= 2, 5000, 'the second query answered');
      expect(raw.messages.findIndex((m) => kindOf(m) === 'step2')).toBeLessThan(raw.messages.length - 1);
    } finally {
      raw.ws.close();
    }
    const check = connectClient(suite.server.wsUrl, session.id, event.tokens.view);
    suite.clients.push(check);
    await waitForSync(check);
    expect(notesText(check.doc)).toContain('not durable yet');
  });
});
