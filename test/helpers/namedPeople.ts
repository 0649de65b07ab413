import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { MESSAGE_TYPES } from '../../shared/protocol.js';
import type { ServerSuite, TestServer } from './testServer.js';
import { connectClient, notesText, waitFor, type YClient } from './yClient.js';

/**
 * Note-takers with a name in presence, for the tests of who may write and
 * show presence under which Yjs client id. Every client joins `suite`, which
 * closes it after the test.
 */
export function namedPeople(suite: ServerSuite) {
  function person(server: TestServer, sessionId: string, token: string, name: string, doc?: Y.Doc): YClient {
    const client = connectClient(server.wsUrl, sessionId, token, { doc });
    client.provider.awareness.setLocalStateField('user', { name, color: '#0969da' });
    suite.clients.push(client);
    return client;
  }

  /**
   * A tab whose network went silently: its socket stays open on the server
   * but never answers a ping (as after a Wi-Fi drop without a FIN). Synced,
   * showing `name`, when this resolves.
   */
  async function deafTab(server: TestServer, sessionId: string, token: string, name: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
    class DeafWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { autoPong: false });
      }
    }
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(server.wsUrl, sessionId, doc, {
      params: { token },
      WebSocketPolyfill: DeafWebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    suite.clients.push({ doc, provider, closes: [], destroy: () => provider.destroy() });
    provider.awareness.setLocalStateField('user', { name, color: '#0969da' });
    await waitFor(() => provider.synced, 5000, `${name}'s silent tab synced`);
    return { doc, provider };
  }

  return { person, deafTab };
}

/** The server's live document has `text` (its update was admitted), and it is durable. */
export async function serverHas(server: TestServer, sessionId: string, text: string): Promise<void> {
  await waitFor(() => notesText(server.registry.get(sessionId)!.doc).includes(text), 5000, `the server to have "${text}"`);
  await server.commitQueue.whenIdle();
}

/** Closed by the server for writing with a client id that is not its own. */
export const refusedClientId = (c: YClient) => c.closes.some((x) => x.code === 4400);


/** A hand-made presence frame (for a bare socket): `clientId` showing `name`. */
export function presenceFrame(clientId: number, name: string): Uint8Array {
  const claim = new Awareness(new Y.Doc());
  claim.clientID = clientId;
  // Twice: the first state of an id y-protocols has no meta for is at clock 0, which nobody takes.
  claim.setLocalState({ user: { name, color: '#cf222e' } });
  claim.setLocalState({ user: { name, color: '#cf222e' } });
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, MESSAGE_TYPES.awareness);
  encoding.writeVarUint8Array(frame, encodeAwarenessUpdate(claim, [clientId]));
  claim.destroy();
  return encoding.toUint8Array(frame);
}
