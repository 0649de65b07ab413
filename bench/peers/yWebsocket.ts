// The y-websocket reference server (@y/websocket-server), in memory, as its own bin runs it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { runPeerChild } from '../lib/peerChild.js';

await runPeerChild(async () => {
  const server = http.createServer((_req, res) => {
    res.writeHead(200).end('ok');
  });
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', setupWSConnection);
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async prepareRooms(count) {
      return Array.from({ length: count }, (_, i) => ({ name: `room-${i + 1}`, writeParams: {}, readParams: {} }));
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
});
