import * as decoding from 'lib0/decoding';
import { computeStatus, initialSaveState, isDocMessage, type CollabStatus } from '../../client/collab/savedStatus.js';
import { MESSAGE_TYPES } from '../../shared/protocol.js';
import { connectClient, type YClient } from './yClient.js';

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
  const route = opts.route;
  const client = connectClient(wsUrl, sessionId, token, {
    params: { ack: '1' },
    socket: {
      url: route ? (url) => route() + url.slice(wsUrl.length) : undefined,
      // A new socket: the server counts its acknowledgements from zero.
      opened: () => {
        counts.sent = 0;
        counts.acked = 0;
      },
      sending: (data) => {
        if (data instanceof Uint8Array && isDocMessage(data)) counts.sent++;
      },
    },
  });
  const { provider } = client;
  provider.messageHandlers[MESSAGE_TYPES.saved] = (_encoder, decoder) => {
    counts.acked = Math.max(counts.acked, decoding.readVarUint(decoder));
  };
  provider.on('status', ({ status }: { status: string }) => (counts.connected = status === 'connected'));
  provider.awareness.setLocalStateField('user', { name, color: '#57606a', role: 'edit', typing: false });
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
