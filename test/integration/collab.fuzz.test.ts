import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES, SYNC_TYPES } from '../../shared/protocol.js';
import type { Logger } from '../../server/logger.js';
import { applyNotesOp, mutate, mutation, notesSession } from '../fixtures/randomNotes.js';
import { fuzzRuns } from '../helpers/fuzz.js';
import { api, createEventWithSession, startTestServer, type TestServer } from '../helpers/testServer.js';
import { connectClient, waitFor, waitForSync } from '../helpers/yClient.js';

function frame(type: number, sub: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/**
 * Sends one update on its own socket (`ack=1`) and reports what the server
 * did with it: 'stored' (acknowledged), 'closed' (refused), or 'dropped'
 * (neither: a missing dependency). A SyncStep1 after it is the barrier: its
 * answer comes only after the update was handled and committed.
 */
async function send(server: TestServer, sessionId: string, token: string, update: Uint8Array): Promise<'stored' | 'closed' | 'dropped'> {
  const ws = new WebSocket(`${server.wsUrl}/${sessionId}?token=${token}&ack=1`);
  let acked = 0;
  let answered = false;
  let closed = false;
  ws.on('message', (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(d);
    if (type === MESSAGE_TYPES.saved) acked = decoding.readVarUint(d);
    else if (type === MESSAGE_TYPES.sync && decoding.readVarUint(d) === SYNC_TYPES.step2) answered = true;
  });
  ws.on('close', () => (closed = true));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(frame(MESSAGE_TYPES.sync, SYNC_TYPES.update, update));
  ws.send(frame(MESSAGE_TYPES.sync, SYNC_TYPES.step1, Y.encodeStateVector(new Y.Doc())));
  await waitFor(() => closed || answered, 10_000, 'the server to handle the update');
  ws.terminate();
  if (closed && !answered) return 'closed';
  return acked >= 1 ? 'stored' : 'dropped';
}

/** The notes as XML, without the attributes the server's tagger adds. */
function withoutTags(doc: Y.Doc): string {
  return doc
    .getXmlFragment('default')
    .toString()
    .replace(/ (actionItemId|actionStatus)="[^"]*"/gi, '');
}

/** Each run creates a session and restarts the server: a hundredth of the unit properties' count. */
const RUNS = Math.max(4, Math.round(fuzzRuns(400) / 100));

describe('the collaboration server, fuzzed with real sockets', () => {
  it(
    'nothing throws out of a room, bystanders are never disturbed, and what is stored after a restart is exactly what was acknowledged',
    async () => {
      const errors: string[] = [];
      const log: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`) };
      let server = await startTestServer({ log });
      try {
        await fc.assert(
          fc.asyncProperty(
            // Distinct client ids: two clients sharing one break Yjs itself (their changes collide clock by clock).
            fc.uniqueArray(
              fc.record({ client: fc.integer({ min: 1, max: 2 ** 32 - 1 }), ops: notesSession(8), mutations: fc.array(mutation, { maxLength: 2 }) }),
              { minLength: 1, maxLength: 6, selector: (w) => w.client },
            ),
            async (writers) => {
              // Each run answers for its own errors: otherwise shrinking blames the smallest input for an earlier run's.
              errors.length = 0;
              const fx = await createEventWithSession(server.url);
              const bystander = connectClient(server.wsUrl, fx.session.id, fx.event.tokens.view);
              await waitForSync(bystander);
              const expected = new Y.Doc();
              Y.applyUpdate(expected, Y.encodeStateAsUpdate(bystander.doc));
              bystander.destroy();
              const watcher = connectClient(server.wsUrl, fx.session.id, fx.event.tokens.view);
              await waitForSync(watcher);

              for (const w of writers) {
                const doc = new Y.Doc();
                doc.clientID = w.client;
                const updates: Uint8Array[] = [];
                doc.on('update', (u: Uint8Array) => updates.push(u));
                for (const op of w.ops) applyNotesOp(doc, op);
                for (const [i, original] of updates.entries()) {
                  // Some of each writer's updates arrive broken.
                  const m = w.mutations[i % Math.max(1, w.mutations.length)];
                  const bytes = m && i % 2 === 1 ? mutate(original, m) : original;
                  const outcome = await send(server, fx.session.id, fx.event.tokens.edit, bytes);
                  if (outcome === 'stored') Y.applyUpdate(expected, bytes);
                }
              }
              expect(watcher.closes).toEqual([]);
              watcher.destroy();

              const dataDir = server.dataDir;
              await server.close();
              server = await startTestServer({ dataDir, log });
              const fresh = connectClient(server.wsUrl, fx.session.id, fx.event.tokens.view);
              await waitForSync(fresh);
              // The server writes too (the action-item tagger, under its own client ids): compare the clients'
              // part of the state exactly, and the notes without the tagger's attributes.
              const stored = Y.decodeStateVector(Y.encodeStateVector(fresh.doc));
              const wanted = Y.decodeStateVector(Y.encodeStateVector(expected));
              for (const [client, clock] of wanted) expect(stored.get(client), `client ${client}`).toBe(clock);
              for (const w of writers) if (!wanted.has(w.client)) expect(stored.has(w.client), `client ${w.client}`).toBe(false);
              expect(withoutTags(fresh.doc)).toBe(withoutTags(expected));
              fresh.destroy();
              expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
              expect(errors).toEqual([]);
            },
          ),
          { numRuns: RUNS },
        );
      } finally {
        await server.close();
      }
    },
    Math.max(60_000, RUNS * 8_000),
  );
});
