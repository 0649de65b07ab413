import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import type { RoomAccess } from './peerChild.js';

/** One real client: a Y.Doc kept in sync by a stock provider over its own socket. */
export interface BenchClient {
  readonly doc: Y.Doc;
  /** True once the client holds the room's state (or, on a relay, once its socket is open). */
  ready(): boolean;
  destroy(): void;
}

export type Protocol = 'y-websocket' | 'hocuspocus';

export interface ClientOptions {
  protocol: Protocol;
  /** ws://host:port plus the path prefix the server expects (e.g. /collab). */
  serverUrl: string;
  room: RoomAccess;
  role: 'write' | 'read';
  /** A relay answers nobody's SyncStep1: "ready" then means "socket open". */
  readyWhenOpen?: boolean;
  /** A display name in the presence state (note-takers); readers publish no presence. */
  userName?: string;
}

export function connectBenchClient(opts: ClientOptions): BenchClient {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  // Readers publish no presence: the bench measures document updates, and the
  // reference server would otherwise relay every reader's presence to everyone.
  awareness.setLocalState(opts.userName ? { user: { name: opts.userName, color: '#3366cc' } } : null);
  const params = opts.role === 'write' ? opts.room.writeParams : opts.room.readParams;

  if (opts.protocol === 'hocuspocus') {
    const socket = new HocuspocusProviderWebsocket({ url: opts.serverUrl, WebSocketPolyfill: WebSocket });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: opts.room.name, document: doc, awareness });
    provider.attach();
    return {
      doc,
      ready: () => (opts.readyWhenOpen ? socket.status === 'connected' : provider.isSynced),
      destroy() {
        provider.destroy();
        socket.destroy();
        doc.destroy();
      },
    };
  }

  const provider = new WebsocketProvider(opts.serverUrl, opts.room.name, doc, {
    params,
    awareness,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Clients in one process would otherwise sync through a BroadcastChannel and bypass the server.
    disableBc: true,
    maxBackoffTime: 1000,
  });
  return {
    doc,
    ready: () => (opts.readyWhenOpen ? provider.wsconnected : provider.synced),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Polls until `predicate` holds; rejects with `what` after `timeoutMs`. */
export function waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

/**
 * Connects clients a batch at a time, each batch ready before the next: a
 * thousand simultaneous handshakes would measure the accept queue, not the
 * server. Clients go into `into` as they are made, so the caller can always
 * destroy them, even when this throws.
 */
export async function connectMany(
  into: BenchClient[],
  count: number,
  make: (i: number) => BenchClient,
  batch = 50,
  timeoutMs = 60_000,
): Promise<BenchClient[]> {
  const made: BenchClient[] = [];
  for (let i = 0; i < count; i += batch) {
    const group: BenchClient[] = [];
    for (let j = i; j < Math.min(count, i + batch); j++) group.push(make(j));
    into.push(...group);
    made.push(...group);
    await waitUntil(() => group.every((c) => c.ready()), timeoutMs, `${group.length} clients to connect`);
  }
  return made;
}
