// Hocuspocus (@hocuspocus/server) with its defaults: in memory, no extensions, per-turn broadcast batching.
import { Server } from '@hocuspocus/server';
import { runPeerChild } from '../lib/peerChild.js';

await runPeerChild(async () => {
  const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
  await server.listen();
  return {
    port: server.address.port,
    async prepareRooms(count) {
      return Array.from({ length: count }, (_, i) => ({ name: `room-${i + 1}`, writeParams: {}, readParams: {} }));
    },
    async close() {
      await server.destroy();
    },
  };
});
