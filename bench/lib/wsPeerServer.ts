import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { PeerServer } from './peerChild.js';

/**
 * A bench peer's HTTP and WebSocket server on a free port: every upgrade
 * becomes a socket handed to `onSocket` with its request (the room is the
 * path). Rooms are named room-1, room-2, …; readers join with `readParams`.
 */
export async function startWsPeerServer(
  onSocket: (ws: WebSocket, req: http.IncomingMessage) => void,
  readParams: Record<string, string> = {},
): Promise<PeerServer> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200).end('ok');
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, req)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async prepareRooms(count) {
      return Array.from({ length: count }, (_, i) => ({ name: `room-${i + 1}`, writeParams: {}, readParams }));
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const requestUrl = (req: http.IncomingMessage) => new URL(req.url ?? '/', 'http://localhost');

/** The room a socket joined: its request's path. */
export const roomName = (req: http.IncomingMessage): string => requestUrl(req).pathname.slice(1);

/** What a relay does with a note-taker's binary frame: `peers` is the room's set of sockets, the sender included. */
export type ForwardFrame = (from: WebSocket, peers: Set<WebSocket>, data: Buffer) => void;

/**
 * The relays' server: one room per path, no Yjs. A relay cannot answer
 * SyncStep1, so every peer's SyncStep1 would be answered by every other peer
 * (O(n²) per join). Readers join as listeners instead: their frames are
 * dropped, which is a relay's best case.
 */
export function startRelayServer(forward: ForwardFrame): Promise<PeerServer> {
  const rooms = new Map<string, Set<WebSocket>>();
  return startWsPeerServer(
    (ws, req) => {
      const url = requestUrl(req);
      const name = url.pathname.slice(1);
      const listener = url.searchParams.get('listen') === '1';
      let room = rooms.get(name);
      if (!room) rooms.set(name, (room = new Set()));
      const peers = room;
      peers.add(ws);
      ws.on('message', (data: RawData, isBinary: boolean) => {
        if (listener || !isBinary) return;
        forward(ws, peers, data as Buffer);
      });
      ws.on('close', () => {
        peers.delete(ws);
        if (peers.size === 0) rooms.delete(name);
      });
    },
    { listen: '1' },
  );
}
