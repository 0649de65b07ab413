import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { PeerServer } from './peerChild.js';

/** What a relay does with a note-taker's binary frame: `peers` is the room's set of sockets, the sender included. */
export type ForwardFrame = (from: WebSocket, peers: Set<WebSocket>, data: Buffer) => void;

/**
 * The relays' shared server: one WebSocket room per path, no Yjs. A relay
 * cannot answer SyncStep1, so every peer's SyncStep1 would be answered by
 * every other peer (O(n²) per join). Readers join as listeners instead:
 * their frames are dropped, which is a relay's best case.
 */
export async function startRelayServer(forward: ForwardFrame): Promise<PeerServer> {
  const rooms = new Map<string, Set<WebSocket>>();
  const server = http.createServer((_req, res) => {
    res.writeHead(200).end('ok');
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const name = url.pathname.slice(1);
    const listener = url.searchParams.get('listen') === '1';
    wss.handleUpgrade(req, socket, head, (ws) => {
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
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async prepareRooms(count) {
      return Array.from({ length: count }, (_, i) => ({ name: `room-${i + 1}`, writeParams: {}, readParams: { listen: '1' } }));
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
