import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { computeStatus, initialSaveState, isDocMessage, type CollabStatus } from '../../client/collab/savedStatus.js';
import { MESSAGE_TYPES } from '../../shared/protocol.js';
import type { YClient } from './yClient.js';

type Presence = { user?: { name?: string } } | undefined;

/**
 * A note-taker as the app connects one: a stock y-websocket client asking for
 * acknowledgements (`ack=1`), counting the document messages its socket sent
 * and the server's "saved" count (message 100), and showing the app's own
 * status (client/collab/savedStatus.ts) from them.
 */
export interface NoteTaker {
  name: string;
  client: YClient;
  status(): CollabStatus;
  counts(): { sent: number; acked: number };
}

export interface NoteTakerOptions {
  /**
   * Where each new socket goes (a collab URL such as a server's `wsUrl`), asked
   * at every (re)connect, as a load balancer in front of several processes
   * would decide: by default `wsUrl`, always.
   */
  route?: () => string;
}

export function connectNoteTaker(wsUrl: string, sessionId: string, token: string, name: string, opts: NoteTakerOptions = {}): NoteTaker {
  const counts = { sent: 0, acked: 0, connected: false };
  const closes: YClient['closes'] = [];
  const route = opts.route;
  class CountingWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(route ? route() + url.slice(wsUrl.length) : url, protocols);
      // A new socket: the server counts its acknowledgements from zero.
      counts.sent = 0;
      counts.acked = 0;
      this.on('close', (code: number, reason: Buffer) => closes.push({ code, reason: reason.toString() }));
    }
    override send(data: unknown, ...rest: unknown[]): void {
      if (data instanceof Uint8Array && isDocMessage(data)) counts.sent++;
      (super.send as (...args: unknown[]) => void).call(this, data, ...rest);
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, sessionId, doc, {
    params: { token, ack: '1' },
    WebSocketPolyfill: CountingWebSocket as unknown as typeof globalThis.WebSocket,
    maxBackoffTime: 300,
    disableBc: true,
  });
  provider.messageHandlers[MESSAGE_TYPES.saved] = (_encoder, decoder) => {
    counts.acked = Math.max(counts.acked, decoding.readVarUint(decoder));
  };
  provider.on('status', ({ status }: { status: string }) => (counts.connected = status === 'connected'));
  provider.awareness.setLocalStateField('user', { name, color: '#57606a', role: 'edit', typing: false });
  const client: YClient = {
    doc,
    provider,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
  return {
    name,
    client,
    status: () => computeStatus({ ...initialSaveState, connected: counts.connected, everConnected: true, synced: provider.synced, sent: counts.sent, acked: counts.acked }),
    counts: () => ({ sent: counts.sent, acked: counts.acked }),
  };
}

/** The names other clients show in this client's presence list. */
export function namesSeenBy(client: YClient): string[] {
  const names: string[] = [];
  for (const [id, state] of client.provider.awareness.getStates()) {
    const name = (state as Presence)?.user?.name;
    if (id !== client.doc.clientID && name) names.push(name);
  }
  return names.sort();
}
